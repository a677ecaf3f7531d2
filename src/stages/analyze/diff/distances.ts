import type { DistanceDiff } from '../../../records/diff.js';
import { METRIC_PREFIX, metricKey } from '../../../records/metric-key.js';
import { RESPONSE_TYPES } from '../../../records/response-types.js';
import { jensenShannonDistance } from '../stats/jensen-shannon.js';
import type { SignFlips } from '../stats/sign-flip-test.js';
import type { ScenarioPair } from './paired-metric.js';

/**
 * Jensen-Shannon distance between the sides' distributions (response types of judged cells; l3
 * categories counted once per value-expressing cell), with a paired permutation p-value: the same
 * within-scenario side swaps as the metric tests, applied to per-scenario count vectors.
 */
export function distanceDiff(
  pairs: readonly ScenarioPair[],
  members: readonly number[],
  kind: 'response_type' | 'l3',
  domain: string | null,
  flips: SignFlips | null,
): DistanceDiff | null {
  const keys = kind === 'response_type' ? RESPONSE_TYPES.map((t) => metricKey.responseType(t)) : l3Keys(pairs, members);
  const K = keys.length;
  if (K < 2) return null;
  const totA = new Float64Array(K);
  const totB = new Float64Array(K);
  const diffs: { s: number; d: Float64Array }[] = [];
  for (const i of members) {
    const p = pairs[i] as ScenarioPair;
    const d = new Float64Array(K);
    let any = false;
    keys.forEach((key, j) => {
      const a = p.a.counts.get(key) ?? 0;
      const b = p.b.counts.get(key) ?? 0;
      totA[j]! += a;
      totB[j]! += b;
      d[j] = b - a;
      if (a !== b) any = true;
    });
    if (any) diffs.push({ s: i, d });
  }
  const observed = jensenShannonDistance(totA, totB);
  let p = 1;
  if (flips && observed > 0) {
    let exceed = 0;
    const a = new Float64Array(K);
    const b = new Float64Array(K);
    for (let r = 0; r < flips.resamples; r++) {
      a.set(totA);
      b.set(totB);
      for (const { s, d } of diffs) {
        if (!flips.swapped(r, s)) continue;
        for (let j = 0; j < K; j++) {
          a[j]! += d[j] as number;
          b[j]! -= d[j] as number;
        }
      }
      if (jensenShannonDistance(a, b) >= observed * (1 - 1e-10)) exceed++;
    }
    p = (1 + exceed) / (flips.resamples + 1);
  }
  const label = (key: string) => key.slice((kind === 'l3' ? METRIC_PREFIX.category.l3 : METRIC_PREFIX.responseType).length);
  return {
    kind,
    domain,
    distance: observed,
    p,
    base: Object.fromEntries(keys.map((k, j) => [label(k), totA[j] as number])),
    cand: Object.fromEntries(keys.map((k, j) => [label(k), totB[j] as number])),
  };
}

function l3Keys(pairs: readonly ScenarioPair[], members: readonly number[]): string[] {
  const keys = new Set<string>();
  for (const i of members) {
    for (const side of [pairs[i]!.a, pairs[i]!.b])
      for (const k of side.counts.keys()) if (k.startsWith(METRIC_PREFIX.category.l3)) keys.add(k);
  }
  return [...keys].sort();
}
