import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { makeProject, readTranscripts, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

/**
 * A per-minute limit tested in seconds: the server's clock runs 30x fast, so its sliding
 * "minute" lasts 2 s, and the runner's window is set to the same 2 s (runner.rateWindowMs).
 */
const SPEEDUP = 30;
const WINDOW_MS = 60_000 / SPEEDUP;

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 9, latencyMs: 20, rpm: 8, now: () => Date.now() * SPEEDUP });
});
afterAll(() => server.close());

describe('rate limits', () => {
  it('with rpm set to the server limit, receives zero 429s and finishes every cell', async () => {
    server.reset();
    const project = await makeProject({ server, runner: { samples: 1, rateWindowMs: WINDOW_MS } });
    const cfg = await import('node:fs/promises').then((fs) => fs.readFile(`${project}/config.yaml`, 'utf8'));
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(`${project}/config.yaml`, cfg.replace(/concurrency: 8/g, 'concurrency: 8\n    rpm: 8')),
    );
    const started = Date.now();
    const r = await runCli(['run', '--no-judge'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    expect(server.stats().sent429).toBe(0);
    expect(server.stats().requests).toBe(22);
    // 11 cells per model at 8 per window: the last 3 wait for the second window.
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW_MS);
    const [dir] = await runDirs(project);
    expect((await readTranscripts(dir!)).every((t) => t.attempts === 1)).toBe(true);
  });

  it('control: without the client-side limit the same run is throttled by the server', async () => {
    server.reset();
    const project = await makeProject({ server, runner: { samples: 1, maxAttempts: 1, rateWindowMs: WINDOW_MS } });
    const r = await runCli(['run', '--no-judge', '--no-cache'], { cwd: project });
    expect(r.code).toBe(3);
    expect(server.stats().sent429).toBe(6);
  });
});
