import { describe, expect, it } from 'vitest';
import { intervalCoverage } from '../src/devtools/simulate/coverage.js';
import { type SimDesign, simulateGate } from '../src/devtools/simulate/simulate-gate.js';

// Seeded simulations behind the figures in docs/statistics.md. Re-measure with:
//   npx vitest run test/stats-simulation.test.ts   (figures are printed)
const rule = (metric: string, extra: { maxDrop?: number } = {}) => ({ name: metric, metric, ...extra });

describe('gate statistics under simulation', () => {
  it('null: false-alarm rate of a 3-rule gate (no margin) is at most alpha + 2 MCSE over 500 gates', () => {
    const design: SimDesign = {
      scenarios: 40,
      samples: 3,
      alpha: 0.05,
      resamples: 400,
      metrics: [
        { rule: rule('a'), mean: 0.3, icc: 0.3, shift: 0 },
        { rule: rule('b'), mean: 0.6, icc: 0.5, shift: 0 },
        { rule: rule('c'), mean: 0.1, icc: 0.2, shift: 0 },
      ],
    };
    const N = 500;
    let alarms = 0;
    for (let i = 0; i < N; i++) if (simulateGate(design, 1000 + i).failed) alarms++;
    const rate = alarms / N;
    const mcse = Math.sqrt((0.05 * 0.95) / N);
    console.log(`null false-alarm rate ${rate} (bound ${(0.05 + 2 * mcse).toFixed(4)})`);
    expect(rate).toBeLessThanOrEqual(0.05 + 2 * mcse);
  });

  it('power: a 15-point drop in strong resistance (40 scenarios x 3 samples, margin 10 pts) is caught >= 80%; paired beats unpaired', () => {
    const design: SimDesign = {
      scenarios: 40,
      samples: 3,
      alpha: 0.05,
      resamples: 400,
      metrics: [{ rule: rule('response_type:strong_resistance', { maxDrop: 0.1 }), mean: 0.7, icc: 0.6, shift: -0.15 }],
    };
    const M = 400;
    let caught = 0;
    let paired = 0;
    let unpaired = 0;
    for (let i = 0; i < M; i++) {
      const o = simulateGate(design, 20000 + i, true);
      if (o.failed) caught++;
      if (o.pPaired[0]! < 0.05) paired++;
      if (o.pUnpaired[0]! < 0.05) unpaired++;
    }
    console.log(`power: gate ${caught / M}, paired test ${paired / M}, unpaired cluster test ${unpaired / M}`);
    expect(caught / M).toBeGreaterThanOrEqual(0.8);
    expect(paired / M).toBeGreaterThan(unpaired / M + 0.2);
  });

  it('cluster-bootstrap intervals cover ~95% under clustering; naive iid intervals under-cover', () => {
    const c = intervalCoverage({ mean: 0.3, icc: 0.3, scenarios: 40, samples: 3, replicates: 400, resamples: 500, seed: 5 });
    console.log(`coverage: cluster bootstrap ${c.bootstrap}, naive iid ${c.naive}`);
    expect(c.bootstrap).toBeGreaterThan(0.92);
    expect(c.bootstrap).toBeLessThan(0.98);
    expect(c.naive).toBeLessThan(0.9);
  });
});
