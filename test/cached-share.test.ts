import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_KEY_ENV, writeWorkload } from '../bench/lib/workload.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import type { AnalysisJudgment } from '../src/records/analysis-judgment.js';
import { ModelTable } from '../src/stages/analyze/load/scenario-table.js';
import { runCli } from './helpers/cli.js';

/**
 * Issue #11 item 4: judgments carry whether their answer came from the cache (and from which run);
 * profile, diff, gate and report show the cached share, and the gate refuses a side whose answers are
 * copies of the other side's run.
 */

let server: LocalServer;
let dir: string;
let configPath: string;
/** A: fresh answers (and fills the cache); B: every answer from the cache A wrote; C: fresh (--no-cache). */
const runs = { A: '', B: '', C: '' };
const ids = { A: '', B: '', C: '' };
const env = { [BENCH_KEY_ENV]: 'sk-local-test' };
const CELLS = 12; // 6 scenarios x 2 samples

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const jsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));

async function newRun(extra: string[]): Promise<string> {
  const out = path.join(dir, 'results');
  const before = new Set(existsSync(out) ? readdirSync(out) : []);
  const r = await runCli(['run', '--config', configPath, '--out', out, ...extra], { cwd: dir, env });
  expect(r.code, r.stderr).toBe(0);
  const made = readdirSync(out).filter((d) => !before.has(d));
  expect(made).toHaveLength(1);
  return path.join(out, made[0]!);
}

beforeAll(async () => {
  server = await startLocalServer({ seed: 11 });
  dir = await mkdtemp(path.join(tmpdir(), 'vs-cached-share-'));
  const w = await writeWorkload({
    dir,
    baseURL: `${server.url}/v1`,
    scenarios: 6,
    samples: 2,
    concurrency: 4,
    cache: 'development',
    llmJudge: { baseURL: `${server.url}/v1`, concurrency: 4, pipelined: true },
    extraYaml: ['gate:', '  resamples: 200', '  rules:', '    - { name: refusals, metric: refusal_rate, maxChange: 0.5 }'].join('\n'),
  });
  configPath = w.configPath;
  runs.A = await newRun([]);
  runs.B = await newRun([]);
  runs.C = await newRun(['--no-cache']);
  for (const k of ['A', 'B', 'C'] as const) ids[k] = read(path.join(runs[k], 'manifest.json')).runId;
}, 60_000);
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const gate = (base: string, cand: string, out: string) =>
  runCli(
    ['gate', base, cand, '--config', configPath, '--out', path.join(dir, out), '--junit', path.join(dir, `${out}.xml`), '--no-report'],
    { cwd: dir, env: { GITHUB_STEP_SUMMARY: path.join(dir, `${out}.md`) } },
  );

describe('judgments and profiles record where the answers came from', () => {
  it('each judgment copies cached/cachedFrom from its transcript', () => {
    for (const j of jsonl(path.join(runs.B, 'judgments.jsonl'))) expect([j.cached, j.cachedFrom]).toEqual([true, ids.A]);
    for (const j of jsonl(path.join(runs.A, 'judgments.jsonl'))) expect([j.cached, j.cachedFrom]).toEqual([false, undefined]);
  });

  it('profile.json: answers.cachedShare per model, with the source run; a note says the answers are copies', () => {
    const b = read(path.join(runs.B, 'profile.json'));
    expect(b.models[0].answers).toEqual({ cells: CELLS, cached: CELLS, cachedShare: 1, cachedFrom: { [ids.A]: CELLS } });
    expect(b.notes.join('\n')).toContain(`${CELLS} of ${CELLS} answers (100.0%) were reused`);
    const a = read(path.join(runs.A, 'profile.json'));
    expect(a.models[0].answers).toEqual({ cells: CELLS, cached: 0, cachedShare: 0, cachedFrom: {} });
  });

  it('the run report (md and html) shows the cached share per model', () => {
    const line = `bench-model ${CELLS} of ${CELLS} (100.0%, from run ${ids.A}: ${CELLS})`;
    expect(readFileSync(path.join(runs.B, 'report.md'), 'utf8')).toContain(line);
    expect(readFileSync(path.join(runs.B, 'report.html'), 'utf8')).toContain(line);
    // None reused: the provenance block says so, once, instead of a "0 of N" line among the facts.
    const a = readFileSync(path.join(runs.A, 'report.md'), 'utf8');
    expect(a).not.toContain(`bench-model 0 of ${CELLS}`);
    expect(a).toMatch(/\| cells \| .*no answer reused/);
  });

  it('a failed judgment replaced by a re-attempt counts its cached answer once (and snapshots keep the counts)', () => {
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
    t.add(j('m/s/0', { ...failed, cached: true, cachedFrom: 'r1' }));
    t.add(j('m/s/0', { cached: true, cachedFrom: 'r1' })); // re-attempt of the same cached answer
    t.add(j('m/s/1', { ...failed, cached: true, cachedFrom: 'r2' }));
    t.add(j('m/s/1', { cached: false })); // re-attempt after the cell was re-run fresh
    t.add(j('m/s/2', { cached: true })); // origin unknown
    t.add(j('m/s/2', { cached: true, cachedFrom: 'r3' })); // a duplicate success: ignored
    t.add(j('m/s/3', {})); // an old judgment without provenance: not cached
    const expected = { cells: 4, cached: 2, cachedShare: 0.5, cachedFrom: { r1: 1 } };
    expect(t.answers()).toEqual(expected);
    expect(ModelTable.fromSnapshot(structuredClone(t.snapshot())).answers()).toEqual(expected);
  });
});

