import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import { type PpiRuleEvidence, ppiRuleEvidence } from '../src/stages/analyze/stats/ppi-decision.js';
import type { PpiDifference } from '../src/stages/analyze/stats/ppi-difference.js';
import { type PpiSample, ppiParts } from '../src/stages/analyze/stats/ppi-influence.js';
import { partsVariance, ppiShare } from '../src/stages/analyze/stats/ppi-share.js';
import { tuneLambda } from '../src/stages/analyze/stats/ppi-tuning.js';

// Eight cells in four scenarios of two; the judge says yes on cells 0, 1, 3, 6; humans labelled cells
// 0, 2, 3, 5, 6 (one miss by the judge: cell 5, human 1, judge 0).
const tiny: PpiSample = {
  judge: [1, 1, 0, 1, 0, 0, 1, 0],
  cluster: [0, 0, 1, 1, 2, 2, 3, 3],
  labelled: [0, 2, 3, 5, 6],
  human: [1, 0, 1, 1, 1],
};

describe('judge-corrected share: the estimator on hand-computed inputs', () => {
  it('splits the estimate into the human mean and the judge slope: theta(lambda) = 4/5 + lambda (1/2 - 3/5)', () => {
    const p = ppiParts(tiny, 4);
    expect(p.judgeMean).toBeCloseTo(1 / 2, 12); // 4 of 8 cells
    expect(p.human).toBeCloseTo(4 / 5, 12); // 4 of 5 labels
    expect(p.slope).toBeCloseTo(1 / 2 - 3 / 5, 12); // mean_N(f) - mean_n(f) = -1/10
    expect(p.agreement).toBeCloseTo(4 / 5, 12);
    // c_s: labelled (y - 4/5)/5 per scenario; d_s: every cell (f - 1/2)/8, labelled cells -(f - 3/5)/5.
    expect([...p.c].map((v) => v * 25)).toEqual([1, -3, 1, 1].map((v) => expect.closeTo(v, 10)));
    expect([...p.d].map((v) => v * 200)).toEqual([9, 8, -1, -16].map((v) => expect.closeTo(v, 10)));
  });

  it('tunes lambda to -V_cd / V_dd = (16/1875) / (67/5000) = 128/201 and gives theta = 148/201, V = 304/15075', () => {
    const p = ppiParts(tiny, 4);
    const lambda = tuneLambda(p);
    expect(lambda).toBeCloseTo(128 / 201, 12);
    expect(p.human + lambda * p.slope).toBeCloseTo(148 / 201, 12);
    expect(partsVariance(p, lambda, { level: 0.95 })).toBeCloseTo(304 / 15075, 12);
    // The human-only variance (lambda = 0) is larger: 16/625 = 0.0256 against 0.0202.
    expect(partsVariance(p, 0, { level: 0.95 })).toBeCloseTo(16 / 625, 12);
  });

  it('clamps lambda to 0 for a judge that disagrees with the humans, and to 1 for one whose scale is too small', () => {
    const contrary = ppiParts({ ...tiny, human: [0, 1, 0, 1, 0] }, 4);
    expect(tuneLambda(contrary)).toBe(0);
    // From 4 scenarios the variances behind lambda are noisy: a judge agreeing with every label gets 76/201 = 0.38,
    // one reason the too-few-labels rule asks for 10 labelled scenarios.
    expect(tuneLambda(ppiParts({ ...tiny, human: [1, 0, 1, 0, 1] }, 4))).toBeCloseTo(76 / 201, 12);
    // The judge says 0.5 where humans say 1: the unclamped optimum is about Cov(y, f) / Var(f) = 2.
    const x = sized(200, 40, 60);
    const half = ppiParts({ ...x, judge: Array.from(x.judge, (f) => f / 2) }, 40);
    expect(tuneLambda(half)).toBe(1);
  });

  it('stratified draws are unbiased over every possible draw; ignoring the strata is not', () => {
    // Stratum 0 (judge yes) cells 0-3, stratum 1 (judge no) cells 4-7; 2 labels drawn in each.
    const judge = [1, 1, 1, 1, 0, 0, 0, 0];
    const truth = [1, 1, 0, 1, 1, 0, 0, 0];
    const cluster = [0, 1, 2, 3, 0, 1, 2, 3];
    const pairs = (from: number) => [0, 1, 2, 3].flatMap((a) => [0, 1, 2, 3].filter((b) => b > a).map((b) => [from + a, from + b]));
    let weighted = 0;
    let naive = 0;
    let draws = 0;
    for (const a of pairs(0))
      for (const b of pairs(4)) {
        const labelled = [...a, ...b] as number[];
        const x = { judge, cluster, labelled, human: labelled.map((i) => truth[i] as number) };
        const s = ppiParts({ ...x, drawStratum: [0, 0, 0, 0, 1, 1, 1, 1] }, 4);
        const u = ppiParts(x, 4);
        weighted += s.human + 0.7 * s.slope;
        naive += u.human + 0.7 * u.slope;
        draws++;
      }
    expect(draws).toBe(36);
    expect(weighted / draws).toBeCloseTo(4 / 8, 12); // the true share of the eight cells
    expect(naive / draws).toBeCloseTo(4 / 8, 12); // equal strata sizes and labels: uniform weights coincide
    // Unequal allocation (3 labels in stratum 0, 1 in stratum 1) is where the weights matter.
    let w2 = 0;
    let n2 = 0;
    let k = 0;
    for (let skip = 0; skip < 4; skip++)
      for (let one = 4; one < 8; one++) {
        const labelled = [0, 1, 2, 3].filter((i) => i !== skip).concat(one);
        const x = { judge, cluster, labelled, human: labelled.map((i) => truth[i] as number) };
        w2 += ppiParts({ ...x, drawStratum: [0, 0, 0, 0, 1, 1, 1, 1] }, 4).human;
        n2 += ppiParts(x, 4).human;
        k++;
      }
    expect(w2 / k).toBeCloseTo(4 / 8, 12);
    expect(n2 / k).not.toBeCloseTo(4 / 8, 2); // (3 x 3/4 + 1 x 1/4) / 4 = 0.625
  });
});

