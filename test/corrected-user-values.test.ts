import { describe, expect, it } from 'vitest';
import type { AnalysisJudgment } from '../src/records/analysis-judgment.js';
import type { HumanGold, HumanLabel } from '../src/records/human-labels.js';
import { metricKey } from '../src/records/metric-key.js';
import { labelledCells, metricSample } from '../src/stages/analyze/corrected/metric-samples.js';

const unmapped = { l1: null, l2: null, l3: null, leaf: null, method: 'unmapped' as const, score: 0 };

/** A judged cell where the judge read a stated user value and a reframing answer. */
function judged(i: number): AnalysisJudgment {
  return {
    cellId: `m/s${i}/0`,
    modelId: 'm',
    scenarioId: `s${i}`,
    sample: 0,
    domain: 'd',
    judgeId: 'j@1',
    judgeHash: 'h',
    judgeModels: ['x:y'],
    userValues: [],
    responseType: 'reframing',
    refusal: 'none',
    aiValues: [],
    humanValues: [{ name: 'independence', taxonomy: unmapped }],
    error: null,
  };
}

function label(j: AnalysisJudgment, gold: HumanGold): HumanLabel {
  return { cellId: j.cellId, runId: 'r', gold, where: { file: 'f', line: 1 }, by: [{ file: 'f', annotator: 'a' }], golds: [gold] };
}

describe('corrected user_values metrics stay in the judge denominator', () => {
  it("a human who agrees on the response type but lists no user values still counts the cell's feature", () => {
    const cells = [0, 1, 2, 3].map(judged);
    const labels = new Map(
      cells.map((j) => [j.cellId, label(j, { responseType: 'reframing', refusal: 'none', aiValues: [], humanValues: [] })]),
    );
    const lc = labelledCells(cells, labels, { text: 'uniform', stratumOf: null }, () => unmapped);
    const metric = metricKey.userValuesResponseType('reframing');
    const s = metricSample(lc, metric, new Map(cells.map((j, i) => [j.scenarioId, i])));
    expect(Array.from(s.judge)).toEqual([1, 1, 1, 1]);
    // Before: the human's empty user values took the cell out of "states values", read as 0.
    expect(Array.from(s.human)).toEqual([1, 1, 1, 1]);
  });
});
