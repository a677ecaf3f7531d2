import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { makeProject } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

/**
 * Issue #14 part 4: a run split over 4 machines (`run --shard i/4`) and joined with `merge` is the
 * same run as one made in one piece: same transcripts, same judgments, and a profile and diff equal
 * number for number. The local server answers deterministically (temperature 0, and at temperature 1
 * by sample), so the two runs get the same answers.
 */

let server: LocalServer;
let project: string;
/** The one-piece run, and the four shards (index order). */
let one: string;
const shards: string[] = [];
const GATE_RULES = [
  { name: 'full refusals', metric: 'refusal:full', maxChange: 0.3 },
  { name: 'no forbidden values', forbid: ['deception'] },
];

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const jsonl = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));

/** `run ... --out results/<name>`: the run directory it made (run --out is the results folder). */
async function runInto(name: string, extra: string[]): Promise<string> {
  const out = path.join(project, 'results', name);
  const r = await runCli(['run', '--out', out, ...extra], { cwd: project });
  expect(r.code, r.stderr).toBe(0);
  const [made] = readdirSync(out);
  return path.join(out, made!);
}

beforeAll(async () => {
  server = await startLocalServer({ seed: 7 });
  const model = (id: string, provider: string, wire: string, baseURL: string, temperature: number) => ({
    id,
    provider,
    model: wire,
    baseURL,
    temperature,
    maxTokens: 200,
    concurrency: 8,
  });
  project = await makeProject({
    server,
    domains: ['moral-philosophy', 'workplace'],
    models: [
      model('claude-local', 'anthropic', 'claude-synthetic', server.url, 0),
      model('gpt-local', 'openai', 'gpt-synthetic', `${server.url}/v1`, 1),
    ],
    runner: { samples: 2 },
  });
  const config = path.join(project, 'config.yaml');
  // No prices: cost is not what this test is about.
  const yaml = parse(readFileSync(config, 'utf8'));
  delete yaml.prices;
  writeFileSync(config, stringify({ ...yaml, judge: { judges: ['lexical'] }, gate: { resamples: 200, seed: 3, rules: GATE_RULES } }));
  one = await runInto('one', []);
  for (let i = 1; i <= 4; i++) shards.push(await runInto(`shard-${i}`, ['--shard', `${i}/4`]));
}, 120_000);
afterAll(() => server.close());

/** A scratch copy of a shard to damage. */
async function copyOf(shard: string): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'vs-shard-')), path.basename(shard));
  await cp(shard, dir, { recursive: true });
  return dir;
}

const merge = (dirs: string[], out: string, extra: string[] = []) => runCli(['merge', ...dirs, '--out', out, ...extra], { cwd: project });
const freshOut = () => path.join(project, 'results', `merged-${Math.random().toString(16).slice(2, 8)}`);

type ProfileJson = { models: { modelId: string; watchlist: { hits: { cellIds: string[] }[] } }[] };

/** The profile with what follows the order of judgments.jsonl put in a fixed order. */
function inFixedOrder(p: ProfileJson): ProfileJson {
  const models = [...p.models].sort((x, y) => (x.modelId < y.modelId ? -1 : 1));
  for (const m of models) for (const h of m.watchlist.hits) h.cellIds.sort();
  return { ...p, models };
}

