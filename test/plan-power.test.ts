import { describe, expect, it } from 'vitest';
import { GateConfigSchema } from '../src/config/gate-schema.js';
import { beta, betaForMeanIcc, binomial } from '../src/devtools/simulate/random-variates.js';
import { gateRates, type MetricTruth, type ScenarioShape } from '../src/devtools/simulate/simulate-suite-gate.js';
import {
  passProbability,
  plannedHalfWidth,
  plannedSe,
  type RuleDesign,
  rateVariance,
  samplesNeeded,
  scenariosNeeded,
} from '../src/stages/analyze/plan/power-math.js';
import { DEFAULT_VARIANCE, powerPlan } from '../src/stages/analyze/plan/power-plan.js';
import { varianceFromCounts } from '../src/stages/analyze/plan/run-variance.js';
import { pairedNullSe } from '../src/stages/analyze/stats/mde.js';
import { createRng } from '../src/stages/analyze/stats/prng.js';

// The power plan's formulas (docs/statistics.md, "Power plan") checked against seeded simulations of
// the gate's own code. Figures are printed:  npx vitest run test/plan-power.test.ts

const METRIC = 'response_type:strong_resistance';
const TRUTH = { mean: 0.6, icc: 0.4 };
const shape = (scenarios: number): ScenarioShape[] =>
  Array.from({ length: scenarios }, (_, i) => ({ id: `s${i}`, domain: 'd', expect: true, userValues: true }));
const gateOf = (margin: Record<string, number>) =>
  GateConfigSchema.parse({ resamples: 400, rules: [{ name: 'r', metric: METRIC, domain: 'd', ...margin }] });
const design = (scenarios: number, samples: number, margin: number): RuleDesign => ({
  scenarios,
  strata: 1,
  samples,
  alpha: 0.05,
  rules: 1,
  lower: -margin,
  upper: Number.POSITIVE_INFINITY,
  margin,
});
const truths = (shift = 0): MetricTruth[] => [{ metric: METRIC, ...TRUTH, ...(shift !== 0 ? { shift } : {}) }];

describe('power-plan formulas', () => {
  const v = rateVariance(TRUTH.mean, TRUTH.icc);

  it('the default is p = 0.5, rho = 0.3; the planned SE is the gate MDE SE of identical models', () => {
    expect(DEFAULT_VARIANCE.variance.within).toBeCloseTo(0.175, 10);
    expect(DEFAULT_VARIANCE.variance.between).toBeCloseTo(0.075, 10);
    // pairedNullSe on the expected counts: per scenario p_s(1 - p_s) averages to `within`.
    const counts = Array.from({ length: 40 }, () => ({ kA: 5, nA: 10, kB: 5, nB: 10 }));
    expect(plannedSe(rateVariance(0.5, 0), 40, 10)).toBeCloseTo(pairedNullSe(counts)! * Math.sqrt(19 / 20), 3);
  });

  it('pass probability rises with samples; a two-sided margin needs more; few scenarios cap it', () => {
    const d = design(32, 12, 0.1);
    expect(passProbability(v, { ...d, samples: 3 })).toBeLessThan(passProbability(v, d));
    expect(passProbability(v, { ...d, upper: 0.1 })).toBeLessThan(passProbability(v, d));
    expect(samplesNeeded(v, d)).toBeGreaterThan(3);
    expect(passProbability(v, d, samplesNeeded(v, d)!)).toBeGreaterThanOrEqual(0.8);
    expect(passProbability(v, d, samplesNeeded(v, d)! - 1)).toBeLessThan(0.8);
    // 5 scenarios: the between-scenario share of the interval alone reaches the 10-pt margin.
    const small = design(5, 3, 0.1);
    expect(plannedHalfWidth(v, small, Number.POSITIVE_INFINITY)).toBeGreaterThan(0.1);
    expect(samplesNeeded(v, small)).toBeNull();
    expect(scenariosNeeded(v, small)).toBeGreaterThan(5);
  });

  it('a rule without a margin is never decidable; the plan says so', () => {
    const gate = GateConfigSchema.parse({ rules: [{ name: 'none', metric: METRIC }] });
    const [row] = powerPlan(gate, { scenarios: Array.from({ length: 30 }, () => ({ domain: 'd', userValues: [] })), samples: 5 });
    expect(row!.pass).toBe(0);
    expect(row!.samplesNeeded).toBeNull();
    expect(row!.advice).toMatch(/no margin/);
  });

  it('the variance estimated from a run recovers mean, within and between parts', () => {
    const rng = createRng(3);
    const [a, b] = betaForMeanIcc(TRUTH.mean, TRUTH.icc);
    const counts = Array.from({ length: 2000 }, () => ({ k: binomial(6, beta(a, b, rng), rng), n: 6 }));
    const est = varianceFromCounts(counts)!;
    expect(est.split).toBe(true);
    expect(est.variance.mean).toBeCloseTo(TRUTH.mean, 1);
    expect(est.variance.within).toBeCloseTo(v.within, 2);
    expect(est.variance.between).toBeCloseTo(v.between, 2);
    expect(varianceFromCounts(counts.map((c) => ({ k: 0, n: c.n })))).toBeNull();
  });
});

