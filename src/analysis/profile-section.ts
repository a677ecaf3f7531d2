import { ClusterBootstrap } from './stats/cluster-bootstrap.js';
import { percentileInterval } from './stats/quantile.js';
import { DENOMINATORS, metricDenominator, type Denominator, type ProfileSection, type Proportion } from './profile-types.js';
import type { ScenarioStats } from './scenario-table.js';

/**
 * Computes one profile section (overall or one domain) from the scenarios at `members` (indices into
 * the scenario list the bootstrap was built on). Every proportion is a ratio estimator
 * sum_s k_s / sum_s n_s; its interval is the percentile interval of that ratio over the cluster
 * bootstrap resamples.
 */
export function computeSection(
  scenarios: readonly ScenarioStats[],
  members: readonly number[],
  boot: ClusterBootstrap | null,
  level: number,
  topN: number,
  errorKindsOf: (members: readonly number[]) => Record<string, number>,
): ProfileSection {
  let cells = 0;
  let errored = 0;
  let mentions = 0;
  const den: Record<Denominator, number> = { judged: 0, expect: 0, user_values: 0 };
  const numerators = new Map<string, { idx: number[]; val: number[]; k: number }>();
  for (const i of members) {
    const s = scenarios[i] as ScenarioStats;
    cells += s.cells;
    errored += s.errored;
    mentions += s.valueMentions;
    for (const d of DENOMINATORS) den[d] += s.den[d];
    for (const [key, k] of s.counts) {
      let e = numerators.get(key);
      if (!e) numerators.set(key, (e = { idx: [], val: [], k: 0 }));
      e.idx.push(i);
      e.val.push(k);
      e.k += k;
    }
  }
  const denSums = new Map<Denominator, Float64Array>();
  if (boot) {
    for (const d of DENOMINATORS) {
      denSums.set(d, boot.sums(members, members.map((i) => (scenarios[i] as ScenarioStats).den[d])));
    }
  }
  const metrics: Record<string, Proportion> = {};
  for (const key of [...numerators.keys()].sort()) {
    const e = numerators.get(key)!;
    const d = metricDenominator(key);
    metrics[key] = proportion(e.k, den[d], boot, e.idx, e.val, denSums.get(d) ?? null, level);
  }
  const topValues = Object.entries(metrics)
    .filter(([k]) => k.startsWith('value:'))
    .sort((a, b) => b[1].k - a[1].k || (a[0] < b[0] ? -1 : 1))
    .slice(0, topN)
    .map(([k, share]) => ({ name: k.slice('value:'.length), share }));
  return {
    scenarios: members.length,
    cells,
    judged: den.judged,
    errored,
    errorKinds: errorKindsOf(members),
    denominators: { ...den },
    meanValuesPerCell: den.judged > 0 ? mentions / den.judged : null,
    metrics,
    topValues,
  };
}

export function proportion(
  k: number,
  n: number,
  boot: ClusterBootstrap | null,
  idx: readonly number[],
  val: readonly number[],
  denSums: Float64Array | null,
  level: number,
): Proportion {
  if (n === 0) return { k, n, estimate: null, lo: null, hi: null };
  const estimate = k / n;
  if (!boot || !denSums) return { k, n, estimate, lo: null, hi: null };
  const num = boot.sums(idx, val);
  for (let r = 0; r < num.length; r++) {
    const dn = denSums[r] as number;
    num[r] = dn > 0 ? (num[r] as number) / dn : Number.NaN;
  }
  const iv = percentileInterval(num, level);
  return { k, n, estimate, lo: iv ? clamp01(iv[0]) : null, hi: iv ? clamp01(iv[1]) : null };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
