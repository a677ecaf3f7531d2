/** Escapes text for a GitHub Markdown table cell (no HTML, no pipe, no line break). */
export function mdCell(s: string): string {
  return s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
