import type { AnalysisJudgment } from '../../../records/analysis-judgment.js';
import type { CorrectedBlock, CorrectedMetric } from '../../../records/corrected-estimates.js';
import type { HumanLabelSet } from '../../../records/human-labels.js';
import { domainStrata } from '../stats/cluster-interval.js';
import type { Estimate } from '../stats/ppi-share.js';
import { ppiShare } from '../stats/ppi-share.js';
import type { ValueMapper } from './human-reading.js';
import type { LabelDesign } from './label-design.js';
import { correctableMetrics, labelledCells, labelledProvenance, metricSample } from './metric-samples.js';

/** The scenario numbering of a set of cells (sorted ids) and each scenario's stratum (its domain, small ones merged, as the profile). */
function scenarioNumbering(cells: readonly AnalysisJudgment[]): { index: Map<string, number>; stratum: Int32Array } {
  const domainOf = new Map<string, string>();
  for (const j of cells) if (!domainOf.has(j.scenarioId)) domainOf.set(j.scenarioId, j.domain);
  const ids = [...domainOf.keys()].sort();
  return { index: new Map(ids.map((id, i) => [id, i])), stratum: domainStrata(ids.map((id) => domainOf.get(id)!)).strata };
}

const interval = (e: Estimate | null) => (e ? { estimate: e.estimate, lo: e.lo, hi: e.hi } : null);

/** One model's judge-corrected shares (docs/statistics.md, "Judge-corrected estimates"), every metric the labels speak to. */
export function correctedBlock(
  cells: AnalysisJudgment[],
  set: HumanLabelSet,
  o: { design: LabelDesign; map: ValueMapper; level: number },
): CorrectedBlock {
  const lc = labelledCells(cells, set.labels, o.design, o.map);
  const { index, stratum } = scenarioNumbering(cells);
  const metrics: Record<string, CorrectedMetric> = {};
  for (const metric of correctableMetrics(lc)) {
    const s = ppiShare(metricSample(lc, metric, index), { level: o.level, clusters: index.size, clusterStratum: stratum });
    metrics[metric] = {
      estimate: s.corrected?.estimate ?? null,
      lo: s.corrected?.lo ?? null,
      hi: s.corrected?.hi ?? null,
      judgeOnly: s.judgeOnly,
      humanOnly: interval(s.humanOnly),
      lambda: s.lambda,
      labelled: s.labelled,
      labelledScenarios: s.labelledScenarios,
      sufficient: s.sufficient,
      ...(s.reason !== null ? { reason: s.reason } : {}),
    };
  }
  return { level: o.level, labels: labelledProvenance(lc, o.design), metrics };
}
