import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_KEY_ENV, writeWorkload } from '../bench/lib/workload.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { createModel } from '../src/providers/registry.js';
import type { AnalysisJudgment } from '../src/records/analysis-judgment.js';
import { ModelTable } from '../src/stages/analyze/load/scenario-table.js';
import { runCli } from './helpers/cli.js';

/**
 * Issue #12 item 6: every transcript records which model answered (the API's `model`, and OpenAI's
 * `system_fingerprint`); profiles list the served identities per configured model; diff and gate warn
 * when a side mixes identities or when a provider swapped the model behind a configured name, and the
 * gate fails on it with `gate.onServedModelChange: fail`. Everything goes through the official SDKs
 * against the local server, which can change the model it says served a name.
 */

const OLD = 'gpt-5-2025-08-07';
const NEW = 'gpt-5-2025-11-20';
const CELLS = 8; // 4 scenarios x 2 samples
const env = { [BENCH_KEY_ENV]: 'sk-local-test' };
const GATE_RULES = ['gate:', '  resamples: 200', '  rules:', '    - { name: no-unheard-value, forbid: [zz-never-expressed] }'];

let server: LocalServer;
let dir: string;
let configPath: string;
let failConfigPath: string;
let anthropicConfigPath: string;
/** A: served OLD; B: served NEW behind the same configured name; M: a mix of both; C: OLD again; X: the Anthropic wire. */
const runs = { A: '', B: '', M: '', C: '', X: '' };

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const jsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));

async function newRun(config: string): Promise<string> {
  const out = path.join(dir, 'results');
  const before = new Set(existsSync(out) ? readdirSync(out) : []);
  const r = await runCli(['run', '--config', config, '--out', out], { cwd: dir, env });
  expect(r.code, r.stderr).toBe(0);
  const made = readdirSync(out).filter((d) => !before.has(d));
  expect(made).toHaveLength(1);
  return path.join(out, made[0]!);
}

beforeAll(async () => {
  server = await startLocalServer({ seed: 12 });
  dir = await mkdtemp(path.join(tmpdir(), 'vs-served-model-'));
  const w = await writeWorkload({
    dir,
    baseURL: `${server.url}/v1`,
    scenarios: 4,
    samples: 2,
    concurrency: 2,
    model: 'gpt-5',
    llmJudge: { baseURL: `${server.url}/v1`, concurrency: 2, pipelined: true },
    extraYaml: GATE_RULES.join('\n'),
  });
  configPath = w.configPath;
  const text = await readFile(configPath, 'utf8');
  failConfigPath = path.join(dir, 'config-fail.yaml');
  await writeFile(failConfigPath, text.replace('gate:\n', 'gate:\n  onServedModelChange: fail\n'));
  anthropicConfigPath = path.join(dir, 'config-anthropic.yaml');
  await writeFile(
    anthropicConfigPath,
    text
      .replace('provider: openai', 'provider: anthropic')
      .replace('model: gpt-5', 'model: claude-sonnet-4-5')
      .replace(`baseURL: ${server.url}/v1`, `baseURL: ${server.url}`),
  );
  server.setOptions({ servedModel: OLD });
  runs.A = await newRun(configPath);
  server.setOptions({ servedModel: NEW });
  runs.B = await newRun(configPath);
  let n = 0;
  server.setOptions({ servedModel: (requested) => (requested !== 'gpt-5' ? requested : n++ % 2 === 0 ? OLD : NEW) });
  runs.M = await newRun(configPath);
  server.setOptions({ servedModel: OLD });
  runs.C = await newRun(configPath);
  server.setOptions({ servedModel: (requested) => `${requested}-20250929` });
  runs.X = await newRun(anthropicConfigPath);
  server.setOptions({ servedModel: undefined });
}, 90_000);
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('transcripts and judgments record which model answered', () => {
  it('OpenAI wire: the served model and the system fingerprint, on every transcript and judgment', () => {
    const ts = jsonl(path.join(runs.A, 'transcripts.jsonl'));
    expect(ts).toHaveLength(CELLS);
    const fp = ts[0].response.served.fingerprint;
    expect(fp).toMatch(/^fp_[0-9a-f]{10}$/);
    for (const t of ts) expect([t.model, t.response.served]).toEqual(['gpt-5', { model: OLD, fingerprint: fp }]);
    for (const j of jsonl(path.join(runs.A, 'judgments.jsonl'))) expect(j.served).toEqual({ model: OLD, fingerprint: fp });
    // The fingerprint follows the served model, as a different backend's would.
    expect(jsonl(path.join(runs.B, 'transcripts.jsonl'))[0].response.served).toEqual({
      model: NEW,
      fingerprint: expect.not.stringMatching(fp),
    });
  });

  it('Anthropic wire: the served model (the Messages API sends no fingerprint)', () => {
    const ts = jsonl(path.join(runs.X, 'transcripts.jsonl'));
    expect(ts).toHaveLength(CELLS);
    for (const t of ts)
      expect([t.provider, t.model, t.response.served]).toEqual(['anthropic', 'claude-sonnet-4-5', { model: 'claude-sonnet-4-5-20250929' }]);
    for (const j of jsonl(path.join(runs.X, 'judgments.jsonl'))) expect(j.served).toEqual({ model: 'claude-sonnet-4-5-20250929' });
  });

  it('the adapters return it in the result (both wires), and replay carries over what the replayed run recorded', async () => {
    server.setOptions({ servedModel: NEW, fingerprint: 'fp_swapped001' });
    try {
      const ask = { messages: [{ role: 'user' as const, content: 'hello' }], maxTokens: 50, sample: 0 };
      const deps = { env: {}, fetch: globalThis.fetch, cwd: dir };
      const base = { id: 'm', maxTokens: 50, concurrency: 1 };
      const openai = createModel({ ...base, provider: 'openai', model: 'gpt-5', baseURL: `${server.url}/v1` }, deps);
      expect((await openai.generate(ask)).served).toEqual({ model: NEW, fingerprint: 'fp_swapped001' });
      const anthropic = createModel({ ...base, provider: 'anthropic', model: 'claude-x', baseURL: server.url }, deps);
      expect((await anthropic.generate(ask)).served).toEqual({ model: NEW });
    } finally {
      server.setOptions({ servedModel: undefined, fingerprint: undefined });
    }
    const t = jsonl(path.join(runs.A, 'transcripts.jsonl'))[0];
    const replay = createModel(
      { id: 'bench-model', provider: 'replay', model: 'gpt-5', replayFrom: runs.A, maxTokens: 256, concurrency: 1 },
      { env: {}, fetch: globalThis.fetch, cwd: dir },
    );
    const r = await replay.generate({ ...t.request, sample: t.sample });
    expect(r.served).toEqual(t.response.served);
  });
});