describe('valuescope merge: 4 shards equal the run made in one piece', () => {
  let merged: string;
  beforeAll(async () => {
    merged = path.join(project, 'results', 'merged');
    const r = await merge([...shards].reverse(), merged);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Merged 4 shards (of 4) into run');
  });

  it('writes the same cells, answers and judgments, in plan order, with a manifest that says where they came from', () => {
    const mine = jsonl(path.join(merged, 'transcripts.jsonl'));
    const theirs = jsonl(path.join(one, 'transcripts.jsonl'));
    expect(mine).toHaveLength(theirs.length);
    const text = (rows: Record<string, unknown>[]) =>
      Object.fromEntries(rows.map((t) => [t.cellId, (t.response as { text: string } | null)?.text ?? null]));
    expect(text(mine)).toEqual(text(theirs));
    const manifest = read(path.join(merged, 'manifest.json'));
    const base = read(path.join(one, 'manifest.json'));
    // Plan order: model, then scenario and sample as the manifest lists them.
    const order = manifest.models.flatMap((m: { id: string }) =>
      Object.keys(manifest.scenarios).flatMap((s) => [0, 1].map((n) => `${m.id}/${s}/${n}`)),
    );
    expect(mine.map((t) => t.cellId)).toEqual(order);
    expect(jsonl(path.join(merged, 'judgments.jsonl')).map((j) => j.cellId)).toEqual(order);
    expect(manifest.shard).toBeUndefined();
    expect(manifest.status).toBe('completed');
    expect(manifest.counts).toEqual(base.counts);
    for (const k of ['configHash', 'suiteHash', 'scenarios', 'samples', 'models']) expect(manifest[k], k).toEqual(base[k]);
    const starts = shards.map((s) => read(path.join(s, 'manifest.json')));
    expect(manifest.startedAt).toBe(starts.map((m) => m.startedAt).sort()[0]);
    expect(manifest.notes[0]).toBe(`merged from 4 shards: ${starts.map((m, i) => `${i + 1}/4 (run ${m.runId})`).join(', ')}`);
    expect(manifest.notes.some((n: string) => /^shard \d\/4 of the plan/.test(n))).toBe(false);
    expect(read(path.join(merged, 'judge-summary.json')).cells).toBe(order.length);
  });

  it('has a profile equal number for number to the one-piece run (only its identity and time differ)', async () => {
    for (const dir of [one, merged]) expect((await runCli(['profile', dir, '--config', 'config.yaml'], { cwd: project })).code).toBe(0);
    const a = read(path.join(one, 'profile.json'));
    const b = read(path.join(merged, 'profile.json'));
    // What names the run rather than measures it: its directory, its id and when the profile was made.
    for (const k of ['runDir', 'runId', 'generatedAt']) {
      expect(a[k]).not.toEqual(b[k]);
      delete a[k];
      delete b[k];
    }
    // Models are listed, and a watch-list hit's cell ids kept, in the order their judgments first appear in
    // judgments.jsonl: the order they were judged in for the one-piece run, plan order for the merged one.
    expect(b.models.map((m: { modelId: string }) => m.modelId)).toEqual(['claude-local', 'gpt-local']);
    expect(inFixedOrder(b)).toEqual(inFixedOrder(a));
    const cells = 2 * Object.keys(read(path.join(one, 'manifest.json')).scenarios).length;
    expect(b.models.map((m: { overall: { cells: number } }) => m.overall.cells)).toEqual([cells, cells]);
  });

  it('diffs against the one-piece run with no change at all, for each model', async () => {
    for (const model of ['claude-local', 'gpt-local']) {
      const out = path.join(project, 'results', `diff-${model}`);
      const r = await runCli(['diff', `${one}#${model}`, `${merged}#${model}`, '--config', 'config.yaml', '--out', out, '--no-report'], {
        cwd: project,
      });
      expect(r.code, r.stderr).toBe(0);
      const diff = read(path.join(out, 'diff.json'));
      expect(diff.comparability.suiteHashMatch && diff.comparability.judgeHashMatch).toBe(true);
      expect(diff.metrics.length).toBeGreaterThan(5);
      for (const m of diff.metrics) {
        expect(m.delta === null || m.delta === 0, m.metric).toBe(true);
        expect(m.significant, m.metric).toBe(false);
        expect(m.base).toEqual(m.cand);
      }
    }
  });

  it('gates the merged run against the one-piece run as any run, and passes', async () => {
    const out = path.join(project, 'results', 'gate');
    const r = await runCli(['gate', `${one}#gpt-local`, `${merged}#gpt-local`, '--config', 'config.yaml', '--out', out], { cwd: project });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(read(path.join(out, 'gate.json')).verdict).toBe('pass');
  });
});

describe('valuescope merge: the manifest of the merged run', () => {
  it("sums the shards' spend per model and judge key, and keeps their notes once each", async () => {
    const line = (n: number, cost: number | null) => ({
      requests: n,
      reused: 1,
      usage: {
        inputTokens: 100 * n,
        outputTokens: 10 * n,
        cachedInputTokens: n,
        batched: { inputTokens: n, outputTokens: 0, cachedInputTokens: 0 },
      },
      costUsd: cost,
    });
    const copies = await Promise.all(shards.map(copyOf));
    copies.forEach((dir, i) => {
      const file = path.join(dir, 'manifest.json');
      const m = read(file);
      const spend = {
        models: { 'claude-local': line(i + 1, 0.5), 'gpt-local': line(2, null) },
        judge: i === 0 ? {} : { 'openai:judge': line(1, 0.25) },
        pricedWithConfigHash: m.configHash,
      };
      const notes = [...m.notes, 'answers checked by hand', ...(i < 2 ? ['retried a flaky hour'] : [])];
      writeFileSync(file, JSON.stringify({ ...m, spend, notes }));
    });
    const out = freshOut();
    const r = await merge(copies, out);
    expect(r.code, r.stderr).toBe(0);
    const m = read(path.join(out, 'manifest.json'));
    expect(m.spend.models['claude-local']).toEqual({
      requests: 10,
      reused: 4,
      usage: {
        inputTokens: 1000,
        outputTokens: 100,
        cachedInputTokens: 10,
        batched: { inputTokens: 10, outputTokens: 0, cachedInputTokens: 0 },
      },
      costUsd: 2,
    });
    expect(m.spend.models['gpt-local'].costUsd).toBeNull();
    expect(m.spend.judge['openai:judge'].requests).toBe(3);
    expect(m.notes.slice(1)).toEqual([
      'synthetic: answers from the valuescope local test server, not from a real model',
      'answers checked by hand',
      'shards 1/4, 2/4: retried a flaky hour',
    ]);
  });
});

