import type { DiffFile } from '../../../records/diff.js';
import { pairSides, type Side } from '../diff/pair-sides.js';
import { type CorrectedSides, correctedDifference } from './corrected-sides.js';
import { correctableMetrics } from './metric-samples.js';

/**
 * Adds the judge-corrected change to the diff's overall rows of every metric the labels speak to
 * (either side's), and each side's label provenance. The rows' own figures stay the judge's.
 */
export function addCorrectedChanges(
  diff: DiffFile,
  base: Side,
  cand: Side,
  sides: CorrectedSides,
  allow: { suite: boolean; judge: boolean },
): void {
  const { pairs } = pairSides(base, cand, allow);
  const metrics = new Set([...correctableMetrics(sides.base), ...correctableMetrics(sides.cand)]);
  const level = diff.settings.level ?? 0.95;
  for (const row of diff.metrics) {
    if (row.domain !== null || !metrics.has(row.metric)) continue;
    const d = correctedDifference(sides, row.metric, pairs, level);
    row.corrected = {
      sufficient: d.sufficient,
      ...(d.reason !== null ? { reason: d.reason } : {}),
      estimate: d.corrected?.estimate ?? null,
      lo: d.corrected?.lo ?? null,
      hi: d.corrected?.hi ?? null,
      judgeOnly: Number.isFinite(d.judgeOnly) ? d.judgeOnly : null,
      humanOnly: d.humanOnly ? { estimate: d.humanOnly.estimate, lo: d.humanOnly.lo, hi: d.humanOnly.hi } : null,
      lambda: d.lambda,
    };
  }
  diff.labels = sides.provenance;
}
