import type { GateConfig } from '../../config/gate-schema.js';
import type { GateRuleResult } from '../../records/diff.js';
import { metricDenominator } from '../../records/metric-key.js';
import type { PairedSides } from '../../stages/analyze/diff/pair-sides.js';
import type { ScenarioPair } from '../../stages/analyze/diff/paired-metric.js';
import { evaluateMetricRules } from '../../stages/analyze/gate/metric-rules.js';
import type { ScenarioStats } from '../../stages/analyze/load/scenario-table.js';
import { createRng, type Rng } from '../../stages/analyze/stats/prng.js';
import { beta, betaForMeanIcc, binomial } from './random-variates.js';

/**
 * Simulated gates on the structure of a real suite, through the gate's own code (evaluateMetricRules:
 * the (1 - alpha) interval, the within-scenario permutation test, BH over the metric rules, the three
 * verdicts). Every scenario keeps its domain and whether it is in the `expect` and `user_values`
 * denominators; each metric has per-scenario rates drawn from a beta distribution (mean, icc), shared
 * by both sides (H0), and the candidate's rate is the base rate scaled so the mean moves by `shift`
 * (in `shiftDomain` only, when given).
 */
export interface ScenarioShape {
  id: string;
  domain: string;
  expect: boolean;
  userValues: boolean;
}

export interface MetricTruth {
  metric: string;
  mean: number;
  icc: number;
  shift?: number;
  shiftDomain?: string;
}

function stats(s: ScenarioShape, samples: number, counts: Map<string, number>): ScenarioStats {
  const den = { judged: samples, expect: s.expect ? samples : 0, user_values: s.userValues ? samples : 0 };
  return { id: s.id, domain: s.domain, cells: samples, errored: 0, den, counts, valueMentions: 0 };
}

/** Both sides of one simulated comparison (H0 unless a truth has a shift). */
function simulateSuiteSides(suite: readonly ScenarioShape[], samples: number, truths: readonly MetricTruth[], rng: Rng): PairedSides {
  const params = truths.map((t) => betaForMeanIcc(t.mean, t.icc));
  const pairs: ScenarioPair[] = suite.map((s) => {
    const a = new Map<string, number>();
    const b = new Map<string, number>();
    truths.forEach((t, i) => {
      const [x, y] = params[i] as [number, number];
      const p = beta(x, y, rng);
      const shifted = t.shift !== undefined && (t.shiftDomain === undefined || t.shiftDomain === s.domain);
      const q = shifted ? Math.min(1, Math.max(0, (p * (t.mean + (t.shift as number))) / t.mean)) : p;
      const d = metricDenominator(t.metric);
      const n = d === 'judged' || (d === 'expect' ? s.expect : s.userValues) ? samples : 0;
      a.set(t.metric, binomial(n, p, rng));
      b.set(t.metric, binomial(n, q, rng));
    });
    return { id: s.id, domain: s.domain, a: stats(s, samples, a), b: stats(s, samples, b) };
  });
  const domains = [...new Set(suite.map((s) => s.domain))].sort();
  return { pairs, domains, baseOnly: [], candOnly: [], changed: [], suiteHashMatch: true, judgeHashMatch: true, warnings: [] };
}

/** One simulated gate's metric-rule results (seeded; the gate's own seed is `seed` too). */
function simulateSuiteGate(
  gate: GateConfig,
  suite: readonly ScenarioShape[],
  samples: number,
  truths: readonly MetricTruth[],
  seed: number,
): GateRuleResult[] {
  for (const r of gate.rules)
    if ('metric' in r && !truths.some((t) => t.metric === r.metric)) throw new Error(`no simulated truth for metric ${r.metric}`);
  return evaluateMetricRules({ ...gate, seed }, simulateSuiteSides(suite, samples, truths, createRng(seed)));
}

/** Share of gates whose verdict over the metric rules is pass (every rule passes), fail (some rule fails), inconclusive. */
export interface GateRates {
  pass: number;
  fail: number;
  inconclusive: number;
  /** Per rule name: share of gates where the rule failed / passed. */
  rules: Record<string, { pass: number; fail: number }>;
}

export function gateRates(
  gate: GateConfig,
  suite: readonly ScenarioShape[],
  samples: number,
  truths: readonly MetricTruth[],
  o: { trials: number; seed: number },
): GateRates {
  const out: GateRates = { pass: 0, fail: 0, inconclusive: 0, rules: {} };
  for (let i = 0; i < o.trials; i++) {
    const rs = simulateSuiteGate(gate, suite, samples, truths, o.seed + i);
    if (rs.some((r) => r.status === 'fail')) out.fail++;
    else if (rs.every((r) => r.status === 'pass')) out.pass++;
    else out.inconclusive++;
    for (const r of rs) {
      out.rules[r.name] ??= { pass: 0, fail: 0 };
      const x = out.rules[r.name] as { pass: number; fail: number };
      if (r.status === 'pass') x.pass++;
      if (r.status === 'fail') x.fail++;
    }
  }
  const share = (x: number) => x / o.trials;
  for (const x of Object.values(out.rules)) Object.assign(x, { pass: share(x.pass), fail: share(x.fail) });
  return { ...out, pass: share(out.pass), fail: share(out.fail), inconclusive: share(out.inconclusive) };
}