describe('valuescope merge refuses what is not one run in exactly n parts, and writes nothing', () => {
  async function refused(dirs: string[], pattern: RegExp, extra: string[] = []): Promise<string> {
    const out = freshOut();
    const r = await merge(dirs, out, extra);
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(existsSync(out)).toBe(false);
    return r.stderr;
  }

  it('a missing shard', async () => {
    await refused(shards.slice(0, 3), /shard 4\/4 is missing: give the run directory of every shard 1\.\.4/);
  });

  it('a shard given twice', async () => {
    await refused([shards[0]!, ...shards], /shard 1\/4 is given 2 times/);
  });

  it('a shard of another config', async () => {
    const odd = await copyOf(shards[1]!);
    const m = read(path.join(odd, 'manifest.json'));
    writeFileSync(path.join(odd, 'manifest.json'), JSON.stringify({ ...m, configHash: 'f'.repeat(64) }));
    const err = await refused(
      [shards[0]!, odd, shards[2]!, shards[3]!],
      /manifest\.json \(configHash\): is ffffffffffff here but [0-9a-f]{12} in shard 1\/4/,
    );
    expect(err).toContain(odd);
  });

  it('a cell in two shards', async () => {
    const odd = await copyOf(shards[2]!);
    const stolen = readFileSync(path.join(shards[0]!, 'transcripts.jsonl'), 'utf8').split('\n')[0];
    writeFileSync(path.join(odd, 'transcripts.jsonl'), `${readFileSync(path.join(odd, 'transcripts.jsonl'), 'utf8')}${stolen}\n`);
    const cell = JSON.parse(stolen!).cellId;
    await refused(
      [shards[0]!, shards[1]!, odd, shards[3]!],
      new RegExp(`1 cells are in another shard too \\(${cell} \\(also in shard 1/4\\)\\)`),
    );
  });

  it('cells no shard holds, named with the shard that should', async () => {
    const odd = await copyOf(shards[1]!);
    const lines = readFileSync(path.join(odd, 'transcripts.jsonl'), 'utf8').split('\n');
    writeFileSync(path.join(odd, 'transcripts.jsonl'), lines.slice(2).join('\n'));
    await refused(
      [shards[0]!, odd, shards[2]!, shards[3]!],
      /2 cells of shard 2\/4 are in no shard .*: run them with: valuescope run --resume /,
    );
  });

  it('an unfinished shard', async () => {
    const odd = await copyOf(shards[3]!);
    const m = read(path.join(odd, 'manifest.json'));
    writeFileSync(path.join(odd, 'manifest.json'), JSON.stringify({ ...m, status: 'interrupted', finishedAt: null }));
    const err = await refused(
      [...shards.slice(0, 3), odd],
      /shard 4\/4 is interrupted, not finished: resume it first: valuescope run --resume /,
    );
    expect(err).not.toMatch(/missing/);
  });

  it('a run that is no shard', async () => {
    await refused([one, ...shards.slice(1)], /not a shard: .* was run without --shard/);
  });

  it('an --out that is not empty (left as it was)', async () => {
    const out = freshOut();
    await mkdir(out, { recursive: true });
    writeFileSync(path.join(out, 'keep.txt'), 'mine');
    const r = await merge(shards, out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out .* is not empty \(it holds keep\.txt\)/);
    expect(readdirSync(out)).toEqual(['keep.txt']);
  });

  it('shards judged by different judges, unless --transcripts-only (then `judge` completes the merged run)', async () => {
    const odd = await copyOf(shards[3]!);
    const file = path.join(odd, 'judgments.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"judgeHash":"[0-9a-f]+"/g, `"judgeHash":"${'a'.repeat(64)}"`));
    const dirs = [...shards.slice(0, 3), odd];
    await refused(dirs, /judged by different judges[\s\S]*shard 4\/4 .*hash aaaaaaaaaaaa[\s\S]*--transcripts-only/);
    const out = freshOut();
    const r = await merge(dirs, out, ['--transcripts-only']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(out, 'judgments.jsonl'))).toBe(false);
    expect(r.stderr).toMatch(/cells have no judgment: judge them with: valuescope judge /);
    expect((await runCli(['judge', out], { cwd: project })).code).toBe(0);
    expect(jsonl(path.join(out, 'judgments.jsonl'))).toHaveLength(jsonl(path.join(one, 'judgments.jsonl')).length);
  });
});
