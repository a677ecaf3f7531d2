import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { ProfileFileSchema } from '../src/records/profile.js';
import { runCli } from './helpers/cli.js';

/** `diff` and `profile` with a baseline side write where a file can be written, or say to pass --out. */
let dir: string;
const cli = (argv: string[]) => runCli(argv, { cwd: dir, env: {}, now: () => new Date('2026-01-02T00:00:00Z') });
const exists = (f: string) =>
  fsp.stat(path.join(dir, f)).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-baseline-cmds-'));
  const common = { scenarioSeed: 4, domains: 2, scenariosPerDomain: 8, samples: 3, watchRate: 0 };
  await writeSyntheticRun(path.join(dir, 'base'), [{ ...common, seed: 1, modelId: 'm' }]);
  await writeSyntheticRun(path.join(dir, 'cand'), [{ ...common, seed: 2, modelId: 'm' }]);
  for (const side of ['base', 'cand']) {
    const r = await cli(['baseline', 'save', side, '--out', `baselines/${side}.json`]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('diff with a baseline candidate and no --out exits 2 and writes nothing', async () => {
  const r = await cli(['diff', 'base', 'baselines/cand.json', '--no-report']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/baselines\/cand\.json is a baseline file: pass --out DIR/);
  expect(await fsp.readdir(path.join(dir, 'baselines'))).toEqual(['base.json', 'cand.json']);
});

it('diff with a baseline base names its default folder after the baseline, without .json', async () => {
  const r = await cli(['diff', 'baselines/base.json', 'cand', '--no-report']);
  expect(r.code, r.stderr).toBe(0);
  expect(await exists('cand/diff-base-m-vs-m/diff.json')).toBe(true);
});

it('profile of a baseline needs --out, and then gives the run directory profile’s numbers', async () => {
  const refused = await cli(['profile', 'baselines/base.json']);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/baseline file: pass --out FILE/);
  const fromRun = await cli(['profile', 'base', '--out', 'p/run.json']);
  const fromBaseline = await cli(['profile', 'baselines/base.json', '--out', 'p/baseline.json']);
  expect([fromRun.code, fromBaseline.code], fromBaseline.stderr).toEqual([0, 0]);
  const read = async (f: string) => ProfileFileSchema.parse(JSON.parse(await fsp.readFile(path.join(dir, f), 'utf8')));
  const [a, b] = [await read('p/run.json'), await read('p/baseline.json')];
  expect(b.models[0]!.overall.metrics).toEqual(a.models[0]!.overall.metrics);
  expect(b.models[0]!.overall.judged).toBeGreaterThan(0);
});