describe('profiles list the served identities per configured model', () => {
  it('profile.json: configured name, identities with their cells, none unrecorded', () => {
    const a = read(path.join(runs.A, 'profile.json'));
    const fp = jsonl(path.join(runs.A, 'transcripts.jsonl'))[0].response.served.fingerprint;
    expect(a.models[0].served).toEqual({ configured: 'gpt-5', identities: [{ model: OLD, fingerprint: fp, cells: CELLS }], unrecorded: 0 });
    const m = read(path.join(runs.M, 'profile.json'));
    expect(m.models[0].served.identities.map((i: { model: string; cells: number }) => [i.model, i.cells]).sort()).toEqual([
      [OLD, CELLS / 2],
      [NEW, CELLS / 2],
    ]);
    expect(m.notes.join('\n')).toContain('bench-model: the API reported 2 different served models or fingerprints behind gpt-5');
  });

  it('the run report lists them among its facts', () => {
    const fp = jsonl(path.join(runs.A, 'transcripts.jsonl'))[0].response.served.fingerprint;
    // report.md escapes Markdown's `_`; report.html shows the text as is.
    for (const [f, shown] of [
      ['report.md', fp.replace('_', '\\_')],
      ['report.html', fp],
    ])
      expect(readFileSync(path.join(runs.A, f), 'utf8'), f).toContain(
        `Served models (as the API reported them): bench-model (gpt-5): ${OLD} (fingerprint ${shown}): ${CELLS} cells.`,
      );
  });

  it('a failed judgment replaced by a re-attempt counts its served identity once (and snapshots keep the counts)', () => {
    const t = new ModelTable('m', new Set());
    const j = (cellId: string, o: Partial<AnalysisJudgment>): AnalysisJudgment => ({
      cellId,
      modelId: 'm',
      scenarioId: 's',
      sample: Number(cellId.slice(-1)),
      domain: 'd',
      judgeId: 'lexical@3',
      judgeHash: 'h',
      judgeModels: [],
      userValues: [],
      responseType: 'neutral_acknowledgment',
      refusal: 'none',
      aiValues: [],
      humanValues: [],
      error: null,
      ...o,
    });
    const failed = { error: { kind: 'judge_error', message: 'x' }, responseType: null, refusal: null };
    const old = { model: OLD, fingerprint: 'fp_a' };
    t.add(j('m/s/0', { ...failed, served: old }));
    t.add(j('m/s/0', { served: old })); // the re-attempt of the same answer
    t.add(j('m/s/1', { ...failed, served: old }));
    t.add(j('m/s/1', { served: { model: NEW } })); // re-attempted after the cell was re-run
    t.add(j('m/s/2', { ...failed })); // an older judgment without a served identity...
    t.add(j('m/s/2', { served: old })); // ...re-judged after a re-run that recorded one
    t.add(j('m/s/3', { served: old }));
    t.add(j('m/s/3', { served: { model: NEW } })); // a duplicate success: ignored
    t.add(j('m/s/4', {})); // unrecorded
    t.add(j('m/s/5', { error: { kind: 'no_response', message: 'x' }, responseType: null, refusal: null })); // no answer at all
    const expected = [
      { model: OLD, fingerprint: 'fp_a', cells: 3 },
      { model: NEW, cells: 1 },
    ];
    expect([t.servedIdentities(), t.servedUnrecorded]).toEqual([expected, 1]);
    const back = ModelTable.fromSnapshot(structuredClone(t.snapshot()));
    expect([back.servedIdentities(), back.servedUnrecorded]).toEqual([expected, 1]);
  });
});

