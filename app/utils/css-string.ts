/**
 * A CSS string literal for any text: quotes, backslashes and line breaks escaped, and "<" too,
 * so the text can never close the <style> element it is written into.
 */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"<>\n\r\f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}
