import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { allFiles, makeProject, readTranscripts, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 11 });
});
afterAll(() => server.close());

describe('valuescope run against the local server (real SDKs over HTTP)', () => {
  it('with 10% 500, 5% 429 (retry-after) and 2% drops: every cell exactly once, errors only where attempts ran out', async () => {
    server.setOptions({ errorRate: 0.1, rate429: 0.05, retryAfterMs: 30, dropRate: 0.02, seed: 3 });
    server.reset();
    const project = await makeProject({
      server,
      domains: ['moral-philosophy', 'workplace', 'sycophancy-probes'],
      runner: { maxAttempts: 2 },
    });
    const r = await runCli(['run', '--no-judge'], { cwd: project });
    server.setOptions({ errorRate: 0, rate429: 0, retryAfterMs: undefined, dropRate: 0 });
    const [runDir] = await runDirs(project);
    const transcripts = await readTranscripts(runDir!);
    const manifest = JSON.parse(await readFile(path.join(runDir!, 'manifest.json'), 'utf8'));
    const planned = 2 * Object.keys(manifest.scenarios).length * 2;
    expect(planned).toBeGreaterThan(150);
    expect(manifest.counts.planned).toBe(planned);
    expect(transcripts).toHaveLength(planned);
    expect(new Set(transcripts.map((t) => t.cellId)).size).toBe(planned);
    const errored = transcripts.filter((t) => t.error !== null);
    // With 17% faults and 2 attempts about 3% of cells run out of attempts.
    expect(errored.length).toBeGreaterThan(0);
    for (const t of errored) {
      expect(t.attempts).toBe(2);
      expect(t.response).toBeNull();
      expect(['http_500', 'http_429', 'connection_reset']).toContain(t.error!.kind);
      expect(t.error!.message.length).toBeGreaterThan(0);
    }
    for (const t of transcripts.filter((x) => x.error === null)) expect(t.response!.text.length).toBeGreaterThan(0);
    // Every HTTP request the server saw is accounted for by an attempt of some cell.
    const attempts = transcripts.reduce((a, t) => a + t.attempts, 0);
    expect(server.stats().requests).toBe(attempts);
    expect(attempts).toBeGreaterThan(planned);
    expect(r.code).toBe(3);
    expect(manifest.status).toBe('completed_with_errors');
    expect(manifest.counts.errored).toBe(errored.length);
  });

  it('by default a new run asks the models anew, so a change behind the same name can show as drift', async () => {
    server.reset();
    const project = await makeProject({ server });
    expect((await runCli(['run', '--no-judge', '--samples', '1'], { cwd: project })).code).toBe(0);
    const second = await runCli(['run', '--no-judge', '--samples', '1'], { cwd: project });
    expect(second.code).toBe(0);
    expect(server.stats().requests).toBe(44);
    const dirs = await runDirs(project);
    for (const d of dirs) expect((await readTranscripts(d)).every((t) => !t.cached && t.attempts === 1)).toBe(true);
    expect(second.stderr).not.toContain('cache: development');
  });

  it('in cache: development mode, re-running a finished run answers from the cache with zero HTTP calls and says so', async () => {
    server.reset();
    const project = await makeProject({ server, cache: 'development' });
    const first = await runCli(['run', '--no-judge', '--samples', '1'], { cwd: project });
    expect(first.code).toBe(0);
    const requests = server.stats().requests;
    expect(requests).toBe(22);
    const second = await runCli(['run', '--no-judge', '--samples', '1'], { cwd: project });
    expect(second.code).toBe(0);
    expect(server.stats().requests).toBe(requests);
    const started = async (d: string): Promise<string> => JSON.parse(await readFile(path.join(d, 'manifest.json'), 'utf8')).startedAt;
    const unsorted = await runDirs(project);
    const keys = await Promise.all(unsorted.map(started));
    const dirs = unsorted
      .map((d, i) => ({ d, k: keys[i]! }))
      .sort((a, b) => a.k.localeCompare(b.k))
      .map((x) => x.d);
    const again = await readTranscripts(dirs[1]!);
    expect(again).toHaveLength(22);
    expect(again.every((t) => t.cached && t.attempts === 0)).toBe(true);
    expect(second.stderr).toContain('note: cache: development: answers may come from the response cache of earlier runs');
    expect(JSON.parse(await readFile(path.join(dirs[1]!, 'manifest.json'), 'utf8')).notes).toContain(
      'cache: development: answers may come from the response cache of earlier runs (transcripts say which); not for gating',
    );
    const firstTexts = new Map((await readTranscripts(dirs[0]!)).map((t) => [t.cellId, t.response!.text]));
    for (const t of again) expect(t.response!.text).toBe(firstTexts.get(t.cellId));
    // --no-cache goes to the server again.
    await runCli(['run', '--no-judge', '--samples', '1', '--no-cache', '--models', 'gpt-local'], { cwd: project });
    expect(server.stats().requests).toBe(requests + 11);
  });

  it('never writes an API key under results/ or the cache, even when a call fails with auth errors', async () => {
    const KEY = 'FAKE-test-key-do-not-log-8f7e6d';
    const BAD = 'sk-proj-WRONG-KEY-should-not-appear-1a2b';
    server.reset();
    server.setOptions({ apiKey: KEY });
    // Development mode, so the response cache is written too and can be searched for the key.
    const project = await makeProject({ server, cache: 'development' });
    const cfg = (await readFile(path.join(project, 'config.yaml'), 'utf8')).replace(
      'model: gpt-synthetic',
      'model: gpt-synthetic\n    apiKeyEnv: OTHER_KEY',
    );
    await writeFile(path.join(project, 'config.yaml'), cfg);
    const r = await runCli(['run', '--no-judge', '--samples', '1'], { cwd: project, env: { ANTHROPIC_API_KEY: KEY, OTHER_KEY: BAD } });
    server.setOptions({ apiKey: undefined });
    expect(r.code).toBe(3); // the OpenAI-wire model is rejected with 401
    const [runDir] = await runDirs(project);
    const transcripts = await readTranscripts(runDir!);
    expect(transcripts.filter((t) => t.error?.kind === 'auth')).toHaveLength(11);
    expect(transcripts.filter((t) => t.error === null)).toHaveLength(11);
    const files = [...(await allFiles(path.join(project, 'results'))), ...(await allFiles(path.join(project, '.valuescope-cache')))];
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      expect(f.text, f.file).not.toContain(KEY);
      expect(f.text, f.file).not.toContain(BAD);
    }
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it('writes nothing under results/ when a scenario is invalid, and exits 2 with file:line', async () => {
    const project = await makeProject({ server });
    const file = path.join(project, 'scenarios', 'moral-philosophy', 'moral-kidney-to-a-stranger.yaml');
    await writeFile(file, `${await readFile(file, 'utf8')}colour: blue\n`);
    const r = await runCli(['run', '--no-judge'], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/moral-kidney-to-a-stranger\.yaml:\d+/);
    expect(await runDirs(project)).toEqual([]);
  });

  it('exits 2 with a clear message when the results directory cannot be created', async () => {
    const project = await makeProject({ server });
    await writeFile(path.join(project, 'not-a-dir'), 'x');
    const r = await runCli(['run', '--no-judge', '--out', 'not-a-dir/results'], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*not-a-dir/);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    server.reset();
    const project = await makeProject({ server });
    await mkdir(path.join(project, 'results'));
    const r = await runCli(['run', '--no-judge', '--dry-run', '--scenarios', 'moral-kidney-*'], { cwd: project });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 model\(s\) x 1 scenario\(s\) x 2 sample\(s\) = 4 cells/);
    expect(r.stdout).toMatch(/claude-local\s+2\s/);
    expect(r.stdout).toMatch(/No price for: gpt-synthetic/);
    expect(server.stats().requests).toBe(0);
    expect(await runDirs(project)).toEqual([]);
  });
});
