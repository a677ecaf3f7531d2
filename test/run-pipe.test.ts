import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_KEY_ENV, writeWorkload } from '../bench/lib/workload.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';

const REPO = path.resolve(import.meta.dirname, '..');
let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 8 });
});
afterAll(() => server.close());

describe('valuescope run | head', () => {
  it('a reader that leaves early does not stop the run: transcripts, judgments, profile and report are all written', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vs-pipe-'));
    const w = await writeWorkload({
      dir,
      baseURL: `${server.url}/v1`,
      scenarios: 8,
      samples: 2,
      concurrency: 4,
      llmJudge: { baseURL: `${server.url}/v1`, concurrency: 4, pipelined: true },
    });
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'valuescope.js'), 'run', '--config', w.configPath], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', [BENCH_KEY_ENV]: 'sk-local-test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes away before the command has written a byte: every stdout write meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    const runDir = path.join(w.outDir, readdirSync(w.outDir)[0]!);
    const manifest = JSON.parse(readFileSync(path.join(runDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ status: 'completed', counts: { done: 16 } });
    expect(readFileSync(path.join(runDir, 'judgments.jsonl'), 'utf8').trim().split('\n')).toHaveLength(16);
    expect(existsSync(path.join(runDir, 'profile.json'))).toBe(true);
    expect(existsSync(path.join(runDir, 'report.html'))).toBe(true);
    expect(stderr).not.toMatch(/EPIPE|this is a bug/);
  });
});
