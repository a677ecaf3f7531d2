import type { LabelProvenance } from '../../../records/corrected-estimates.js';
import type { HumanLabel } from '../../../records/human-labels.js';
import type { Side } from '../diff/pair-sides.js';
import { domainStrata } from '../stats/cluster-interval.js';
import { type PpiDifference, ppiDifference } from '../stats/ppi-difference.js';
import { type PpiShare, ppiShare } from '../stats/ppi-share.js';
import { judgedCells } from './cell-readings.js';
import { designOf, type RunLabels } from './corrected-labels.js';
import { type LabelledCells, labelledCells, labelledProvenance, metricSample } from './metric-samples.js';

/** Both sides' judged cells with their human labels, for corrected differences (diff, gate). */
export interface CorrectedSides {
  base: LabelledCells;
  cand: LabelledCells;
  /** Per side: the labels' provenance and the judge's agreement with them. */
  provenance: { base: LabelProvenance; cand: LabelProvenance };
}

async function sideCells(side: Side, labels: RunLabels): Promise<{ cells: LabelledCells; provenance: LabelProvenance }> {
  const set = labels.byRun.get(side.run.runDir)?.labels ?? new Map<string, HumanLabel>();
  const judged = (await judgedCells(side.run.runDir, new Set([side.table.modelId]))).get(side.table.modelId) ?? [];
  const design = designOf(labels, side.run.runDir);
  const cells = labelledCells(judged, set, design, labels.map);
  return { cells, provenance: labelledProvenance(cells, design) };
}

/** A label applies to the side whose run holds its cell (and whose model answered it). */
export async function correctedSides(base: Side, cand: Side, labels: RunLabels): Promise<CorrectedSides> {
  const [b, c] = await Promise.all([sideCells(base, labels), sideCells(cand, labels)]);
  return { base: b.cells, cand: c.cells, provenance: { base: b.provenance, cand: c.provenance } };
}

/**
 * The judge-corrected CAND - BASE change of one metric over the given shared scenarios (each with
 * its domain; the variance is stratified by domain, small ones merged, as the diff's).
 */
export function correctedDifference(
  sides: CorrectedSides,
  metric: string,
  scenarios: readonly { id: string; domain: string }[],
  level: number,
): PpiDifference & { shares: [PpiShare, PpiShare] } {
  const index = new Map(scenarios.map((s, i) => [s.id, i]));
  const o = { level, clusters: scenarios.length, clusterStratum: domainStrata(scenarios.map((s) => s.domain)).strata };
  const a = metricSample(sides.base, metric, index);
  const b = metricSample(sides.cand, metric, index);
  // Each side's corrected share over the same scenarios: their difference is the corrected change.
  return { ...ppiDifference(a, b, o), shares: [ppiShare(a, o), ppiShare(b, o)] };
}