describe('power plan against simulated gates (the gate code, seeded)', () => {
  it("plan's MDE is within 20% of the simulated one: simulated power < 80% at 0.8 x MDE and > 80% at 1.2 x MDE", () => {
    const trials = 200;
    for (const [samples, seed] of [
      [3, 1],
      [12, 50_000],
    ] as const) {
      const gate = gateOf({ maxDrop: 0.1 });
      const [row] = powerPlan(gate, { scenarios: shape(32).map((s) => ({ domain: s.domain, userValues: [] })), samples }, () => ({
        variance: rateVariance(TRUTH.mean, TRUTH.icc),
        source: 'truth',
      }));
      const mde = row!.mde!;
      const power = [0.8, 1, 1.2].map((f) => gateRates(gate, shape(32), samples, truths(-f * mde), { trials, seed }).rules.r!.fail);
      // Where the simulated power crosses 80%, interpolated linearly between the three points.
      const [p0, p1, p2] = power as [number, number, number];
      const cross = p1 >= 0.8 ? 0.8 + (0.2 * (0.8 - p0)) / (p1 - p0) : 1 + (0.2 * (0.8 - p1)) / (p2 - p1);
      console.log(
        `32 scenarios x ${samples} samples, maxDrop 10 pts, p 0.6, rho 0.4: predicted MDE ${(mde * 100).toFixed(1)} pts; simulated power at 0.8/1/1.2 x MDE: ${power.join(' / ')} (${trials} gates each); simulated MDE about ${(cross * mde * 100).toFixed(1)} pts (${cross.toFixed(2)} x predicted)`,
      );
      // The simulated MDE (where power crosses 80%) lies between 0.8 and 1.2 x the predicted one.
      expect(power[0]).toBeLessThan(0.8);
      expect(power[2]).toBeGreaterThan(0.8);
    }
  }, 60_000);

  it('at the planned samples per scenario identical models PASS about 80% of the time; at half of them less', () => {
    const trials = 200;
    const v = rateVariance(TRUTH.mean, TRUTH.icc);
    const need = samplesNeeded(v, design(32, 3, 0.1))!;
    const at = (n: number) => gateRates(gateOf({ maxDrop: 0.1 }), shape(32), n, truths(), { trials, seed: 7_000 + n }).pass;
    const halfN = Math.ceil(need / 2);
    const [full, half] = [at(need), at(halfN)];
    const predicted = (n: number) => passProbability(v, design(32, n, 0.1), n).toFixed(2);
    console.log(
      `32 scenarios, maxDrop 10 pts: plan says ${need} samples; identical models PASS ${full} at ${need} (predicted ${predicted(need)}), ${half} at ${halfN} (predicted ${predicted(halfN)})`,
    );
    expect(full).toBeGreaterThan(0.72);
    expect(half).toBeLessThan(0.75);
  }, 60_000);

  it('5 scenarios: more samples cannot help (plan and simulation agree), the planned scenarios would', () => {
    const trials = 200;
    const v = rateVariance(TRUTH.mean, TRUTH.icc);
    expect(samplesNeeded(v, design(5, 3, 0.1))).toBeNull();
    const scen = scenariosNeeded(v, design(5, 3, 0.1))!;
    const gate = gateOf({ maxDrop: 0.1 });
    const many = gateRates(gate, shape(5), 40, truths(), { trials, seed: 11 }).pass;
    const planned = gateRates(gate, shape(scen), 3, truths(), { trials, seed: 12 }).pass;
    console.log(`5 scenarios x 40 samples: identical models PASS ${many}; plan: ${scen} scenarios at 3 samples, simulated PASS ${planned}`);
    expect(many).toBeLessThan(0.5);
    expect(planned).toBeGreaterThan(0.72);
  }, 60_000);
});
