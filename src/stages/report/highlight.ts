/** A span of the response text the judge cited as evidence for a value: [start, end, value index]. */
export type Mark = [number, number, number];

/**
 * Finds each value's evidence in the response: exact first, then case-insensitively with runs of
 * whitespace collapsed (judges re-flow quotes). Overlapping spans keep the earlier one.
 */
export function findMarks(text: string, evidence: readonly (string | undefined)[]): Mark[] {
  const marks: Mark[] = [];
  const folded = fold(text);
  evidence.forEach((ev, i) => {
    const quote = ev?.trim().replace(/^["'“”‘’]+|["'“”‘’]+$/g, '');
    if (!quote || quote.length < 3) return;
    let start = text.indexOf(quote);
    let end = start + quote.length;
    if (start === -1) {
      const f = fold(quote);
      const at = folded.text.indexOf(f.text);
      if (at === -1) return;
      start = folded.map[at] ?? 0;
      end = (folded.map[at + f.text.length - 1] ?? start) + 1;
    }
    marks.push([start, end, i]);
  });
  marks.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const kept: Mark[] = [];
  for (const m of marks) {
    const last = kept[kept.length - 1];
    if (!last || m[0] >= last[1]) kept.push(m);
  }
  return kept;
}

/** Lower-cased text with whitespace runs collapsed, and a map from folded to original offsets. */
function fold(s: string): { text: string; map: number[] } {
  let out = '';
  const map: number[] = [];
  let inSpace = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] ?? '';
    if (/\s/.test(ch)) {
      if (inSpace) continue;
      inSpace = true;
      out += ' ';
    } else {
      inSpace = false;
      out += ch.toLowerCase();
    }
    map.push(i);
  }
  return { text: out, map };
}