/** n cells in `scenarios` scenarios, the first `labels` labelled, humans saying yes on every other one. */
function sized(cells: number, scenarios: number, labels: number, humanYes = (j: number) => j % 2): PpiSample {
  const labelled = Array.from({ length: labels }, (_, j) => j);
  return {
    judge: Array.from({ length: cells }, (_, i) => i % 2),
    cluster: Array.from({ length: cells }, (_, i) => i % scenarios),
    labelled,
    human: labelled.map(humanYes),
  };
}

describe('judge-corrected share: too few labels', () => {
  it('gives no corrected figure with fewer than 30 labels, 10 labelled scenarios or 5 labels each way', () => {
    const few = ppiShare(sized(200, 40, 29), { level: 0.95 });
    expect(few).toMatchObject({ sufficient: false, corrected: null, lambda: null, labelled: 29 });
    expect(few.reason).toMatch(/only 29 human-labelled cells \(at least 30/);
    expect(few.judgeOnly).toBe(0.5);
    expect(few.humanOnly).not.toBeNull();
    expect(ppiShare(sized(200, 9, 60), { level: 0.95 }).reason).toMatch(/only 9 scenarios \(at least 10/);
    const rare = ppiShare(
      sized(200, 40, 60, (j) => (j < 4 ? 1 : 0)),
      { level: 0.95 },
    );
    expect(rare.reason).toMatch(/only 4 cells with the feature \(at least 5 each way/);
    const enough = ppiShare(sized(200, 40, 60), { level: 0.95 });
    expect(enough.sufficient).toBe(true);
    expect(enough.lambda).toBeCloseTo(1, 9); // a judge that agrees with every label
    expect(enough.corrected?.estimate).toBeCloseTo(0.5, 12);
  });

  it('refuses a draw stratum with fewer than 2 labels', () => {
    const x = sized(200, 40, 60);
    const r = ppiShare({ ...x, drawStratum: Array.from({ length: 200 }, (_, i) => (i === 199 ? 1 : 0)) }, { level: 0.95 });
    expect(r.sufficient).toBe(false);
    expect(r.reason).toMatch(/draw stratum has fewer than 2/);
  });

  it('rejects malformed input with a message that says what is wrong', () => {
    expect(() => ppiShare({ ...tiny, judge: [2, 1, 0, 1, 0, 0, 1, 0] }, { level: 0.95 })).toThrow(InputError);
    expect(() => ppiShare({ ...tiny, labelled: [0, 0, 3, 5, 6] }, { level: 0.95 })).toThrow(/listed twice/);
    expect(() => ppiShare({ ...tiny, human: [1, 0] }, { level: 0.95 })).toThrow(/2 human values for 5 labelled cells/);
  });
});

function difference(estimate: number, se: number, df: number): PpiDifference {
  return {
    sufficient: true,
    reason: null,
    corrected: { estimate, se, df, lo: estimate - 2 * se, hi: estimate + 2 * se },
    lambda: [1, 1],
    judgeOnly: 0,
    humanOnly: null,
  };
}

describe('judge-corrected difference: the gate helper', () => {
  it('gives the two-sided p of no change and the one-sided p of a change beyond the margin (t quantiles)', () => {
    // t(100): P(|T| > 1.983972) = 0.05; P(T < -1.5) = 0.0683825.
    const atCritical = ppiRuleEvidence(difference(-0.01983972, 0.01, 100), { lower: -0.05, upper: Number.POSITIVE_INFINITY });
    expect(atCritical?.p).toBeCloseTo(0.05, 6);
    const beyond = ppiRuleEvidence(difference(-0.08, 0.02, 100), { lower: -0.05, upper: Number.POSITIVE_INFINITY }) as PpiRuleEvidence;
    expect(beyond.beyondP).toBeCloseTo(0.0683825, 5);
    // Inside the band it measures against the nearer bound: here the lower one, 1.5 SE away, so 1 - 0.068.
    const inside = ppiRuleEvidence(difference(0.01, 0.02, 100), { lower: -0.02, upper: 0.1 }) as PpiRuleEvidence;
    expect(inside.beyondP).toBeCloseTo(1 - 0.0683825, 5);
    // A rise past maxRise 0.05 by 3 SE, t(30): P(T > 3) = 0.0026950.
    const rise = ppiRuleEvidence(difference(0.08, 0.01, 30), { lower: Number.NEGATIVE_INFINITY, upper: 0.05 }) as PpiRuleEvidence;
    expect(rise.beyondP).toBeCloseTo(0.002695, 6);
    expect(
      ppiRuleEvidence(difference(0.02, 0.01, 30), { lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY })?.beyondP,
    ).toBeNull();
  });

  it('gives nothing without a corrected figure', () => {
    expect(ppiRuleEvidence({ ...difference(0, 0.01, 10), corrected: null, sufficient: false }, { lower: -0.1, upper: 0.1 })).toBeNull();
  });
});