describe('diff and gate show the cached share; the gate refuses copies of the other side', () => {
  it('diff: each side records its answers; a cached side adds a comparability warning naming the share and the runs', async () => {
    const r = await runCli(['diff', runs.C, runs.B, '--out', path.join(dir, 'd-cb'), '--config', configPath], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const d = read(path.join(dir, 'd-cb', 'diff.json'));
    expect(d.base.answers.cached).toBe(0);
    expect(d.cand.answers).toEqual({ cells: CELLS, cached: CELLS, cachedShare: 1, cachedFrom: { [ids.A]: CELLS } });
    const w = d.comparability.warnings.filter((x: string) => x.startsWith('cached answers'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`cached answers on the candidate side (${runs.B}): ${CELLS} of ${CELLS} answers (100.0%)`);
    expect(w[0]).toContain(`run ${ids.A}: ${CELLS} cells`);
    expect(readFileSync(path.join(dir, 'd-cb', 'diff.md'), 'utf8')).toContain(`candidate ${CELLS} of ${CELLS} (100.0%)`);
    const note = `bench-model (candidate) ${CELLS} of ${CELLS} (100.0%, from run ${ids.A}: ${CELLS})`;
    for (const f of ['report.md', 'report.html']) {
      const text = readFileSync(path.join(dir, 'd-cb', f), 'utf8');
      expect(text, f).toContain('Comparability');
      expect(text, f).toContain(note);
      expect(text, f).toContain(`bench-model (base) 0 of ${CELLS} (0.0%)`);
    }
    // A diff of a run with its own copies is written, with the warning saying so.
    const same = await runCli(['diff', runs.A, runs.B, '--out', path.join(dir, 'd-ab'), '--no-report'], { cwd: dir, env });
    expect(same.code, same.stderr).toBe(0);
    expect(read(path.join(dir, 'd-ab', 'diff.json')).comparability.warnings.join('\n')).toContain(
      `${CELLS} of them are copies of the other side's run ${ids.A}`,
    );
  });

  it('gate: exit 2 when the candidate is cached from the base run, naming the side, the count, the run and the fix', async () => {
    const r = await gate(runs.A, runs.B, 'g-ab');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${runs.B} (candidate) cannot be gated against ${runs.A}`);
    expect(r.stderr).toContain(`${CELLS} of its ${CELLS} answers are copies of answers from the base run ${ids.A}`);
    expect(r.stderr).toContain('without --reuse-from / with cache: fresh');
    expect(existsSync(path.join(dir, 'g-ab', 'gate.json'))).toBe(false);
    // The same holds the other way round: a baseline made of the candidate's answers.
    const back = await gate(runs.B, runs.A, 'g-ba');
    expect(back.code).toBe(2);
    expect(back.stderr).toContain(`${runs.B} (base) cannot be gated against ${runs.A}`);
  });

  it('gate: answers cached from a third run are shown (gate.json, summary, JUnit) but do not refuse', async () => {
    const r = await gate(runs.C, runs.B, 'g-cb');
    expect([0, 1], r.stderr).toContain(r.code);
    const g = read(path.join(dir, 'g-cb', 'gate.json'));
    expect(g.cand.answers.cachedShare).toBe(1);
    expect(g.warnings.join('\n')).toContain(`cached answers on the candidate side (${runs.B}): ${CELLS} of ${CELLS} answers (100.0%)`);
    expect(readFileSync(path.join(dir, 'g-cb.md'), 'utf8')).toContain(`${CELLS} of ${CELLS} answers (100.0%) were reused`);
    const xml = readFileSync(path.join(dir, 'g-cb.xml'), 'utf8');
    expect(xml).toContain('<property name="cand.cachedShare" value="1.0000"/>');
    expect(xml).toContain(`<property name="cand.cachedFrom" value="${ids.A}:${CELLS}"/>`);
    expect(xml).toContain('<property name="base.cachedShare" value="0.0000"/>');
  });

  it('gate: with no cached answers it passes or fails as usual, and records 0 cached per side', async () => {
    const r = await gate(runs.A, runs.C, 'g-ac');
    expect([0, 1], r.stderr).toContain(r.code);
    const g = read(path.join(dir, 'g-ac', 'gate.json'));
    expect(g.exitCode).toBe(r.code);
    expect(g.base.answers).toEqual({ cells: CELLS, cached: 0, cachedShare: 0, cachedFrom: {} });
    expect(g.cand.answers).toEqual({ cells: CELLS, cached: 0, cachedShare: 0, cachedFrom: {} });
    expect(g.warnings.join('\n')).not.toContain('cached answers');
  });
});
