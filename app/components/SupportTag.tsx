import { SUPPORT_LABELS, type SupportState } from "~/modules/os-lifecycle/support";

const TAG_CLASS: Record<SupportState, string | null> = {
  supported: "nhsuk-tag--green",
  unsupported: "nhsuk-tag--red",
  esu: "nhsuk-tag--yellow",
  unknown: "nhsuk-tag--grey",
  not_applicable: null,
};

/** An operating system's support status as an NHS.UK tag; a device with no OS gets plain text. */
export function SupportTag({ state }: { state: SupportState }) {
  const cls = TAG_CLASS[state];
  if (!cls) return <span className="app-muted">{SUPPORT_LABELS[state]}</span>;
  return <strong className={`nhsuk-tag ${cls}`}>{SUPPORT_LABELS[state]}</strong>;
}

/** "120 days left", "Ends today" or "Ended 30 days ago". */
export function daysToEndText(days: number | null): string | null {
  if (days === null) return null;
  const n = (d: number) => `${d.toLocaleString("en-GB")} ${d === 1 ? "day" : "days"}`;
  if (days > 0) return `${n(days)} left`;
  if (days === 0) return "Ends today";
  return `Ended ${n(-days)} ago`;
}
