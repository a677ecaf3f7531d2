import type { ClusterBootstrap } from './stats/cluster-bootstrap.js';
import { percentileInterval } from './stats/quantile.js';
import type { Rng } from './stats/prng.js';
import { HypergeometricTables, mantelHaenszelP, withinScenarioPermutationP } from './stats/within-scenario-permutation.js';
import { metricDenominator, type Denominator } from './profile-types.js';
import type { ScenarioStats } from './scenario-table.js';

/** One scenario both sides cover. */
export interface ScenarioPair {
  id: string;
  domain: string;
  a: ScenarioStats;
  b: ScenarioStats;
}

export interface PairedComparison {
  base: { k: number; n: number; estimate: number | null };
  cand: { k: number; n: number; estimate: number | null };
  delta: number | null;
  lo: number | null;
  hi: number | null;
  /** Two-sided within-scenario permutation p-value; null unless `test` was requested. */
  p: number | null;
  /** Per-scenario counts, for the MDE. */
  perScenario: { kA: number; nA: number; kB: number; nB: number }[];
}

/** Caches per-resample denominator sums per (section, side, denominator). */
export class DenominatorSums {
  private readonly cache = new Map<string, Float64Array>();
  constructor(private readonly pairs: readonly ScenarioPair[], private readonly boot: ClusterBootstrap) {}
  get(section: string, members: readonly number[], side: 'a' | 'b', d: Denominator): Float64Array {
    const key = `${section}\u0000${side}\u0000${d}`;
    let v = this.cache.get(key);
    if (!v) {
      v = this.boot.sums(members, members.map((i) => this.pairs[i]![side].den[d]));
      this.cache.set(key, v);
    }
    return v;
  }
}

/**
 * Difference (CAND - BASE) of one proportion over the scenarios at `members`: pooled ratio estimates,
 * a paired cluster-bootstrap interval (both sides reweighted by the same scenario draws), and
 * optionally the within-scenario permutation p-value: Monte Carlo (`exact`, the gate) or its normal
 * approximation (`normal`, the diff's large exploratory family).
 */
export type PairedTest = false | { mode: 'normal' } | { mode: 'exact'; resamples: number; rng: Rng; tables: HypergeometricTables };

export function comparePaired(
  pairs: readonly ScenarioPair[],
  members: readonly number[],
  metric: string,
  ctx: { section: string; boot: ClusterBootstrap | null; dens: DenominatorSums | null; level: number; test: PairedTest },
): PairedComparison {
  const d = metricDenominator(metric);
  let kA = 0, nA = 0, kB = 0, nB = 0;
  const idxA: number[] = [], valA: number[] = [], idxB: number[] = [], valB: number[] = [];
  const perScenario: PairedComparison['perScenario'] = [];
  for (const i of members) {
    const p = pairs[i] as ScenarioPair;
    const ka = p.a.counts.get(metric) ?? 0, na = p.a.den[d];
    const kb = p.b.counts.get(metric) ?? 0, nb = p.b.den[d];
    kA += ka; nA += na; kB += kb; nB += nb;
    if (ka > 0) { idxA.push(i); valA.push(ka); }
    if (kb > 0) { idxB.push(i); valB.push(kb); }
    perScenario.push({ kA: ka, nA: na, kB: kb, nB: nb });
  }
  const base = { k: kA, n: nA, estimate: nA > 0 ? kA / nA : null };
  const cand = { k: kB, n: nB, estimate: nB > 0 ? kB / nB : null };
  const delta = base.estimate !== null && cand.estimate !== null ? cand.estimate - base.estimate : null;
  let lo: number | null = null, hi: number | null = null;
  if (delta !== null && ctx.boot && ctx.dens) {
    const dA = ctx.dens.get(ctx.section, members, 'a', d);
    const dB = ctx.dens.get(ctx.section, members, 'b', d);
    const sA = ctx.boot.sums(idxA, valA);
    const sB = ctx.boot.sums(idxB, valB);
    for (let r = 0; r < sA.length; r++) {
      const da = dA[r] as number, db = dB[r] as number;
      sA[r] = da > 0 && db > 0 ? (sB[r] as number) / db - (sA[r] as number) / da : Number.NaN;
    }
    const iv = percentileInterval(sA, ctx.level);
    if (iv) [lo, hi] = iv;
  }
  const p = !ctx.test || delta === null ? null
    : ctx.test.mode === 'normal' ? mantelHaenszelP(perScenario)
    : withinScenarioPermutationP(perScenario, ctx.test.resamples, ctx.test.rng, ctx.test.tables);
  return { base, cand, delta, lo, hi, p, perScenario };
}
