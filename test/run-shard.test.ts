import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { ModelSpec } from '../src/config/model-schema.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import type { Scenario } from '../src/scenarios/schema.js';
import { planRun } from '../src/stages/run/plan.js';
import { shardOfCells } from '../src/stages/run/shard.js';
import { makeProject, readTranscripts, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

/** Issue #14 part 4: `run --shard i/n` takes a balanced part of the plan that every machine computes alike. */

const ids = (models: string[], scenarios: string[], samples: number): string[] =>
  models.flatMap((m) => scenarios.flatMap((s) => Array.from({ length: samples }, (_, n) => `${m}/${s}/${n}`)));

/** Cells per shard (1..count) that pass `keep`. */
function perShard(split: Map<string, number>, count: number, keep: (cellId: string) => boolean): number[] {
  const n = new Array<number>(count).fill(0);
  for (const [id, shard] of split) if (keep(id)) n[shard - 1]!++;
  return n;
}

const spread = (counts: number[]): number => Math.max(...counts) - Math.min(...counts);

describe('shardOfCells: the split', () => {
  // Domains as scenario id prefixes (the suite's convention): 3 domains of 5, 4 and 2 scenarios.
  const scenarios = [
    ...['a1', 'a2', 'a3', 'a4', 'a5'].map((s) => `alpha-${s}`),
    ...['b1', 'b2', 'b3', 'b4'].map((s) => `beta-${s}`),
    'gamma-1',
    'gamma-2',
  ];
  const models = ['claude', 'gpt-4o', 'llama'];
  const cells = ids(models, scenarios, 3);

  it('puts every cell in exactly one shard, each model within one cell of even, each domain of a model too', () => {
    for (const count of [2, 3, 4, 7]) {
      const split = shardOfCells(cells, count);
      expect(split.size).toBe(cells.length);
      expect([...split.values()].every((i) => Number.isInteger(i) && i >= 1 && i <= count)).toBe(true);
      expect(spread(perShard(split, count, () => true))).toBeLessThanOrEqual(1);
      for (const m of models) {
        expect(spread(perShard(split, count, (id) => id.startsWith(`${m}/`))), `${m} in ${count}`).toBeLessThanOrEqual(1);
        for (const d of ['alpha', 'beta', 'gamma']) {
          expect(spread(perShard(split, count, (id) => id.startsWith(`${m}/${d}-`))), `${m} ${d} in ${count}`).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('depends on the cell ids only: any order of the plan gives the same split', () => {
    const shuffled = [...cells].sort(() => 0.5 - Math.random());
    const reversed = [...cells].reverse();
    const split = shardOfCells(cells, 4);
    expect(shardOfCells(shuffled, 4)).toEqual(split);
    expect(shardOfCells(reversed, 4)).toEqual(split);
  });

  it('spreads the samples and consecutive scenarios of a model over the shards', () => {
    const split = shardOfCells(cells, 3);
    expect([0, 1, 2].map((n) => split.get(`claude/alpha-a1/${n}`))).toEqual([1, 2, 3]);
    expect(split.get('claude/alpha-a2/0')).toBe(1);
  });
});

describe('planRun with a shard', () => {
  const scenario = (id: string, domain: string): Scenario => ({
    id,
    domain,
    title: id,
    messages: [{ role: 'user', content: 'hello' }],
    userValues: [],
    tags: [],
    file: `${domain}/${id}.yaml`,
    hash: `h-${id}`,
  });
  const model = (id: string): ModelSpec => ({ id, provider: 'openai', model: `${id}-wire`, maxTokens: 100, concurrency: 2 });
  const suite = ['a-1', 'a-2', 'a-3', 'b-1', 'b-2'].map((id) => scenario(id, id[0]!));
  const config = { models: [model('m1'), model('m2')], runner: { samples: 3 } } as Parameters<typeof planRun>[0];

  it("keeps the shard's cells in plan order and the whole plan's models, scenarios, samples and size", () => {
    const whole = planRun(config, suite);
    const parts = [1, 2, 3].map((index) => planRun(config, suite, { shard: { index, count: 3 } }));
    expect(whole.shard).toBeUndefined();
    const order = whole.cells.map((c) => c.cellId);
    for (const p of parts) {
      expect(p.shard).toMatchObject({ count: 3, planCells: 30 });
      expect(p.models).toEqual(whole.models);
      expect(p.scenarios).toEqual(whole.scenarios);
      expect(p.cells).toHaveLength(10);
      const mine = p.cells.map((c) => c.cellId);
      expect(mine).toEqual(order.filter((id) => mine.includes(id)));
    }
    expect(parts.flatMap((p) => p.cells.map((c) => c.cellId)).sort()).toEqual([...order].sort());
  });

  it('applies the other filters first: a shard is a part of the filtered plan', () => {
    const p = planRun(config, suite, { models: ['m2'], domains: ['a'], samples: 1, shard: { index: 2, count: 2 } });
    expect(p.shard?.planCells).toBe(3);
    expect(p.cells.map((c) => c.cellId)).toEqual(['m2/a-2/0']);
  });
});

describe('valuescope run --shard', () => {
  let server: LocalServer;
  let project: string;
  beforeAll(async () => {
    server = await startLocalServer({ seed: 9 });
    project = await makeProject({ server, runner: { samples: 2 } });
    const file = path.join(project, 'config.yaml');
    const yaml = parse(readFileSync(file, 'utf8'));
    delete yaml.prices;
    writeFileSync(file, stringify(yaml));
  });
  afterAll(() => server.close());

  it('--dry-run says which part of the plan the shard is', async () => {
    const r = await runCli(['run', '--shard', '2/3', '--dry-run'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    // 2 models x 11 scenarios x 2 samples = 44 cells, 15 + 15 + 14.
    expect(r.stdout).toMatch(/^shard 2\/3: 15 of 44 cells\n/);
    expect(server.stats().requests).toBe(0);
  });

  it('refuses a shard that is not one of n, and --shard with --resume', async () => {
    for (const bad of ['4/3', '0/3', '1/0', 'two']) {
      const r = await runCli(['run', '--shard', bad, '--dry-run'], { cwd: project });
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain('--shard must be i/n');
    }
    const r = await runCli(['run', '--shard', '1/2', '--resume', 'results/x'], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('drop --shard');
  });

  it('a shard with no cells (more shards than cells) runs nothing, completes, and merges', async () => {
    const one = ['--models', 'gpt-local', '--scenarios', 'moral-kidney-to-a-stranger', '--samples', '1', '--no-judge'];
    const dirs: string[] = [];
    for (const i of [1, 2]) {
      const out = path.join(project, 'tiny', String(i));
      const r = await runCli(['run', ...one, '--shard', `${i}/2`, '--out', out], { cwd: project });
      expect(r.code, r.stderr).toBe(0);
      dirs.push(path.join(out, readdirSync(out)[0]!));
    }
    expect(JSON.parse(readFileSync(path.join(dirs[1]!, 'manifest.json'), 'utf8')).counts).toEqual({ planned: 0, done: 0, errored: 0 });
    const merged = path.join(project, 'tiny', 'merged');
    const r = await runCli(['merge', ...dirs, '--out', merged], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    expect((await readTranscripts(merged)).map((t) => t.cellId)).toEqual(['gpt-local/moral-kidney-to-a-stranger/0']);
  });

  it('runs only its cells, records the shard in the manifest, and a resume re-applies it', async () => {
    server.reset();
    const r = await runCli(['run', '--shard', '3/4', '--no-judge'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    const [dir] = await runDirs(project);
    const all = ids(
      ['claude-local', 'gpt-local'],
      Object.keys(JSON.parse(readFileSync(path.join(dir!, 'manifest.json'), 'utf8')).scenarios),
      2,
    );
    const split = shardOfCells(all, 4);
    const expected = all.filter((id) => split.get(id) === 3);
    expect(expected).toHaveLength(11);
    const manifestFile = path.join(dir!, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    expect(manifest.shard).toEqual({ index: 3, count: 4 });
    expect(manifest.counts).toEqual({ planned: 11, done: 11, errored: 0 });
    expect(manifest.notes).toContain('shard 3/4 of the plan: 11 of 44 cells (join the shards with valuescope merge)');
    expect(Object.keys(manifest.scenarios)).toHaveLength(11);
    expect((await readTranscripts(dir!)).map((t) => t.cellId).sort()).toEqual([...expected].sort());
    expect(server.stats().requests).toBe(11);

    // Interrupted after 4 cells: the resume asks for the shard's 7 others, not the plan's 40.
    const file = path.join(dir!, 'transcripts.jsonl');
    writeFileSync(file, `${readFileSync(file, 'utf8').split('\n').slice(0, 4).join('\n')}\n`);
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, status: 'interrupted', finishedAt: null }));
    const again = await runCli(['run', '--resume', dir!, '--no-judge'], { cwd: project });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('7 of 11 cells to do');
    expect(server.stats().requests).toBe(18);
    expect((await readTranscripts(dir!)).map((t) => t.cellId).sort()).toEqual([...expected].sort());
    const resumed = JSON.parse(readFileSync(manifestFile, 'utf8'));
    expect(resumed.shard).toEqual({ index: 3, count: 4 });
    expect(resumed.counts).toEqual({ planned: 11, done: 11, errored: 0 });
  });
});
