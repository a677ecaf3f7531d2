import type { Coverage } from '../../taxonomy/index.js';
import type { TableCell } from './blocks.js';
import type { Cost, ServedFacts, Tokens } from './provenance-data.js';

/** 1234567 -> "1,234,567" (no Intl: the report must not depend on the host's locale data). */
export function int(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function pct(k: number, n: number): string {
  return n === 0 ? '—' : `${((k / n) * 100).toFixed(1)}%`;
}

/** A hash shown by its first 12 characters; the whole hash is the cell's hover title. */
export function shortHash(h: string | null | undefined): TableCell {
  if (!h) return '—';
  return h.length > 12 ? { text: h.slice(0, 12), title: h } : h;
}

/** "2026-05-01 12:03 UTC" from an ISO timestamp; anything else as it is. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/.exec(iso);
  return m ? `${m[1]} ${m[2]}${iso.endsWith('Z') ? ' UTC' : ''}` : iso;
}

/** "http_500 2, timeout 1", most frequent first; "none" when empty. */
export function kinds(r: Record<string, number>): string {
  const e = Object.entries(r).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return e.length === 0 ? 'none' : e.map(([k, n]) => `${k} ${int(n)}`).join(', ');
}

/**
 * "12,345 in / 3,456 out", the input split when part of it was a cache read or write
 * ("12,345 in (plain 11,121, cache read 1,024, cache write 200) / 3,456 out"), and the batched part
 * named ("; batched 5,000 in / 1,000 out").
 */
export function tokens(t: Tokens): string {
  const read = t.cachedInput;
  const write = t.cacheWrite ?? 0;
  const parts = [
    `plain ${int(t.input - read - write)}`,
    ...(read > 0 ? [`cache read ${int(read)}`] : []),
    ...(write > 0 ? [`cache write ${int(write)}`] : []),
  ];
  const split = read + write > 0 ? ` (${parts.join(', ')})` : '';
  const b = t.batched;
  const batched = b && b.input + b.output > 0 ? `; batched ${int(b.input)} in / ${int(b.output)} out` : '';
  return `${int(t.input)} in${split} / ${int(t.output)} out${batched}`;
}

function usd(x: number): string {
  return x > 0 && x < 0.01 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`;
}

/** "$0.21", or the reason it is unknown. */
export function costText(c: Cost): string {
  return 'usd' in c ? usd(c.usd) : c.unknown;
}

/** Sum of costs; unknown when any part is. */
export function addCosts(costs: readonly Cost[]): Cost {
  let sum = 0;
  for (const c of costs) {
    if ('unknown' in c) return c;
    sum += c.usd;
  }
  return { usd: sum };
}

/** "98.2% of 120 (exact 110, lexical 8, unmapped 2)": methods with no value are left out. */
export function coverage(c: Coverage): string {
  if (c.total === 0) return 'no values';
  const split = (['exact', 'lexical', 'judge', 'unmapped'] as const).filter((m) => c[m] > 0).map((m) => `${m} ${int(c[m])}`);
  return `${pct(c.total - c.unmapped, c.total)} of ${int(c.total)} (${split.join(', ')})`;
}

/** "gpt-x (fp_ab12)", "MIXED: a (fp_1) 10, b 2", with unrecorded cells named. */
export function served(s: ServedFacts | null): string {
  if (!s) return 'not recorded';
  const label = (i: ServedFacts['identities'][number]): string => (i.fingerprint ? `${i.model} (${i.fingerprint})` : i.model);
  const unrecorded = s.unrecorded > 0 ? `; ${int(s.unrecorded)} cells unrecorded` : '';
  if (s.identities.length === 0) return s.unrecorded > 0 ? `not recorded (${int(s.unrecorded)} cells)` : 'no answers';
  if (s.identities.length === 1) return `${label(s.identities[0]!)}${unrecorded}`;
  return `MIXED: ${s.identities.map((i) => `${label(i)} ${int(i.cells)}`).join(', ')}${unrecorded}`;
}
