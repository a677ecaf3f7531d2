/**
 * Quoted speech: "…", “…”, ‘…’ and '…' (a straight single quote opens only after a non-letter, so the
 * apostrophe of "can't" never does; a curly one closes only before a non-letter, so "can’t" inside
 * ‘…’ does not end it). Spans never cross a line and single-quoted ones stop at 200 characters, so a
 * stray "'90s" cannot hide the rest of a response.
 */
const QUOTED = /"[^"\n]*"|“[^”\n]*”|‘[^\n]{0,200}?’(?!\p{L})|(?<![\p{L}\p{N}])'[^\n]{0,200}?'(?!\p{L})/gu;

/** The source of the quoted-speech pattern, for the judge's hash. */
export const QUOTED_SOURCE = QUOTED.source;

/** `text` with each quoted span replaced by an ellipsis in quotes: what the response says in its own words. */
export function withoutQuotes(text: string, quoted: readonly (readonly [number, number])[], from: number): string {
  let out = '';
  let at = from;
  for (const [start, end] of quoted) {
    if (end <= from || start >= from + text.length) continue;
    out += `${text.slice(at - from, Math.max(start, from) - from)}"…"`;
    at = Math.min(end, from + text.length);
  }
  return out + text.slice(at - from);
}

/** [start, end) of every quoted span in `text`. */
export function quotedSpans(text: string): [number, number][] {
  return [...text.matchAll(QUOTED)].map((m) => [m.index, m.index + m[0].length]);
}
