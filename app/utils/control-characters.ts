/** C0 control characters other than tab, line feed and carriage return (NUL among them), and DEL. */
// eslint-disable-next-line no-control-regex -- deliberate: this finds control characters
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Why a cell's text cannot be stored as it is, or null: a control character (a NUL byte, say)
 * that the database refuses and no one typed on purpose. Checked per row at preview, so the
 * row is rejected there, naming its row and column, rather than failing the whole import at commit.
 */
export function controlCharacterProblem(text: string): string | null {
  const m = CONTROL.exec(text);
  if (!m) return null;
  const code = m[0].charCodeAt(0);
  const name = code === 0 ? "a NUL byte (character 0)" : `a control character (character ${code})`;
  return `This value contains ${name}, which cannot be saved. Remove it and upload the file again.`;
}
