import { HARNESS_VERSION } from '../../../core/version.js';
import type { DiffFile, MetricDiff } from '../../../records/diff.js';
import { loadRun, parseRunSpec } from '../load/load-run.js';
import { loadRunsInParallel } from '../load/load-run-parallel.js';
import { ClusterBootstrap } from '../stats/cluster-bootstrap.js';
import { benjaminiHochberg } from '../stats/multiple-testing.js';
import { createRng, subSeed } from '../stats/prng.js';
import { SignFlips } from '../stats/sign-flip-test.js';
import { distanceDiff } from './distances.js';
import { describeSide, pairSides, pickTable, type Side } from './pair-sides.js';
import { compareAcrossDomains, DenominatorSums, MetricIndex, type PairedComparison, type ScenarioPair } from './paired-metric.js';

export interface DiffOptions {
  resamples: number;
  seed: number;
  alpha?: number;
  level?: number;
  /** Test a metric only when at least this many cells (both sides) count in it. */
  minCount?: number;
  allowSuiteMismatch?: boolean;
  allowJudgeMismatch?: boolean;
  now?: () => Date;
}

/** Loads one side of a comparison: `RUN_DIR` (a one-model run) or `RUN_DIR#MODEL_ID`. */
export async function loadSide(spec: string, cwd: string, watchlist: readonly string[]): Promise<Side> {
  const s = parseRunSpec(spec, cwd);
  const run = await loadRun(s, watchlist);
  return { spec: s, run, table: pickTable(s, run) };
}

/** Loads BASE and CAND, each in its own worker thread when the compiled worker is available. */
export async function loadSides(base: string, cand: string, cwd: string, watchlist: readonly string[]): Promise<[Side, Side]> {
  const specs = [parseRunSpec(base, cwd), parseRunSpec(cand, cwd)] as const;
  const [a, b] = await loadRunsInParallel(specs, watchlist);
  return [
    { spec: specs[0], run: a!, table: pickTable(specs[0], a!) },
    { spec: specs[1], run: b!, table: pickTable(specs[1], b!) },
  ];
}

/** Shared resampling plan: one set of scenario draws (intervals) and one set of side swaps (JS distances). */
export interface PairedDesign {
  pairs: ScenarioPair[];
  domains: string[];
  boot: ClusterBootstrap | null;
  flips: SignFlips | null;
  dens: DenominatorSums | null;
}

export function pairedDesign(pairs: ScenarioPair[], domains: string[], resamples: number, seed: number): PairedDesign {
  if (resamples <= 0) return { pairs, domains, boot: null, flips: null, dens: null };
  const strata = pairs.map((p) => domains.indexOf(p.domain));
  const boot = new ClusterBootstrap(strata, resamples, createRng(subSeed(seed, 'diff:bootstrap')));
  const flips = new SignFlips(pairs.length, resamples, createRng(subSeed(seed, 'diff:permutation')));
  return { pairs, domains, boot, flips, dens: new DenominatorSums(pairs, boot) };
}

/** The finest breakdowns (single values, l1 clusters) are compared overall only, not per domain. */
function perDomainMetric(metric: string): boolean {
  return !metric.startsWith('value:') && !metric.startsWith('category:l1:');
}

/** diff.json: every proportion compared CAND - BASE, paired by scenario, BH across the tested family. */
export function diffProfiles(base: Side, cand: Side, options: DiffOptions): DiffFile {
  const alpha = options.alpha ?? 0.05;
  const level = options.level ?? 0.95;
  const minCount = options.minCount ?? 5;
  const paired = pairSides(base, cand, { suite: options.allowSuiteMismatch ?? false, judge: options.allowJudgeMismatch ?? false });
  const design = pairedDesign(paired.pairs, paired.domains, options.resamples, options.seed);
  const all = paired.pairs.map((_, i) => i);
  const byDomain = paired.domains.map((domain) => ({ domain, members: all.filter((i) => paired.pairs[i]!.domain === domain) }));
  const domainOf = Int32Array.from(paired.pairs, (p) => paired.domains.indexOf(p.domain));
  const index = new MetricIndex(paired.pairs, domainOf, paired.domains.length);
  const rows: MetricDiff[] = [];
  const row = (metric: string, domain: string | null, c: PairedComparison): MetricDiff => ({
    metric,
    domain,
    base: c.base,
    cand: c.cand,
    delta: c.delta,
    lo: c.lo,
    hi: c.hi,
    p: c.p,
    q: null,
    significant: false,
  });
  for (const metric of [...index.entries.keys()].sort()) {
    const r = compareAcrossDomains(index, byDomain, all, metric, {
      boot: design.boot,
      dens: design.dens,
      level,
      test: { mode: 'normal' },
      minCount,
      perDomain: perDomainMetric(metric),
    });
    rows.push(row(metric, null, r.overall));
    r.domains.forEach((c, i) => {
      if (c) rows.push(row(metric, byDomain[i]!.domain, c));
    });
  }
  const tested = rows.filter((r) => r.p !== null);
  const q = benjaminiHochberg(tested.map((r) => r.p as number));
  tested.forEach((r, i) => {
    r.q = q[i] as number;
    r.significant = r.q < alpha;
  });
  rows.sort(
    (x, y) =>
      Number(y.significant) - Number(x.significant) || Math.abs(y.delta ?? 0) - Math.abs(x.delta ?? 0) || (x.metric < y.metric ? -1 : 1),
  );

  const sections = [{ domain: null as string | null, members: all }, ...byDomain];
  const distances = sections.flatMap(({ domain, members }) =>
    (['response_type', 'l3'] as const).flatMap((kind) => distanceDiff(paired.pairs, members, kind, domain, design.flips) ?? []),
  );
  const overallValues = rows.filter((r) => r.domain === null && r.metric.startsWith('value:'));
  const change = (r: MetricDiff, side: 'base' | 'cand') => ({ value: r.metric.slice(6), cells: r[side].k, share: r[side].estimate ?? 0 });
  return {
    v: 1,
    kind: 'diff',
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    harnessVersion: HARNESS_VERSION,
    base: describeSide(base, paired.pairs, 'a'),
    cand: describeSide(cand, paired.pairs, 'b'),
    comparability: { suiteHashMatch: paired.suiteHashMatch, judgeHashMatch: paired.judgeHashMatch, warnings: paired.warnings },
    scenarios: { shared: paired.pairs.length, baseOnly: paired.baseOnly, candOnly: paired.candOnly, changed: paired.changed },
    settings: {
      resamples: options.resamples,
      seed: options.seed,
      alpha,
      minCount,
      test: 'within-scenario permutation (Mantel-Haenszel normal approximation); BH across tested metrics; JS distances: whole-side swaps per scenario',
    },
    metrics: rows,
    distances,
    appeared: overallValues
      .filter((r) => r.base.k === 0 && r.cand.k > 0)
      .map((r) => change(r, 'cand'))
      .sort((a, b) => b.cells - a.cells),
    vanished: overallValues
      .filter((r) => r.cand.k === 0 && r.base.k > 0)
      .map((r) => change(r, 'base'))
      .sort((a, b) => b.cells - a.cells),
    summary: { tested: tested.length, significant: tested.filter((r) => r.significant).length },
  };
}
