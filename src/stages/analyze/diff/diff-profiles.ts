import { GATE_DEFAULTS } from '../../../config/gate-schema.js';
import { HARNESS_VERSION } from '../../../core/version.js';
import type { DiffFile, DistanceDiff, MetricDiff } from '../../../records/diff.js';
import { METRIC_PREFIX } from '../../../records/metric-key.js';
import { parseRunSpec } from '../load/load-run.js';
import { loadRunsInParallel } from '../load/load-run-parallel.js';
import { smallSuiteWarning } from '../stats/cluster-interval.js';
import { createRng, subSeed } from '../stats/prng.js';
import { SignFlips } from '../stats/sign-flip-test.js';
import { cachedAnswerWarnings } from './cached-answers.js';
import { distanceDiff } from './distances.js';
import { byImportance, compareMetrics, type DomainMembers, domainSections, markSignificant } from './metric-rows.js';
import { describeSide, pairSides, pickTable, type Side } from './pair-sides.js';
import { DenominatorMoments } from './paired-interval.js';
import type { ScenarioPair } from './paired-metric.js';

export interface DiffOptions {
  /** Whole-side swaps for the Jensen-Shannon distance p-values (metric p-values need none). */
  resamples: number;
  seed: number;
  alpha?: number;
  /** Interval level; default 1 - alpha, the level of the gate's intervals, so both show one interval per metric. */
  level?: number;
  /** Test a metric only when at least this many cells (both sides) count in it. */
  minCount?: number;
  allowSuiteMismatch?: boolean;
  allowJudgeMismatch?: boolean;
  now?: () => Date;
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

/** Shared plan: per-section denominator moments (intervals, no resampling) and one set of side swaps (JS distances). */
export interface PairedDesign {
  pairs: ScenarioPair[];
  domains: string[];
  /** Retired: intervals are analytic (docs/statistics.md); always null, kept so callers compile. */
  flips: SignFlips | null;
  dens: DenominatorMoments;
}

export function pairedDesign(pairs: ScenarioPair[], domains: string[], resamples: number, seed: number): PairedDesign {
  const dens = new DenominatorMoments(pairs);
  if (resamples <= 0) return { pairs, domains, flips: null, dens };
  const flips = new SignFlips(pairs.length, resamples, createRng(subSeed(seed, 'diff:permutation')));
  return { pairs, domains, flips, dens };
}

/** diff.json: every proportion compared CAND - BASE, paired by scenario, BH across the tested family. */
export function diffProfiles(base: Side, cand: Side, options: DiffOptions): DiffFile {
  const alpha = options.alpha ?? GATE_DEFAULTS.alpha;
  const level = options.level ?? 1 - alpha;
  const minCount = options.minCount ?? 5;
  const paired = pairSides(base, cand, { suite: options.allowSuiteMismatch ?? false, judge: options.allowJudgeMismatch ?? false });
  const design = pairedDesign(paired.pairs, paired.domains, options.resamples, options.seed);
  const { all, byDomain } = domainSections(paired);
  const rows = compareMetrics(paired, all, byDomain, design, { level, minCount });
  const tested = markSignificant(rows, alpha);
  rows.sort(byImportance);
  const distances = distanceRows(paired.pairs, all, byDomain, design.flips);
  return {
    v: 1,
    kind: 'diff',
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    harnessVersion: HARNESS_VERSION,
    base: describeSide(base, paired.pairs, 'a'),
    cand: describeSide(cand, paired.pairs, 'b'),
    comparability: {
      suiteHashMatch: paired.suiteHashMatch,
      judgeHashMatch: paired.judgeHashMatch,
      warnings: [
        ...paired.warnings,
        ...cachedAnswerWarnings(base, cand),
        // A string spread would yield its characters: wrap the one warning in an array.
        ...[smallSuiteWarning(paired.pairs.length, 'shared scenarios')].filter((w): w is string => w !== null),
      ],
    },
    scenarios: { shared: paired.pairs.length, baseOnly: paired.baseOnly, candOnly: paired.candOnly, changed: paired.changed },
    settings: {
      resamples: options.resamples,
      seed: options.seed,
      alpha,
      minCount,
      test: 'within-scenario permutation (Mantel-Haenszel normal approximation); BH across tested metrics; JS distances: whole-side swaps per scenario',
      level,
      family: { correction: 'BH', size: tested.length, over: 'diff metrics' },
    },
    metrics: rows,
    distances,
    ...valueChanges(rows),
    summary: { tested: tested.length, significant: tested.filter((r) => r.significant).length },
  };
}

/** Jensen-Shannon distances of the response-type and top-level-category distributions, overall then per domain. */
function distanceRows(
  pairs: readonly ScenarioPair[],
  all: number[],
  byDomain: readonly DomainMembers[],
  flips: SignFlips | null,
): DistanceDiff[] {
  const sections = [{ domain: null as string | null, members: all }, ...byDomain];
  return sections.flatMap(({ domain, members }) =>
    (['response_type', 'l3'] as const).flatMap((kind) => distanceDiff(pairs, members, kind, domain, flips) ?? []),
  );
}

/**
 * Values only one side expressed: appeared (candidate only) and vanished (base only), most cells
 * first. A value reported as another row's `same` alias (e.g. the only value seen in its category)
 * has that row's counts.
 */
function valueChanges(rows: readonly MetricDiff[]): Pick<DiffFile, 'appeared' | 'vanished'> {
  const overallValues = rows
    .filter((r) => r.domain === null)
    .flatMap((r) =>
      [r.metric, ...(r.aliases ?? []).filter((a) => a.relation === 'same').map((a) => a.metric)]
        .filter((m) => m.startsWith(METRIC_PREFIX.value))
        .map((metric) => ({ metric, row: r })),
    );
  return {
    appeared: overallValues
      .filter(({ row }) => row.base.k === 0 && row.cand.k > 0)
      .map((v) => valueChange(v, 'cand'))
      .sort((a, b) => b.cells - a.cells),
    vanished: overallValues
      .filter(({ row }) => row.cand.k === 0 && row.base.k > 0)
      .map((v) => valueChange(v, 'base'))
      .sort((a, b) => b.cells - a.cells),
  };
}

function valueChange({ metric, row }: { metric: string; row: MetricDiff }, side: 'base' | 'cand'): DiffFile['appeared'][number] {
  return { value: metric.slice(METRIC_PREFIX.value.length), cells: row[side].k, share: row[side].estimate ?? 0 };
}
