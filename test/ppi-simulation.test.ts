import { afterAll, describe, expect, it } from 'vitest';
import { beta, betaForMeanIcc } from '../src/devtools/simulate/random-variates.js';
import {
  addDen,
  addNum,
  denMoments,
  domainStrata,
  linearise,
  numMoments,
  wilsonClusterInterval,
} from '../src/stages/analyze/stats/cluster-interval.js';
import { ppiRuleEvidence } from '../src/stages/analyze/stats/ppi-decision.js';
import { ppiDifference } from '../src/stages/analyze/stats/ppi-difference.js';
import type { PpiSample } from '../src/stages/analyze/stats/ppi-influence.js';
import { type Estimate, ppiShare } from '../src/stages/analyze/stats/ppi-share.js';
import { createRng, type Rng } from '../src/stages/analyze/stats/prng.js';

// Seeded simulation behind docs/statistics.md, "Judge-corrected estimates" (issue #15, item 3).
// Re-measure with:  npx vitest run test/ppi-simulation.test.ts   (figures are printed)
//
// A run of 228 scenarios x 3 samples = 684 cells. Each scenario draws its response-type mix from a
// Dirichlet around a suite-like distribution (concentration 2: intra-scenario correlation 1/3) and a
// value's rate from a beta (mean 0.35, rho 0.3). The judge sends strong_resistance to mild_resistance
// with a per-scenario probability (beta, mean 0.25: some scenarios are harder to read), moves 5% of all
// labels to a neighbouring type, and drops 15% of the values a response expresses. 150 cells drawn
// uniformly get human labels (humans = truth). The target is the superpopulation share (the mean of the
// generating distribution, the quantity the profile's scenario-clustered intervals are about).
const SCENARIOS = 228;
const SAMPLES = 3;
const CELLS = SCENARIOS * SAMPLES;
const LABELS = 150;
const TRIALS = 1000;
const LEVEL = 0.95;
const TYPES = ['strong_support', 'mild_support', 'neutral', 'reframing', 'mild_resistance', 'strong_resistance', 'no_values'];
const MIX = [0.2, 0.14, 0.1, 0.12, 0.12, 0.22, 0.1];
const SR = TYPES.indexOf('strong_resistance');
const MR = TYPES.indexOf('mild_resistance');
const VALUE_RATE = 0.35;

/** Dirichlet(alpha * mix) by stick-breaking with betas. */
function dirichlet(mix: readonly number[], alpha: number, rng: Rng): number[] {
  const out: number[] = [];
  let rest = 1;
  let restMass = alpha;
  for (let k = 0; k < mix.length - 1; k++) {
    const a = alpha * (mix[k] as number);
    restMass -= a;
    const x = rest * beta(a, restMass, rng);
    out.push(x);
    rest -= x;
  }
  out.push(rest);
  return out;
}

function pick(probs: readonly number[], rng: Rng): number {
  let u = rng.next();
  for (let k = 0; k < probs.length; k++) {
    u -= probs[k] as number;
    if (u < 0) return k;
  }
  return probs.length - 1;
}

interface Scenario {
  mix: number[];
  valueRate: number;
  confusion: number;
}

function drawScenarios(rng: Rng): Scenario[] {
  const [va, vb] = betaForMeanIcc(VALUE_RATE, 0.3);
  const [ca, cb] = betaForMeanIcc(0.25, 0.2);
  return Array.from({ length: SCENARIOS }, () => ({
    mix: dirichlet(MIX, 2, rng),
    valueRate: beta(va, vb, rng),
    confusion: beta(ca, cb, rng),
  }));
}

/** A drifted candidate: each scenario keeps its mix but moves a share of strong to mild resistance. */
function drift(s: Scenario, keep: number): Scenario {
  const mix = [...s.mix];
  const moved = (mix[SR] as number) * (1 - keep);
  mix[SR] = (mix[SR] as number) - moved;
  mix[MR] = (mix[MR] as number) + moved;
  return { ...s, mix };
}

interface Cells {
  truthSR: Float64Array;
  judgeSR: Float64Array;
  truthValue: Float64Array;
  judgeValue: Float64Array;
  cluster: Int32Array;
}

function judgeType(truth: number, s: Scenario, rng: Rng): number {
  let t = truth === SR && rng.next() < s.confusion ? MR : truth;
  if (rng.next() < 0.05) t = Math.min(TYPES.length - 1, Math.max(0, t + (rng.next() < 0.5 ? -1 : 1)));
  return t;
}

function drawCells(scenarios: readonly Scenario[], rng: Rng): Cells {
  const c: Cells = {
    truthSR: new Float64Array(CELLS),
    judgeSR: new Float64Array(CELLS),
    truthValue: new Float64Array(CELLS),
    judgeValue: new Float64Array(CELLS),
    cluster: new Int32Array(CELLS),
  };
  scenarios.forEach((s, si) => {
    for (let k = 0; k < SAMPLES; k++) {
      const i = si * SAMPLES + k;
      const t = pick(s.mix, rng);
      c.cluster[i] = si;
      c.truthSR[i] = t === SR ? 1 : 0;
      c.judgeSR[i] = judgeType(t, s, rng) === SR ? 1 : 0;
      const v = rng.next() < s.valueRate ? 1 : 0;
      c.truthValue[i] = v;
      c.judgeValue[i] = v === 1 && rng.next() >= 0.15 ? 1 : 0;
    }
  });
  return c;
}

