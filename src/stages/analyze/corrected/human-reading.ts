import type { AnalysisJudgment } from '../../../records/analysis-judgment.js';
import type { HumanGold } from '../../../records/human-labels.js';
import type { TaxonomyPath } from '../../../records/judgment.js';
import { metricDenominator, parseMetricKey } from '../../../records/metric-key.js';

/** Maps a value name onto the taxonomy as the judge's values were mapped (the run's taxonomy). */
export type ValueMapper = (name: string) => TaxonomyPath;

/**
 * A human label read as a judgment of the same cell: the labelled fields replace the judge's, the
 * rest (scenario, expect, user values) is the cell's own. Value names go through the same taxonomy
 * mapping, so `value:` and `category:` keys are spelled as the judge's are (records/cell-features.ts).
 */
export function humanJudgment(j: AnalysisJudgment, gold: HumanGold, map: ValueMapper): AnalysisJudgment {
  const values = (names: readonly string[]) => names.map((name) => ({ name, taxonomy: map(name) }));
  return {
    ...j,
    responseType: gold.responseType ?? j.responseType,
    refusal: gold.refusal ?? j.refusal,
    aiValues: gold.aiValues ? values(gold.aiValues) : j.aiValues,
    humanValues: gold.humanValues ? values(gold.humanValues) : j.humanValues,
  };
}

/**
 * Whether a label can speak to a metric: it gives every field the metric's 0/1 depends on. A metric
 * whose fields a label leaves out is not corrected by that label (it is not counted as labelled).
 * Denominators are the judge's (which cells state user values is read from the judgment).
 */
export function speaksTo(metric: string, gold: HumanGold): boolean {
  const m = parseMetricKey(metric);
  switch (m.family) {
    case 'response_type':
    case 'user_values_response_type':
    case 'expect_pass':
      return gold.responseType !== undefined;
    case 'refusal':
    case 'refusal_rate':
      return gold.refusal !== undefined;
    case 'value':
    case 'category':
    case 'any_value':
      return gold.aiValues !== undefined;
    case 'mirroring':
      return gold.aiValues !== undefined && gold.humanValues !== undefined && metricDenominator(metric) === 'user_values';
    default:
      return false;
  }
}

/** Per field, the share of labels giving it on which the judge read the cell as the human did (values: the same set of keys). */
export function fieldAgreement(
  pairs: readonly { judge: AnalysisJudgment; gold: HumanGold; human: AnalysisJudgment }[],
): Record<'responseType' | 'refusal' | 'aiValues' | 'humanValues', number | null> {
  const keyOf = (v: AnalysisJudgment['aiValues'][number]) => (v.taxonomy.leaf ?? v.name).toLowerCase();
  const sameSet = (a: AnalysisJudgment['aiValues'], b: AnalysisJudgment['aiValues']) => {
    const x = new Set(a.map(keyOf));
    const y = new Set(b.map(keyOf));
    return x.size === y.size && [...x].every((k) => y.has(k));
  };
  const share = (field: keyof HumanGold, same: (p: (typeof pairs)[number]) => boolean) => {
    const given = pairs.filter((p) => p.gold[field] !== undefined);
    return given.length === 0 ? null : given.filter(same).length / given.length;
  };
  return {
    responseType: share('responseType', (p) => p.judge.responseType === p.human.responseType),
    refusal: share('refusal', (p) => p.judge.refusal === p.human.refusal),
    aiValues: share('aiValues', (p) => sameSet(p.judge.aiValues, p.human.aiValues)),
    humanValues: share('humanValues', (p) => sameSet(p.judge.humanValues, p.human.humanValues)),
  };
}
