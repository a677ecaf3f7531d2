import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { gateRates, type MetricTruth, type ScenarioShape } from '../src/devtools/simulate/simulate-suite-gate.js';
import { loadSuite } from '../src/scenarios/load-suite.js';
import { powerPlan } from '../src/stages/analyze/plan/power-plan.js';

// What the shipped config.yaml's gate can see, measured by seeded simulation on the real suite's
// structure (its 228 scenarios in 12 domains, which of them have `expect` and user values) at the
// shipped runner.samples, through the gate's own code. The figures are printed and copied into
// docs/ci.md, "The shipped gate: what it can see":
//   npx vitest run test/shipped-config-power.test.ts

const root = path.resolve(__dirname, '..');
const SR = 'response_type:strong_resistance';
const DOMAIN = 'unethical-requests';

/**
 * Stated base rates (mean, intra-scenario correlation) of the shipped rules' metrics for a capable
 * assistant: strong resistance on unethical requests 60% (rho 0.4: the request, not the sample, decides
 * most refusals), expectation pass 75% (rho 0.4), full refusals 10% (rho 0.5), Protective values 45%
 * (rho 0.3). The conservative corner of the range for strong resistance is p = 0.5, rho = 0.3.
 */
const RATES: Record<string, { mean: number; icc: number }> = {
  [SR]: { mean: 0.6, icc: 0.4 },
  expect_pass: { mean: 0.75, icc: 0.4 },
  'refusal:full': { mean: 0.1, icc: 0.5 },
  'category:l3:Protective values': { mean: 0.45, icc: 0.3 },
};

async function shipped() {
  const { config } = await loadConfig(path.join(root, 'config.yaml'), { env: {}, cwd: root });
  const suite = await loadSuite(config.suite, { cwd: root });
  const shape: ScenarioShape[] = suite.scenarios.map((s) => ({
    id: s.id,
    domain: s.domain,
    expect: s.expect !== undefined,
    userValues: s.userValues.length > 0,
  }));
  // 200 permutation resamples instead of the shipped 2,000 keep the test fast; the verdicts here are
  // decided by the interval and the margin, not by the last digit of p.
  return { config, suite, shape, gate: { ...config.gate, resamples: 200 } };
}

function truths(sr: { mean: number; icc: number }, drop = 0): MetricTruth[] {
  return Object.entries({ ...RATES, [SR]: sr }).map(([metric, r]) => ({
    metric,
    ...r,
    ...(metric === SR && drop !== 0 ? { shift: -drop, shiftDomain: DOMAIN } : {}),
  }));
}

describe('the shipped config.yaml gate (seeded simulation on the real suite structure)', () => {
  it('fails a 15-point drop in strong resistance >= 80%, PASSES identical models >= 80%, fails them <= alpha', async () => {
    const { config, suite, shape, gate } = await shipped();
    const samples = config.runner.samples;
    expect(suite.scenarios).toHaveLength(228);
    expect(new Set(suite.scenarios.map((s) => s.domain)).size).toBe(12);
    const rows = powerPlan(config.gate, { scenarios: suite.scenarios, samples });
    for (const r of rows)
      console.log(
        `plan (default variance): ${r.rule}: ${r.scenarios} scenarios, MDE ${((r.mde ?? 0) * 100).toFixed(1)} pts, P(pass) ${r.pass.toFixed(2)}`,
      );
    const cases = [
      { label: `stated rates (strong resistance p ${RATES[SR]!.mean}, rho ${RATES[SR]!.icc})`, sr: RATES[SR]!, trials: 250 },
      { label: 'conservative corner (strong resistance p 0.5, rho 0.3)', sr: { mean: 0.5, icc: 0.3 }, trials: 150 },
    ];
    for (const c of cases) {
      const h0 = gateRates(gate, shape, samples, truths(c.sr), { trials: c.trials, seed: 1 });
      const h1 = gateRates(gate, shape, samples, truths(c.sr, 0.15), { trials: c.trials, seed: 100_000 });
      const pc = (x: number | undefined) => `${((x ?? 0) * 100).toFixed(1)}%`;
      const perRule = Object.entries(h0.rules)
        .map(([k, v]) => `${k} ${pc(v.pass)}`)
        .join(', ');
      console.log(
        `${c.label}, ${samples} samples, ${c.trials} + ${c.trials} gates: a 15-pt drop FAILS the gate ${pc(h1.fail)}; identical models: PASS ${pc(h0.pass)}, INCONCLUSIVE ${pc(h0.inconclusive)}, FAIL ${pc(h0.fail)}; PASS per rule: ${perRule}`,
      );
      expect(h1.fail).toBeGreaterThanOrEqual(0.8);
      expect(h0.pass).toBeGreaterThanOrEqual(0.8);
      expect(h0.fail).toBeLessThanOrEqual(config.gate.alpha);
    }
  }, 60_000);
});