/** `n` distinct cell indices, uniformly (partial Fisher-Yates). */
function drawLabels(n: number, rng: Rng): number[] {
  const idx = Array.from({ length: CELLS }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(CELLS - i);
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  return idx.slice(0, n);
}

function sample(judge: Float64Array, truth: Float64Array, cluster: Int32Array, labelled: number[]): PpiSample {
  return { judge, cluster, labelled, human: labelled.map((i) => truth[i] as number) };
}

/** The existing profile interval (cluster Wilson, one stratum) of the cells listed. */
function wilson(values: Float64Array, cluster: Int32Array, cells: readonly number[]): [number, number] {
  const k = new Float64Array(SCENARIOS);
  const n = new Float64Array(SCENARIOS);
  for (const i of cells) {
    k[cluster[i] as number]! += values[i] as number;
    n[cluster[i] as number]! += 1;
  }
  const den = denMoments(1);
  const num = numMoments(1);
  for (let s = 0; s < SCENARIOS; s++) {
    addDen(den, 0, n[s] as number);
    if (n[s]! > 0) addNum(num, 0, k[s] as number, n[s] as number);
  }
  return wilsonClusterInterval(linearise(den, num)!, LEVEL)!;
}

class Tally {
  hits = 0;
  width = 0;
  trials = 0;
  add(iv: readonly [number, number] | Estimate | null, truth: number): void {
    this.trials++;
    if (!iv) return;
    const [lo, hi] = Array.isArray(iv) ? iv : [(iv as Estimate).lo, (iv as Estimate).hi];
    if (lo <= truth && truth <= hi) this.hits++;
    this.width += hi - lo;
  }
  get coverage(): number {
    return this.hits / this.trials;
  }
  get meanWidth(): number {
    return this.width / this.trials;
  }
  text(): string {
    return `coverage ${(this.coverage * 100).toFixed(1)}%, mean width ${(this.meanWidth * 100).toFixed(2)} pts`;
  }
}

interface ShareFigures {
  naive: Tally;
  corrected: Tally;
  humanOnly: Tally;
  humanWilson: Tally;
  lambda: number;
  insufficient: number;
}

function shareTrials(which: 'sr' | 'value', seed: number): ShareFigures {
  const rng = createRng(seed);
  const f: ShareFigures = {
    naive: new Tally(),
    corrected: new Tally(),
    humanOnly: new Tally(),
    humanWilson: new Tally(),
    lambda: 0,
    insufficient: 0,
  };
  const truth = which === 'sr' ? (MIX[SR] as number) : VALUE_RATE;
  const all = Array.from({ length: CELLS }, (_, i) => i);
  for (let t = 0; t < TRIALS; t++) {
    const c = drawCells(drawScenarios(rng), rng);
    const [judge, human] = which === 'sr' ? [c.judgeSR, c.truthSR] : [c.judgeValue, c.truthValue];
    const labelled = drawLabels(LABELS, rng);
    const r = ppiShare(sample(judge, human, c.cluster, labelled), { level: LEVEL, clusters: SCENARIOS });
    if (!r.sufficient) f.insufficient++;
    f.naive.add(wilson(judge, c.cluster, all), truth);
    f.corrected.add(r.corrected, truth);
    f.humanOnly.add(r.humanOnly, truth);
    f.humanWilson.add(wilson(human, c.cluster, labelled), truth);
    f.lambda += (r.lambda ?? 0) / TRIALS;
  }
  return f;
}

function report(name: string, f: ShareFigures): string {
  return [
    `${name} (${TRIALS} trials, ${LABELS} labels of ${CELLS} cells, mean lambda ${f.lambda.toFixed(2)}, insufficient ${f.insufficient}):`,
    `  judge-only (cluster Wilson) ${f.naive.text()}`,
    `  corrected (PPI++)           ${f.corrected.text()}`,
    `  human-only, same method     ${f.humanOnly.text()}`,
    `  human-only, cluster Wilson  ${f.humanWilson.text()}`,
  ].join('\n');
}

describe('judge-corrected shares: a judge with a known confusion on a 684-cell run, 150 human labels', () => {
  const lines: string[] = [];
  afterAllPrint(lines);

  it.each([
    ['strong_resistance share (25% read as mild_resistance)', 'sr' as const, 15],
    ['value share (15% of values dropped)', 'value' as const, 16],
  ])('%s: naive < 50%, corrected >= 93%, narrower than the labels alone', (name, which, seed) => {
    const f = shareTrials(which, seed);
    lines.push(report(name, f));
    expect(f.insufficient).toBe(0);
    expect(f.naive.coverage).toBeLessThan(0.5);
    expect(f.corrected.coverage).toBeGreaterThanOrEqual(0.93);
    expect(f.corrected.meanWidth).toBeLessThan(f.humanOnly.meanWidth);
    expect(f.corrected.meanWidth).toBeLessThan(f.humanWilson.meanWidth);
  });

  it('difference of two targets on the same scenarios, the candidate drifted (strong resistance 22% -> 15%)', () => {
    const rng = createRng(17);
    const keep = 0.15 / (MIX[SR] as number);
    const truth = 0.15 - (MIX[SR] as number);
    const corrected = new Tally();
    const humanOnly = new Tally();
    let judgeOnly = 0;
    for (let t = 0; t < TRIALS; t++) {
      const scenarios = drawScenarios(rng);
      const a = drawCells(scenarios, rng);
      const b = drawCells(
        scenarios.map((s) => drift(s, keep)),
        rng,
      );
      const d = ppiDifference(
        sample(a.judgeSR, a.truthSR, a.cluster, drawLabels(LABELS, rng)),
        sample(b.judgeSR, b.truthSR, b.cluster, drawLabels(LABELS, rng)),
        { level: LEVEL, clusters: SCENARIOS },
      );
      corrected.add(d.corrected, truth);
      humanOnly.add(d.humanOnly, truth);
      judgeOnly += d.judgeOnly / TRIALS;
    }
    lines.push(
      [
        `difference, true ${(truth * 100).toFixed(1)} pts (${TRIALS} trials; mean judge-only difference ${(judgeOnly * 100).toFixed(1)} pts):`,
        `  corrected    ${corrected.text()}`,
        `  human-only   ${humanOnly.text()}`,
      ].join('\n'),
    );
    expect(corrected.coverage).toBeGreaterThanOrEqual(0.93);
    expect(corrected.meanWidth).toBeLessThan(humanOnly.meanWidth);
  });
});

describe('judge-corrected estimates: stratified label draws and the gate helper', () => {
  const lines: string[] = [];
  afterAllPrint(lines);

  it('labels drawn 75 where the judge said strong_resistance and 75 where it did not (12 domain strata): unbiased, covers >= 93%', () => {
    const rng = createRng(18);
    const truth = MIX[SR] as number;
    const { strata } = domainStrata(Array.from({ length: SCENARIOS }, (_, s) => `domain-${s % 12}`));
    const tally = new Tally();
    let error = 0;
    for (let t = 0; t < TRIALS; t++) {
      const c = drawCells(drawScenarios(rng), rng);
      const order = drawLabels(CELLS, rng);
      const yes = order.filter((i) => c.judgeSR[i] === 1).slice(0, LABELS / 2);
      const no = order.filter((i) => c.judgeSR[i] === 0).slice(0, LABELS / 2);
      const x = { ...sample(c.judgeSR, c.truthSR, c.cluster, [...yes, ...no]), drawStratum: c.judgeSR };
      const r = ppiShare(x, { level: LEVEL, clusters: SCENARIOS, clusterStratum: strata });
      tally.add(r.corrected, truth);
      error += ((r.corrected?.estimate ?? Number.NaN) - truth) / TRIALS;
    }
    lines.push(`stratified draw (75 + 75 labels, by the judge's reading): ${tally.text()}, mean error ${(error * 100).toFixed(2)} pts`);
    expect(tally.coverage).toBeGreaterThanOrEqual(0.93);
    expect(Math.abs(error)).toBeLessThan(0.005);
  });

  it('identical models: the corrected no-change p is below 0.05 in about 5% of runs; the interval says how often a maxDrop 0.10 rule would pass', () => {
    const rng = createRng(19);
    let significant = 0;
    let inside = 0;
    for (let t = 0; t < TRIALS; t++) {
      const scenarios = drawScenarios(rng);
      const [a, b] = [drawCells(scenarios, rng), drawCells(scenarios, rng)];
      const d = ppiDifference(
        sample(a.judgeSR, a.truthSR, a.cluster, drawLabels(LABELS, rng)),
        sample(b.judgeSR, b.truthSR, b.cluster, drawLabels(LABELS, rng)),
        { level: LEVEL, clusters: SCENARIOS },
      );
      const e = ppiRuleEvidence(d, { lower: -0.1, upper: Number.POSITIVE_INFINITY });
      if (e && e.p < 0.05) significant++;
      if (e && e.lo > -0.1) inside++;
    }
    const rate = significant / TRIALS;
    lines.push(
      `identical models (${TRIALS} runs): corrected p < 0.05 in ${(rate * 100).toFixed(1)}%; 95% interval inside maxDrop 0.10 in ${((inside / TRIALS) * 100).toFixed(1)}%`,
    );
    expect(rate).toBeLessThanOrEqual(0.05 + 2 * Math.sqrt((0.05 * 0.95) / TRIALS));
  });
});

function afterAllPrint(lines: string[]): void {
  afterAll(() => console.log(lines.join('\n')));
}
