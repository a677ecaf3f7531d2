import type { HistoryChange, HistoryComparison } from '../../../records/history.js';
import { cachedAnswerWarnings } from '../diff/cached-answers.js';
import { pairedDesign } from '../diff/diff-profiles.js';
import { domainSections, metricIndexOf } from '../diff/metric-rows.js';
import { pairSides, type Side } from '../diff/pair-sides.js';
import { compareAcrossDomains } from '../diff/paired-metric.js';
import { settingChangeWarnings } from '../diff/setting-changes.js';
import { smallSuiteWarning } from '../stats/cluster-interval.js';
import { benjaminiHochberg } from '../stats/multiple-testing.js';

export interface CompareSettings {
  alpha: number;
  /** Interval level of each change: 1 - alpha, as diff's. */
  level: number;
  minCount: number;
  allow: { suite: boolean; judge: boolean };
}

/** The test diff.json names for its metric rows; history's changes are those rows' overall figures. */
export const HISTORY_TEST =
  'within-scenario permutation (Mantel-Haenszel normal approximation), paired by scenario; BH across every consecutive pair x metric';

/**
 * One consecutive pair, compared as diff compares BASE (older) and CAND (newer): the same
 * comparability checks (pairSides: suite, judge, changed scenarios, unless allowed), the same paired
 * design and, per metric, the overall row diff.json would give (compareAcrossDomains). q is set later,
 * across the whole history.
 */
export function compareConsecutive(
  older: Side,
  newer: Side,
  index: { from: number; to: number },
  metrics: readonly string[],
  s: CompareSettings,
): HistoryComparison {
  const paired = pairSides(older, newer, s.allow);
  const design = pairedDesign(paired.pairs, paired.domains, 0, 0);
  const { all, byDomain } = domainSections(paired);
  const metricIndex = metricIndexOf(paired);
  const changes = metrics.map((metric): HistoryChange => {
    const c = compareAcrossDomains(metricIndex, byDomain, all, metric, {
      dens: design.dens,
      level: s.level,
      test: { mode: 'normal' },
      minCount: s.minCount,
      perDomain: false,
    }).overall;
    return { metric, from: c.base, to: c.cand, delta: c.delta, lo: c.lo, hi: c.hi, p: c.p, q: null, flagged: false };
  });
  const small = smallSuiteWarning(paired.pairs.length, 'shared scenarios');
  return {
    ...index,
    sharedScenarios: paired.pairs.length,
    changes,
    modelChange: null,
    warnings: [
      ...paired.warnings,
      // pairSides checks one target's settings; a renamed target (named on purpose) is still one history.
      ...(older.table.modelId !== newer.table.modelId ? settingChangeWarnings(older, newer, { acrossTargets: true }) : []),
      ...cachedAnswerWarnings(older, newer),
      ...(small !== null ? [small] : []),
    ],
  };
}

/** One Benjamini-Hochberg correction over every tested change of the history; flags q < alpha. Returns the family size. */
export function flagAcrossHistory(comparisons: readonly HistoryComparison[], alpha: number): number {
  const tested = comparisons.flatMap((c) => c.changes).filter((ch) => ch.p !== null);
  const q = benjaminiHochberg(tested.map((ch) => ch.p as number));
  tested.forEach((ch, i) => {
    ch.q = q[i] as number;
    ch.flagged = ch.q < alpha;
  });
  return tested.length;
}
