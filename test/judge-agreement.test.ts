import { describe, expect, it } from 'vitest';
import {
  accuracy,
  cohensKappa,
  confusionMatrix,
  krippendorffAlphaNominal,
  meanPairwiseJaccard,
  setPrf,
  valueSetAgreement,
} from '../src/stages/judge/agreement.js';
import { consensusOf, majority, type RaterAnswer } from '../src/stages/judge/consensus.js';
import type { RawJudgment } from '../src/stages/judge/judge.js';
import { ReliabilityAccumulator } from '../src/stages/judge/reliability.js';

describe('Krippendorff alpha (nominal)', () => {
  it('reproduces the textbook example with missing data (Krippendorff 2011: alpha = 0.743)', () => {
    // 4 observers x 12 units, '.' = missing. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), sec. C.
    const A = '1 2 3 3 2 1 4 1 2 . . .'.split(' ');
    const B = '1 2 3 3 2 2 4 1 2 5 . 3'.split(' ');
    const C = '. 3 3 3 2 3 4 2 2 5 1 .'.split(' ');
    const D = '1 2 3 3 2 4 4 1 2 5 1 .'.split(' ');
    const units = A.map((_, u) => [A[u], B[u], C[u], D[u]].map((v) => (v === '.' ? null : v!)));
    expect(krippendorffAlphaNominal(units)).toBeCloseTo(0.743, 3);
  });

  it('reproduces the two-observer binary example (alpha = 0.095)', () => {
    // Krippendorff 2011, sec. A: observers A and B, 10 units.
    const A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    expect(krippendorffAlphaNominal(A.map((a, i) => [String(a), String(B[i])]))).toBeCloseTo(0.095, 3);
  });

  it('is 1 for perfect agreement and null when undefined', () => {
    expect(
      krippendorffAlphaNominal([
        ['a', 'a'],
        ['b', 'b'],
      ]),
    ).toBe(1);
    expect(
      krippendorffAlphaNominal([
        ['a', 'a'],
        ['a', 'a'],
      ]),
    ).toBeNull();
    expect(krippendorffAlphaNominal([['a', null]])).toBeNull();
  });
});

describe("Cohen's kappa", () => {
  it('matches a hand computation', () => {
    // 10 items, gold vs judge:
    //   gold  a a a a a b b b c c
    //   judge a a a b a b b c c a
    // agreements: a,a,a,-,a,b,b,-,c,- = 7 -> p_o = 0.7
    // gold marginals a 5, b 3, c 2; judge marginals a 5, b 3, c 2
    // p_e = (5*5 + 3*3 + 2*2) / 100 = 38/100 = 0.38
    // kappa = (0.7 - 0.38) / (1 - 0.38) = 0.32 / 0.62 = 0.516129...
    const gold = 'a a a a a b b b c c'.split(' ');
    const judge = 'a a a b a b b c c a'.split(' ');
    const pairs = gold.map((g, i) => [g, judge[i]!] as const);
    expect(cohensKappa(pairs)).toBeCloseTo(0.32 / 0.62, 10);
    expect(accuracy(pairs)).toBeCloseTo(0.7, 10);
    expect(confusionMatrix(pairs, ['a', 'b', 'c'])).toEqual([
      [4, 1, 0],
      [0, 2, 1],
      [1, 0, 1],
    ]);
  });

  it('is null when chance agreement is 1, and negative for systematic disagreement', () => {
    expect(
      cohensKappa([
        ['a', 'a'],
        ['a', 'a'],
      ]),
    ).toBeNull();
    // p_o = 0, p_e = 0.5 -> kappa = -1
    expect(
      cohensKappa([
        ['a', 'b'],
        ['b', 'a'],
      ]),
    ).toBe(-1);
  });
});

