import { type Denominator, metricDenominator } from '../../../records/metric-key.js';
import type { ScenarioStats } from '../load/scenario-table.js';
import type { ClusterBootstrap } from '../stats/cluster-bootstrap.js';
import type { Rng } from '../stats/prng.js';
import { percentileInterval } from '../stats/quantile.js';
import { type HypergeometricTables, mantelHaenszelP, withinScenarioPermutationP } from '../stats/within-scenario-permutation.js';

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
  constructor(
    private readonly pairs: readonly ScenarioPair[],
    private readonly boot: ClusterBootstrap,
  ) {}
  get(section: string, members: readonly number[], side: 'a' | 'b', d: Denominator): Float64Array {
    const key = `${section}\u0000${side}\u0000${d}`;
    let v = this.cache.get(key);
    if (!v) {
      v = this.boot.sums(
        members,
        members.map((i) => this.pairs[i]![side].den[d]),
      );
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
type PairedTest = false | { mode: 'normal' } | { mode: 'exact'; resamples: number; rng: Rng; tables: HypergeometricTables };

export interface PairedContext {
  section: string;
  boot: ClusterBootstrap | null;
  dens: DenominatorSums | null;
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
  idxA: number[];
  valA: number[];
  idxB: number[];
  valB: number[];
  perScenario: PairedComparison['perScenario'];
}

function collect(pairs: readonly ScenarioPair[], members: readonly number[], metric: string): Collected {
  const d = metricDenominator(metric);
  const c: Collected = { kA: 0, nA: 0, kB: 0, nB: 0, idxA: [], valA: [], idxB: [], valB: [], perScenario: [] };
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
    if (ka > 0) {
      c.idxA.push(i);
      c.valA.push(ka);
    }
    if (kb > 0) {
      c.idxB.push(i);
      c.valB.push(kb);
    }
    c.perScenario.push({ kA: ka, nA: na, kB: kb, nB: nb });
  }
  return c;
}

function finish(
  c: Collected,
  sums: { sA: Float64Array; sB: Float64Array; dA: Float64Array; dB: Float64Array } | null,
  ctx: PairedContext,
): PairedComparison {
  const base = { k: c.kA, n: c.nA, estimate: c.nA > 0 ? c.kA / c.nA : null };
  const cand = { k: c.kB, n: c.nB, estimate: c.nB > 0 ? c.kB / c.nB : null };
  const delta = base.estimate !== null && cand.estimate !== null ? cand.estimate - base.estimate : null;
  let lo: number | null = null,
    hi: number | null = null;
  if (delta !== null && sums) {
    const { sA, sB, dA, dB } = sums;
    const draws = new Float64Array(sA.length);
    for (let r = 0; r < sA.length; r++) {
      const da = dA[r] as number,
        db = dB[r] as number;
      draws[r] = da > 0 && db > 0 ? (sB[r] as number) / db - (sA[r] as number) / da : Number.NaN;
    }
    const iv = percentileInterval(draws, ctx.level);
    if (iv) [lo, hi] = iv;
  }
  const tested = ctx.test && delta !== null && c.kA + c.kB >= (ctx.minCount ?? 0);
  const p =
    !tested || !ctx.test
      ? null
      : ctx.test.mode === 'normal'
        ? mantelHaenszelP(c.perScenario)
        : withinScenarioPermutationP(c.perScenario, ctx.test.resamples, ctx.test.rng, ctx.test.tables);
  return { base, cand, delta, lo, hi, p, perScenario: c.perScenario };
}

export function comparePaired(
  pairs: readonly ScenarioPair[],
  members: readonly number[],
  metric: string,
  ctx: PairedContext,
): PairedComparison {
  const c = collect(pairs, members, metric);
  const d = metricDenominator(metric);
  const sums =
    ctx.boot && ctx.dens
      ? {
          sA: ctx.boot.sums(c.idxA, c.valA),
          sB: ctx.boot.sums(c.idxB, c.valB),
          dA: ctx.dens.get(ctx.section, members, 'a', d),
          dB: ctx.dens.get(ctx.section, members, 'b', d),
        }
      : null;
  return finish(c, sums, ctx);
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
 * where neither side counts it add nothing to the Mantel-Haenszel statistic or its variance). The
 * bootstrap is stratified by domain, so a resample's overall sum is the sum of its domain sums.
 * `perDomain: false` skips the domain rows (their sums still feed the overall row).
 */
export function compareAcrossDomains(
  index: MetricIndex,
  domains: readonly { domain: string; members: number[] }[],
  all: readonly number[],
  metric: string,
  ctx: Omit<PairedContext, 'section'> & { perDomain: boolean },
): { overall: PairedComparison; domains: (PairedComparison | null)[] } {
  const d = metricDenominator(metric);
  const R = ctx.boot?.resamples ?? 0;
  const totA = new Float64Array(R),
    totB = new Float64Array(R);
  const empty = (): Collected => ({ kA: 0, nA: 0, kB: 0, nB: 0, idxA: [], valA: [], idxB: [], valB: [], perScenario: [] });
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
    if (e.kA > 0) {
      c.idxA.push(e.i);
      c.valA.push(e.kA);
    }
    if (e.kB > 0) {
      c.idxB.push(e.i);
      c.valB.push(e.kB);
    }
    const p = index.pairs[e.i]!;
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
    let sums = null;
    if (ctx.boot && ctx.dens) {
      const sA = ctx.boot.sums(c.idxA, c.valA);
      const sB = ctx.boot.sums(c.idxB, c.valB);
      for (let r = 0; r < R; r++) {
        totA[r]! += sA[r] as number;
        totB[r]! += sB[r] as number;
      }
      if (ctx.perDomain) sums = { sA, sB, dA: ctx.dens.get(domain, members, 'a', d), dB: ctx.dens.get(domain, members, 'b', d) };
    }
    if (!ctx.perDomain || c.kA + c.kB === 0) return null;
    return finish(c, sums, { ...ctx, section: domain });
  });
  const overallSums =
    ctx.boot && ctx.dens ? { sA: totA, sB: totB, dA: ctx.dens.get('', all, 'a', d), dB: ctx.dens.get('', all, 'b', d) } : null;
  return { overall: finish(merged, overallSums, { ...ctx, section: '' }), domains: rows };
}
