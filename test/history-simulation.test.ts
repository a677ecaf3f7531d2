import { describe, expect, it } from 'vitest';
import { type SyntheticOptions, syntheticJudgments } from '../src/devtools/simulate/synthetic-judgments.js';
import type { Manifest } from '../src/records/manifest.js';
import { buildHistory } from '../src/stages/analyze/history/build-history.js';
import type { HistorySide } from '../src/stages/analyze/history/history-sides.js';
import { ModelTable } from '../src/stages/analyze/load/scenario-table.js';

/**
 * The error rate of history's flags (docs/statistics.md, "History"): histories of 4 runs whose runs
 * are all drawn from the same per-scenario rates (no drift) should flag anything at most about alpha
 * of the time, because one Benjamini-Hochberg correction runs over every consecutive pair x metric
 * (under the global null, BH controls the family-wise error rate). The same histories with a drift
 * planted in run 3 must be flagged in most histories, so the first check cannot pass by flagging nothing.
 */
const HISTORIES = 200;
const RUNS = 4;
const design = { domains: 5, scenariosPerDomain: 8, samples: 3, watchRate: 0, modelId: 'target' };

function side(o: SyntheticOptions, run: number, history: number): HistorySide {
  const table = new ModelTable(o.modelId, new Set());
  for (const j of syntheticJudgments(o)) table.add(j);
  const date = new Date(Date.UTC(2026, 0, 1 + 7 * run)).toISOString();
  const manifest: Manifest = {
    v: 1,
    runId: `h${history}-r${run}`,
    status: 'completed',
    startedAt: date,
    finishedAt: date,
    harnessVersion: 'test',
    configHash: 'test',
    suiteHash: `suite-${history}`,
    scenarios: {},
    samples: o.samples,
    models: [{ id: o.modelId, provider: 'synthetic', model: o.modelId, maxTokens: 1, concurrency: 1 }],
    counts: { planned: 0, done: 0, errored: 0 },
    notes: [],
  };
  const runDir = `/sim/h${history}/r${run}`;
  return {
    spec: { spec: runDir, runDir, modelId: o.modelId },
    run: { runDir, manifest, models: [table], notes: [], completeness: null },
    table,
    date,
    order: run,
  };
}

/** Share of simulated histories with at least one flagged change, and the mean family size. */
function simulate(drift: SyntheticOptions['shift'] | undefined): { anyFlag: number; driftFound: number; family: number } {
  let anyFlag = 0;
  let driftFound = 0;
  let family = 0;
  for (let h = 0; h < HISTORIES; h++) {
    const sides = Array.from({ length: RUNS }, (_, r) =>
      side({ ...design, scenarioSeed: 1000 + h, seed: 7919 * h + r, ...(r === 2 && drift ? { shift: drift } : {}) }, r, h),
    );
    const history = buildHistory(sides, { alpha: 0.05, now: () => new Date(0) });
    family += history.settings.family.size;
    if (history.summary.flagged > 0) anyFlag++;
    const into3 = history.comparisons[1]!.changes.find((c) => c.metric === 'response_type:strong_support');
    if (into3?.flagged) driftFound++;
  }
  return { anyFlag: anyFlag / HISTORIES, driftFound: driftFound / HISTORIES, family: family / HISTORIES };
}

describe('history flags: error rate without drift, power with drift', () => {
  it(`flags at most about alpha of ${HISTORIES} drift-free histories of ${RUNS} runs`, () => {
    const r = simulate(undefined);
    // Seeded and deterministic. One binomial standard error at 5% of 200 histories is 1.5 points.
    console.log(
      `history simulation, no drift: ${(r.anyFlag * 100).toFixed(1)}% of histories flagged (family ~${r.family.toFixed(0)} changes)`,
    );
    expect(r.family).toBeGreaterThan(50);
    expect(r.anyFlag).toBeLessThanOrEqual(0.08);
  });

  it('finds a 25-point drift planted in run 3 in most histories (40 scenarios x 3 samples)', () => {
    const r = simulate({ responseType: 'strong_support', delta: 0.25 });
    console.log(`history simulation, 25-pt drift in run 3: found in ${(r.driftFound * 100).toFixed(1)}% of histories`);
    // Measured: 85.5%. A procedure that never flags would pass the first test and fail here.
    expect(r.driftFound).toBeGreaterThan(0.75);
  });
});
