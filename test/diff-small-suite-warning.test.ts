import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { diffProfiles, loadSides } from '../src/stages/analyze/diff/diff-profiles.js';

let dir: string;
const small = { scenarioSeed: 3, domains: 1, scenariosPerDomain: 4, samples: 3, watchRate: 0 };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-small-diff-'));
  await writeSyntheticRun(path.join(dir, 'a'), [{ ...small, seed: 1, modelId: 'm' }]);
  await writeSyntheticRun(path.join(dir, 'b'), [{ ...small, seed: 2, modelId: 'm' }]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Regression: the small-suite warning was spread as a string, so diff.json held one warning per character.
it('a diff of a small suite carries the small-suite warning as one sentence', async () => {
  const [base, cand] = await loadSides(path.join(dir, 'a'), path.join(dir, 'b'), dir, []);
  const diff = diffProfiles(base, cand, { resamples: 0, seed: 1 });
  const warnings = diff.comparability.warnings;
  expect(warnings.filter((w) => w.length === 1)).toEqual([]);
  expect(warnings).toContainEqual(expect.stringMatching(/^shared scenarios: only 4 scenarios \(fewer than \d+\)/));
});
