/** A requirement's or framework version's sources as "S16: title", one per line. */
export function SourceList({ sources, compact = false }: { sources: readonly { ref: string; title: string }[]; compact?: boolean }) {
  // Compact: inside a table cell, small text without list spacing.
  if (compact) {
    return (
      <>
        {sources.map((s) => (
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-1" key={s.ref}>
            {s.ref}: {s.title}
          </div>
        ))}
      </>
    );
  }
  return (
    <ul className="nhsuk-list">
      {sources.map((s) => (
        <li key={s.ref}>
          {s.ref}: {s.title}
        </li>
      ))}
    </ul>
  );
}
