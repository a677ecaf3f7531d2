import type { GateRule } from '../../config/gate-schema.js';
import { comparePaired, type ScenarioPair } from '../../stages/analyze/diff/paired-metric.js';
import { evaluateMetricRule } from '../../stages/analyze/gate/rule-verdict.js';
import type { ScenarioStats } from '../../stages/analyze/load/scenario-table.js';
import { benjaminiHochberg } from '../../stages/analyze/stats/multiple-testing.js';
import { createRng, type Rng } from '../../stages/analyze/stats/prng.js';
import { unpairedClusterPermutationP } from '../../stages/analyze/stats/unpaired-test.js';
import { HypergeometricTables } from '../../stages/analyze/stats/within-scenario-permutation.js';
import { beta, betaForMeanIcc, binomial } from './random-variates.js';

/**
 * Simulated gate decisions on per-scenario counts, through the same code the gate runs
 * (comparePaired, BH across the rules, evaluateMetricRule). Each rule's metric has per-scenario
 * rates drawn from a beta distribution (mean, icc); the candidate's rate is the base rate scaled so
 * its mean moves by `shift` (0 = H0: both sides share every scenario's distribution).
 */
interface SimMetric {
  rule: Extract<GateRule, { metric: string }>;
  mean: number;
  icc: number;
  shift: number;
}

export interface SimDesign {
  scenarios: number;
  samples: number;
  metrics: SimMetric[];
  alpha: number;
  resamples: number;
}

function stats(id: string, metric: string, k: number, n: number): ScenarioStats {
  return {
    id,
    domain: 'd',
    cells: n,
    errored: 0,
    den: { judged: n, expect: n, user_values: n },
    counts: new Map([[metric, k]]),
    valueMentions: 0,
  };
}

function simulatePairs(design: SimDesign, m: SimMetric, rng: Rng): ScenarioPair[] {
  const [a, b] = betaForMeanIcc(m.mean, m.icc);
  const scale = (m.mean + m.shift) / m.mean;
  return Array.from({ length: design.scenarios }, (_, s) => {
    const p = beta(a, b, rng);
    const q = Math.min(1, Math.max(0, p * scale));
    const id = `s${s}`;
    return {
      id,
      domain: 'd',
      a: stats(id, m.rule.metric, binomial(design.samples, p, rng), design.samples),
      b: stats(id, m.rule.metric, binomial(design.samples, q, rng), design.samples),
    };
  });
}

export interface SimGateOutcome {
  failed: boolean;
  ruleFailed: boolean[];
  pPaired: number[];
  pUnpaired: number[];
}

/** One simulated gate. Also returns the unpaired cluster permutation p-value of each metric. */
export function simulateGate(design: SimDesign, seed: number, withUnpaired = false): SimGateOutcome {
  const rng = createRng(seed);
  const tables = new HypergeometricTables();
  const all = Array.from({ length: design.scenarios }, (_, i) => i);
  const results = design.metrics.map((m) => {
    const pairs = simulatePairs(design, m, rng);
    const c = comparePaired(pairs, all, m.rule.metric, {
      section: '',
      dens: null,
      level: 1 - design.alpha,
      test: { mode: 'exact', resamples: design.resamples, rng, tables },
    });
    const pUnpaired = withUnpaired
      ? unpairedClusterPermutationP(
          pairs.map((p) => (p.a.counts.get(m.rule.metric) ?? 0) / p.a.den.judged),
          pairs.map((p) => (p.b.counts.get(m.rule.metric) ?? 0) / p.b.den.judged),
          design.resamples,
          rng,
        )
      : Number.NaN;
    return { m, c, pUnpaired };
  });
  const q = benjaminiHochberg(results.map((r) => r.c.p ?? 1));
  const ruleFailed = results.map(
    (r, i) =>
      evaluateMetricRule(r.m.rule, {
        delta: r.c.delta,
        lo: r.c.lo,
        hi: r.c.hi,
        q: q[i] as number,
        alpha: design.alpha,
        scenarios: design.scenarios,
      }).status === 'fail',
  );
  return {
    failed: ruleFailed.some(Boolean),
    ruleFailed,
    pPaired: results.map((r) => r.c.p ?? 1),
    pUnpaired: results.map((r) => r.pUnpaired),
  };
}
