import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import type { Manifest } from '../src/records/manifest.js';
import type { Transcript } from '../src/records/transcript.js';
import { makeProject, readTranscripts, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 21 });
});
afterAll(() => server.close());

const manifestOf = async (dir: string): Promise<Manifest> => JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
const byCell = (ts: Transcript[]) => new Map(ts.map((t) => [t.cellId, t]));

/** A finished run A (one sample, 2 models x 22 scenarios) in a fresh project. */
async function runA(o: { samples?: number } = {}): Promise<{ project: string; dirA: string; a: Transcript[] }> {
  const project = await makeProject({ server });
  const r = await runCli(['run', '--no-judge', '--samples', String(o.samples ?? 1)], { cwd: project });
  expect(r.code).toBe(0);
  const [dirA] = await runDirs(project);
  return { project, dirA: dirA!, a: await readTranscripts(dirA!) };
}

async function newestOther(project: string, dirA: string): Promise<string> {
  const dirs = (await runDirs(project)).filter((d) => d !== dirA);
  expect(dirs).toHaveLength(1);
  return dirs[0]!;
}

describe('valuescope run --reuse-from RUN', () => {
  it('re-judges old answers: every identical request is copied from RUN with cachedFrom, with no HTTP call', async () => {
    const { project, dirA, a } = await runA();
    const idA = (await manifestOf(dirA)).runId;
    server.reset();
    const r = await runCli(['run', '--no-judge', '--samples', '1', '--reuse-from', dirA], { cwd: project });
    expect(r.code).toBe(0);
    expect(server.stats().requests).toBe(0);
    expect(r.stderr).toContain(`Reusing answers from run ${idA}: ${a.length} of ${a.length} cells reused (no request), 0 requested fresh`);
    const dirB = await newestOther(project, dirA);
    const b = await readTranscripts(dirB);
    expect(b).toHaveLength(a.length);
    const old = byCell(a);
    for (const t of b) {
      expect([t.cached, t.cachedFrom, t.attempts]).toEqual([true, idA, 0]);
      expect(t.response).toEqual(old.get(t.cellId)!.response);
    }
    const m = await manifestOf(dirB);
    expect(m.runId).not.toBe(idA);
    expect(m.notes).toContain(`answers reused from run ${idA}: ${a.length} of ${a.length} cells; not an independent sample`);
  });

  it('requests fresh the cells RUN does not have, and says how many', async () => {
    const { project, dirA, a } = await runA();
    server.reset();
    const r = await runCli(['run', '--no-judge', '--samples', '2', '--reuse-from', path.relative(project, dirA)], { cwd: project });
    expect(r.code).toBe(0);
    expect(server.stats().requests).toBe(a.length);
    expect(r.stderr).toContain(`${a.length} of ${2 * a.length} cells reused (no request), ${a.length} requested fresh`);
    const b = await readTranscripts(await newestOther(project, dirA));
    expect(b.filter((t) => t.cached).every((t) => t.sample === 0)).toBe(true);
    expect(b.filter((t) => !t.cached)).toHaveLength(a.length);
    expect(b.filter((t) => !t.cached).every((t) => t.sample === 1 && t.cachedFrom === undefined)).toBe(true);
  });

  it('reuses nothing when a parameter that changes answers differs (temperature)', async () => {
    const { dirA, a } = await runA();
    const warmer = await makeProject({
      server,
      models: [
        { id: 'claude-local', provider: 'anthropic', model: 'claude-synthetic', baseURL: server.url, temperature: 0.5, maxTokens: 200 },
        { id: 'gpt-local', provider: 'openai', model: 'gpt-synthetic', baseURL: `${server.url}/v1`, temperature: 0.5, maxTokens: 200 },
      ],
    });
    server.reset();
    const r = await runCli(['run', '--no-judge', '--samples', '1', '--reuse-from', dirA], { cwd: warmer });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`0 of ${a.length} cells reused`);
    expect(server.stats().requests).toBe(a.length);
    const [dirB] = await runDirs(warmer);
    expect((await readTranscripts(dirB!)).some((t) => t.cached)).toBe(false);
  });

  it('reuses only successes, and the last successful line of a cell', async () => {
    const { project, dirA, a } = await runA();
    const file = path.join(dirA, 'transcripts.jsonl');
    const [first, second] = a;
    // A later success for the first cell replaces the earlier one; the second cell's only line becomes an error.
    await appendFile(file, `${JSON.stringify({ ...first, response: { ...first!.response!, text: 'the later answer' } })}\n`);
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    const errored = { ...second!, response: null, error: { kind: 'http_500', message: 'boom' } };
    await writeFile(file, `${lines.map((l) => (JSON.parse(l).cellId === second!.cellId ? JSON.stringify(errored) : l)).join('\n')}\n`);
    server.reset();
    const r = await runCli(['run', '--no-judge', '--samples', '1', '--reuse-from', dirA], { cwd: project });
    expect(r.code).toBe(0);
    expect(server.stats().requests).toBe(1);
    const b = byCell(await readTranscripts(await newestOther(project, dirA)));
    expect(b.get(first!.cellId)!.response!.text).toBe('the later answer');
    expect(b.get(second!.cellId)!.cached).toBe(false);
  });

  it('refuses what is not a run directory, and --resume, with exit 2 and nothing written', async () => {
    const { project, dirA } = await runA();
    server.reset();
    const notRun = await runCli(['run', '--no-judge', '--reuse-from', 'scenarios'], { cwd: project });
    expect(notRun.code).toBe(2);
    expect(notRun.stderr).toMatch(/--reuse-from scenarios: .*scenarios is not a run directory/);
    const missing = await runCli(['run', '--no-judge', '--reuse-from', 'results/nope'], { cwd: project });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--reuse-from results\/nope: .*does not exist/);
    await writeFile(path.join(dirA, 'transcripts.jsonl'), '{"not a transcript": true}\n');
    const broken = await runCli(['run', '--no-judge', '--reuse-from', dirA], { cwd: project });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('cannot read its transcripts');
    const both = await runCli(['run', '--no-judge', '--reuse-from', dirA, '--resume', dirA], { cwd: project });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('cannot be combined with --resume');
    expect(server.stats().requests).toBe(0);
    expect(await readdir(path.join(project, 'results'))).toHaveLength(1);
  });
});