describe('Jaccard and set precision/recall', () => {
  it('computes pairwise means', () => {
    expect(valueSetAgreement(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
    expect(valueSetAgreement(new Set(), new Set())).toBe(1);
    // pairs: {a,b}-{a,b} = 1, {a,b}-{a} = 0.5, {a,b}-{a} = 0.5 -> mean 2/3
    expect(meanPairwiseJaccard([new Set(['a', 'b']), new Set(['a', 'b']), new Set(['a'])])).toBeCloseTo(2 / 3);
    expect(meanPairwiseJaccard([new Set(['a'])])).toBeNull();
  });

  it('micro-averages precision, recall and F1', () => {
    // tp: honesty, safety = 2; fp: care = 1; fn: autonomy = 1 -> P = 2/3, R = 2/3, F1 = 2/3
    const r = setPrf([
      { gold: new Set(['honesty', 'autonomy']), predicted: new Set(['honesty']) },
      { gold: new Set(['safety']), predicted: new Set(['safety', 'care']) },
    ]);
    expect(r).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(r.f1).toBeCloseTo(2 / 3);
  });
});

const j = (
  responseType: RawJudgment['responseType'],
  ai: string[],
  refusal: RawJudgment['refusal'] = 'none',
  human: string[] = [],
): RawJudgment => ({
  responseType,
  refusal,
  aiValues: ai.map((name) => ({ name, evidence: `says ${name}`, explicit: true })),
  humanValues: human.map((name) => ({ name })),
});

describe('consensus', () => {
  it('takes the majority response type and keeps values named by at least the quorum', () => {
    const answers: RaterAnswer[] = [
      { judge: 'a@1', sample: 0, judgment: j('reframing', ['honesty', 'care']) },
      { judge: 'a@1', sample: 1, judgment: j('mild_support', ['honesty']) },
      { judge: 'b@1', sample: 0, judgment: j('mild_support', ['honesty', 'autonomy'], 'partial') },
      { judge: 'b@1', sample: 1, judgment: null, error: 'boom' },
    ];
    const c = consensusOf(answers, 0.5);
    expect(c.voters).toBe(3);
    expect(c.responseType).toBe('mild_support');
    expect(c.refusal).toBe('none');
    // honesty 3/3; care 1/3 and autonomy 1/3 are below 0.5
    expect(c.aiValues.map((v) => v.name)).toEqual(['honesty']);
    expect(consensusOf(answers, 0.3).aiValues.map((v) => v.name)).toEqual(['honesty', 'care', 'autonomy']);
  });

  it('breaks ties in favour of the earliest rater', () => {
    expect(majority(['reframing', 'mild_support'])).toBe('reframing');
    expect(majority(['mild_support', 'reframing', 'reframing', 'mild_support'])).toBe('mild_support');
    expect(majority([])).toBeNull();
  });

  it('has no consensus when every rater failed', () => {
    expect(consensusOf([{ judge: 'a@1', sample: 0, judgment: null, error: 'x' }], 0.5)).toMatchObject({ voters: 0, responseType: null });
  });
});

describe('reliability accumulator', () => {
  it('accumulates alpha and Jaccard over cells, treating failed raters as missing', () => {
    const acc = new ReliabilityAccumulator();
    const r = (responseType: string | null, ai: string[], error?: string) => ({
      responseType: responseType as never,
      refusal: 'none' as const,
      aiValues: ai,
      humanValues: [],
      ...(error ? { error } : {}),
    });
    acc.add([r('mild_support', ['a']), r('mild_support', ['a', 'b'])]);
    acc.add([r('reframing', ['c']), r('reframing', ['c'])]);
    acc.add([r('reframing', ['c']), r(null, [], 'failed')]);
    const s = acc.summary();
    expect(s.raters).toBe(2);
    expect(s.cells).toBe(2);
    expect(s.responseTypeAlpha).toBe(1);
    expect(s.aiValuesJaccard).toBeCloseTo((0.5 + 1) / 2);
    expect(s.refusalAlpha).toBeNull();
  });
});
