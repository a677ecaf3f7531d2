import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_KEY_ENV, writeWorkload } from '../bench/lib/workload.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { runCli } from './helpers/cli.js';

let server: LocalServer;
let judgeServer: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 2 });
  // Every structured answer is broken JSON: each judgment fails after its one repair.
  judgeServer = await startLocalServer({ seed: 2, badJsonRate: 1 });
});
afterAll(async () => {
  await server.close();
  await judgeServer.close();
});

describe('one exit-code rule for run and judge', () => {
  it('a run whose pipelined judging ended with errors exits 3, as `valuescope judge` does on the same data', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vs-judge-exit-'));
    const w = await writeWorkload({
      dir,
      baseURL: `${server.url}/v1`,
      scenarios: 6,
      samples: 2,
      concurrency: 4,
      llmJudge: { baseURL: `${judgeServer.url}/v1`, concurrency: 4, pipelined: true },
    });
    const env = { [BENCH_KEY_ENV]: 'sk-local-test' };
    const run = await runCli(['run', '--config', w.configPath, '--no-cache', '--no-report', '--out', w.outDir], { cwd: dir, env });
    expect(run.stdout).toMatch(/12 judge errors of 12 cells/);
    expect(run.code).toBe(3);
    const runDir = path.join(w.outDir, (await import('node:fs')).readdirSync(w.outDir)[0]!);
    const judge = await runCli(['judge', runDir, '--config', w.configPath, '--force'], { cwd: dir, env });
    expect(judge.code).toBe(3);
  });

  it('a cache that cannot be written is a warning: every cell and judgment succeeds, the run exits 0', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vs-judge-cache-'));
    const w = await writeWorkload({
      dir,
      baseURL: `${server.url}/v1`,
      scenarios: 6,
      samples: 2,
      concurrency: 4,
      llmJudge: { baseURL: `${server.url}/v1`, concurrency: 4, pipelined: true },
      cache: 'development', // the model answers' cache too, not only the judge's
    });
    // A file where the cache directory should be: every cache write fails (also as root).
    await writeFile(w.cacheDir, 'not a directory');
    const env = { [BENCH_KEY_ENV]: 'sk-local-test' };
    const run = await runCli(['run', '--config', w.configPath, '--no-report', '--out', w.outDir], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/0 judge errors of 12 cells/);
    const warnings = run.stderr.split('\n').filter((l) => l.includes('response cache disabled for writing'));
    expect(warnings).toHaveLength(2); // one for the model answers, one for the judge's
  });
});