describe('provenance of cached answers (cache: development)', () => {
  it('records the writing run in each entry; hits say cachedFrom, old entries without it stay readable', async () => {
    const project = await makeProject({ server, cache: 'development' });
    expect((await runCli(['run', '--no-judge', '--samples', '1'], { cwd: project })).code).toBe(0);
    const [dir1] = await runDirs(project);
    const id1 = (await manifestOf(dir1!)).runId;
    const cacheDir = path.join(project, '.valuescope-cache');
    const entries = (await readdir(cacheDir, { recursive: true })).filter((f) => f.endsWith('.json'));
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(JSON.parse(await readFile(path.join(cacheDir, e), 'utf8')).runId).toBe(id1);
    // An entry as written before runs recorded their id.
    const legacy = path.join(cacheDir, entries[0]!);
    const { runId: _drop, ...rest } = JSON.parse(await readFile(legacy, 'utf8'));
    await writeFile(legacy, JSON.stringify(rest));
    server.reset();
    expect((await runCli(['run', '--no-judge', '--samples', '1'], { cwd: project })).code).toBe(0);
    expect(server.stats().requests).toBe(0);
    const b = await readTranscripts(await newestOther(project, dir1!));
    expect(b.every((t) => t.cached)).toBe(true);
    expect(b.filter((t) => t.cachedFrom === id1)).toHaveLength(b.length - 1);
    expect(b.filter((t) => t.cachedFrom === undefined)).toHaveLength(1);
  });
});
