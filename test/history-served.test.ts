import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { HistoryFileSchema } from '../src/records/history.js';
import { runCli } from './helpers/cli.js';

/**
 * History calls a served-model change what diff and the gate call one: a partial swap counts. And
 * a run cannot enter a history twice under two names (its directory and its baseline).
 */
let dir: string;
const common = { scenarioSeed: 21, domains: 2, scenariosPerDomain: 10, samples: 3, watchRate: 0, modelId: 'assistant' };
const cli = (argv: string[]) => runCli(argv, { cwd: dir, now: () => new Date('2026-02-01T00:00:00Z') });

/** Dates the run; `share` of its judgments (every k-th line) were answered by `other`, the rest by `main`. */
async function stamp(runDir: string, date: string, served: { main: string; other?: string; share?: number }): Promise<void> {
  const manifestFile = path.join(runDir, 'manifest.json');
  const manifest = JSON.parse(await fsp.readFile(manifestFile, 'utf8')) as Record<string, unknown>;
  await fsp.writeFile(manifestFile, JSON.stringify({ ...manifest, startedAt: date, finishedAt: date }));
  const file = path.join(runDir, 'judgments.jsonl');
  const lines = (await fsp.readFile(file, 'utf8')).trim().split('\n');
  const every = served.share ? Math.round(1 / served.share) : 0;
  const out = lines.map((l, i) => {
    const model = every > 0 && i % every === 0 ? served.other! : served.main;
    return JSON.stringify({ ...JSON.parse(l), served: { model } });
  });
  await fsp.writeFile(file, `${out.join('\n')}\n`);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-history-served-'));
  for (const [i, name] of ['w1', 'w2', 'w3'].entries()) {
    await writeSyntheticRun(path.join(dir, name), [{ ...common, seed: i + 1 }]);
  }
  await stamp(path.join(dir, 'w1'), '2026-01-05T00:00:00Z', { main: 'acme-old' });
  await stamp(path.join(dir, 'w2'), '2026-01-12T00:00:00Z', { main: 'acme-old', other: 'acme-new', share: 0.4 });
  await stamp(path.join(dir, 'w3'), '2026-01-19T00:00:00Z', { main: 'acme-old', other: 'acme-new', share: 0.4 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('flags a partial swap to a new served model as a model change, and --fail-on-drift exits 1', async () => {
  const r = await cli(['history', 'w1', 'w2', 'w3', '--out', 'h', '--no-charts', '--fail-on-drift']);
  expect(r.code, r.stderr).toBe(1);
  const h = HistoryFileSchema.parse(JSON.parse(await fsp.readFile(path.join(dir, 'h', 'history.json'), 'utf8')));
  expect(h.comparisons.map((c) => c.modelChange?.kind ?? null)).toEqual(['model', null]);
  expect(h.comparisons[0]!.modelChange).toMatchObject({ from: 'acme-old', to: 'acme-new' });
  expect(h.comparisons[0]!.modelChange!.message).toMatch(/acme-old -> acme-new \(partly: \d+ of 60 cells\)/);
  expect(h.summary.modelChanges).toBe(1);
  expect(r.stderr).toMatch(/history: 0 flagged changes, 1 served model change -> exit 1 \(--fail-on-drift\)/);
});

it('refuses the same run given as its directory and as its baseline file', async () => {
  expect((await cli(['baseline', 'save', 'w1', '--out', 'w1.json'])).code).toBe(0);
  const r = await cli(['history', 'w1', 'w2', 'w1.json', '--out', 'h2', '--no-charts']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/w1\.json and w1 are the same run \(w1, target assistant\): each run may appear once/);
  await expect(fsp.access(path.join(dir, 'h2'))).rejects.toThrow();
});
