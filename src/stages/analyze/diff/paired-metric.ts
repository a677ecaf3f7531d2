import { metricDenominator } from '../../../records/metric-key.js';
import type { ScenarioStats } from '../load/scenario-table.js';
import type { Rng } from '../stats/prng.js';
import { type HypergeometricTables, mantelHaenszelP, withinScenarioPermutationP } from '../stats/within-scenario-permutation.js';
import { DenominatorMoments, pairedInterval } from './paired-interval.js';

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

/**
 * Difference (CAND - BASE) of one proportion over the scenarios at `members`: pooled ratio estimates,
 * a small-sample cluster interval (paired-interval.ts: per-side cluster Wilson limits combined by
 * MOVER with the between-scenario correlation of the two sides), and
 * optionally the within-scenario permutation p-value: Monte Carlo (`exact`, the gate) or its normal
 * approximation (`normal`, the diff's large exploratory family).
 */
type PairedTest = false | { mode: 'normal' } | { mode: 'exact'; resamples: number; rng: Rng; tables: HypergeometricTables };

export interface PairedContext {
  section: string;
  /** Per-section denominator moments, shared across metrics; computed on the fly when null. */
  dens: DenominatorMoments | null;
  level: number;
  test: PairedTest;
  /** Test only when at least this many cells (both sides) count in the metric. */
  minCount?: number;
}

interface Collected {
  kA: number;
  nA: number;
  kB: number;
  nB: number;
  /** Pair index of each perScenario entry. */
  idx: number[];
  perScenario: PairedComparison['perScenario'];
}

function collect(pairs: readonly ScenarioPair[], members: readonly number[], metric: string): Collected {
  const d = metricDenominator(metric);
  const c: Collected = { kA: 0, nA: 0, kB: 0, nB: 0, idx: [], perScenario: [] };
  for (const i of members) {
    const p = pairs[i] as ScenarioPair;
    const ka = p.a.counts.get(metric) ?? 0,
      na = p.a.den[d];
    const kb = p.b.counts.get(metric) ?? 0,
      nb = p.b.den[d];
    c.kA += ka;
    c.nA += na;
    c.kB += kb;
    c.nB += nb;
    c.idx.push(i);
    c.perScenario.push({ kA: ka, nA: na, kB: kb, nB: nb });
  }
  return c;
}

function finish(c: Collected, den: ReturnType<DenominatorMoments['get']>, ctx: PairedContext): PairedComparison {
  const base = { k: c.kA, n: c.nA, estimate: c.nA > 0 ? c.kA / c.nA : null };
  const cand = { k: c.kB, n: c.nB, estimate: c.nB > 0 ? c.kB / c.nB : null };
  const delta = base.estimate !== null && cand.estimate !== null ? cand.estimate - base.estimate : null;
  const iv = delta !== null ? pairedInterval(den, c.idx, c.perScenario, ctx.level) : null;
  const tested = ctx.test && delta !== null && c.kA + c.kB >= (ctx.minCount ?? 0);
  const p =
    !tested || !ctx.test
      ? null
      : ctx.test.mode === 'normal'
        ? mantelHaenszelP(c.perScenario)
        : withinScenarioPermutationP(c.perScenario, ctx.test.resamples, ctx.test.rng, ctx.test.tables);
  return { base, cand, delta, lo: iv ? iv[0] : null, hi: iv ? iv[1] : null, p, perScenario: c.perScenario };
}

export function comparePaired(
  pairs: readonly ScenarioPair[],
  members: readonly number[],
  metric: string,
  ctx: PairedContext,
): PairedComparison {
  const c = collect(pairs, members, metric);
  const dens = ctx.dens ?? new DenominatorMoments(pairs);
  return finish(c, dens.get(ctx.section, members, metricDenominator(metric)), ctx);
}

/** Inverted index: for every metric, the scenarios where either side counts it (sparse, in order). */
export class MetricIndex {
  readonly entries = new Map<string, { i: number; kA: number; kB: number }[]>();
  /** Denominator totals per domain ordinal and side. */
  readonly denTotals: Map<string, { a: number; b: number }>[];

  constructor(
    readonly pairs: readonly ScenarioPair[],
    readonly domainOf: Int32Array,
    domains: number,
  ) {
    pairs.forEach((p, i) => {
      for (const [k, kA] of p.a.counts) this.list(k).push({ i, kA, kB: p.b.counts.get(k) ?? 0 });
      for (const [k, kB] of p.b.counts) if (!p.a.counts.has(k)) this.list(k).push({ i, kA: 0, kB });
    });
    for (const l of this.entries.values()) l.sort((x, y) => x.i - y.i);
    this.denTotals = Array.from({ length: domains }, () => new Map());
    for (const d of ['judged', 'expect', 'user_values'] as const) {
      for (const m of this.denTotals) m.set(d, { a: 0, b: 0 });
      pairs.forEach((p, i) => {
        const t = this.denTotals[domainOf[i] as number]!.get(d)!;
        t.a += p.a.den[d];
        t.b += p.b.den[d];
      });
    }
  }

  private list(k: string): { i: number; kA: number; kB: number }[] {
    let l = this.entries.get(k);
    if (l === undefined) {
      l = [];
      this.entries.set(k, l);
    }
    return l;
  }
}

/**
 * One metric overall and per domain in a single pass over the scenarios where it occurs (scenarios
 * where neither side counts it add nothing to the Mantel-Haenszel statistic, its variance, or the
 * interval's numerator moments). `perDomain: false` skips the domain rows.
 */
export function compareAcrossDomains(
  index: MetricIndex,
  domains: readonly { domain: string; members: number[] }[],
  all: readonly number[],
  metric: string,
  ctx: Omit<PairedContext, 'section'> & { perDomain: boolean },
): { overall: PairedComparison; domains: (PairedComparison | null)[] } {
  const d = metricDenominator(metric);
  const dens = ctx.dens ?? new DenominatorMoments(index.pairs);
  const empty = (): Collected => ({ kA: 0, nA: 0, kB: 0, nB: 0, idx: [], perScenario: [] });
  const perDomain = domains.map((_, g) => {
    const c = empty();
    const t = index.denTotals[g]!.get(d)!;
    c.nA = t.a;
    c.nB = t.b;
    return c;
  });
  for (const e of index.entries.get(metric) ?? []) {
    const c = perDomain[index.domainOf[e.i] as number]!;
    c.kA += e.kA;
    c.kB += e.kB;
    const p = index.pairs[e.i]!;
    c.idx.push(e.i);
    c.perScenario.push({ kA: e.kA, nA: p.a.den[d], kB: e.kB, nB: p.b.den[d] });
  }
  const merged = empty();
  const rows = domains.map(({ domain, members }, g) => {
    const c = perDomain[g]!;
    merged.kA += c.kA;
    merged.nA += c.nA;
    merged.kB += c.kB;
    merged.nB += c.nB;
    for (const x of c.perScenario) merged.perScenario.push(x);
    for (const i of c.idx) merged.idx.push(i);
    if (!ctx.perDomain || c.kA + c.kB === 0) return null;
    return finish(c, dens.get(domain, members, d), { ...ctx, section: domain });
  });
  return { overall: finish(merged, dens.get('', all, d), { ...ctx, section: '' }), domains: rows };
}