describe('diff and gate flag a served model change behind the same configured name', () => {
  const gate = (config: string, base: string, cand: string, out: string) =>
    runCli(['gate', base, cand, '--config', config, '--out', path.join(dir, out), '--junit', path.join(dir, `${out}.xml`), '--no-report'], {
      cwd: dir,
      env: { GITHUB_STEP_SUMMARY: path.join(dir, `${out}.md`) },
    });
  const changed = `served model changed behind gpt-5: the base (${'%A'}) was answered by ${OLD}`;

  it('diff: a comparability warning naming both identities', async () => {
    const r = await runCli(['diff', runs.A, runs.B, '--out', path.join(dir, 'd-ab'), '--config', configPath, '--no-report'], {
      cwd: dir,
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    const w: string[] = read(path.join(dir, 'd-ab', 'diff.json')).comparability.warnings;
    const hit = w.filter((x) => x.startsWith('served model changed'));
    expect(hit).toHaveLength(1);
    expect(hit[0]).toContain(changed.replace('%A', runs.A));
    expect(hit[0]).toContain(`the candidate (${runs.B}) by ${NEW}`);
    // The same served model on both sides: nothing to say.
    const same = await runCli(['diff', runs.A, runs.C, '--out', path.join(dir, 'd-ac'), '--config', configPath, '--no-report'], {
      cwd: dir,
      env,
    });
    expect(same.code, same.stderr).toBe(0);
    expect(read(path.join(dir, 'd-ac', 'diff.json')).comparability.warnings.join('\n')).not.toContain('served model');
  });

  it('gate (default onServedModelChange: warn): the warning in gate.json and the summary, and the rules decide the exit code', async () => {
    const r = await gate(configPath, runs.A, runs.B, 'g-warn');
    expect(r.code, r.stderr).toBe(0);
    const g = read(path.join(dir, 'g-warn', 'gate.json'));
    expect(g.warnings.join('\n')).toContain(changed.replace('%A', runs.A));
    expect(g.rules.map((x: { name: string }) => x.name)).toEqual(['no-unheard-value']);
    expect(readFileSync(path.join(dir, 'g-warn.md'), 'utf8')).toContain('served model changed behind gpt-5');
  });

  it('gate with onServedModelChange: fail: exit 1 with a failing "served model unchanged" entry naming both identities', async () => {
    const r = await gate(failConfigPath, runs.A, runs.B, 'g-fail');
    expect(r.code, r.stderr).toBe(1);
    const g = read(path.join(dir, 'g-fail', 'gate.json'));
    expect([g.verdict, g.exitCode]).toEqual(['fail', 1]);
    const rule = g.rules.find((x: { name: string }) => x.name === 'served model unchanged (gpt-5)');
    expect(rule.status).toBe('fail');
    expect(rule.message).toContain(OLD);
    expect(rule.message).toContain(NEW);
    expect(rule.hits.map((h: { value: string; cells: number }) => [h.value.split(' ')[0], h.cells])).toEqual([[NEW, CELLS]]);
    expect(readFileSync(path.join(dir, 'g-fail.xml'), 'utf8')).toMatch(
      /<testcase classname="valuescope.gate" name="served model unchanged \(gpt-5\)">\s*<failure/,
    );
    // The same served model: the entry passes and the gate exits 0.
    const same = await gate(failConfigPath, runs.A, runs.C, 'g-same');
    expect(same.code, same.stderr).toBe(0);
    const s = read(path.join(dir, 'g-same', 'gate.json'));
    expect(s.rules.find((x: { name: string }) => x.name === 'served model unchanged (gpt-5)').status).toBe('pass');
  });

  it('a side mixing two served identities is warned about by diff and gate', async () => {
    const r = await runCli(['diff', runs.A, runs.M, '--out', path.join(dir, 'd-am'), '--config', configPath, '--no-report'], {
      cwd: dir,
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    const w: string = read(path.join(dir, 'd-am', 'diff.json')).comparability.warnings.join('\n');
    expect(w).toContain(`served model mix on the candidate side (${runs.M}): the API reported 2 different served models behind gpt-5`);
    expect(w).not.toContain('served model mix on the base side');
    // The candidate is partly answered by NEW, which never answered the base: a partial swap is a change.
    expect(w).toMatch(/served model changed behind gpt-5: .* partly \(\d+ of \d+ cells\) a different served model/);
    const swapped = await gate(failConfigPath, runs.A, runs.M, 'g-partial');
    expect(swapped.code, swapped.stderr).toBe(1);
    // The other way round, every candidate identity (OLD) also answered the base: a mix, not a change.
    const g = await gate(failConfigPath, runs.M, runs.A, 'g-mix');
    expect(g.code, g.stderr).toBe(0);
    expect(read(path.join(dir, 'g-mix', 'gate.json')).warnings.join('\n')).toContain(`served model mix on the base side (${runs.M})`);
  });
});
