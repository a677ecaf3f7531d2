import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { makeProject, readTranscripts, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

const REPO = path.resolve(import.meta.dirname, '..');
let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 21 });
});
afterAll(() => server.close());

function cli(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'valuescope.js'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('one writer per run directory', () => {
  it('two resumes started together: one completes the run, the other exits 2 naming the holder; no duplicate line', async () => {
    // Slow enough that the first run is still going when it is interrupted.
    server.setOptions({ latencyMs: 30 });
    const project = await makeProject({ server, runner: { samples: 3 } });
    const ctl = new AbortController();
    const first = runCli(['run', '--no-judge'], { cwd: project, signal: ctl.signal });
    for (let i = 0; i < 1000 && !ctl.signal.aborted; i++) {
      await new Promise((r) => setTimeout(r, 5));
      const dir = (await runDirs(project))[0];
      if (dir && (await readFile(path.join(dir, 'transcripts.jsonl'), 'utf8').catch(() => '')).split('\n').length > 5) ctl.abort();
    }
    expect((await first).code).toBe(3);
    const [runDir] = await runDirs(project);
    const rel = path.relative(project, runDir!);
    // Slow answers keep the winner writing while the second one starts.
    server.setOptions({ latencyMs: 150 });
    const [a, b] = await Promise.all([
      cli(['run', '--no-judge', '--resume', rel], project),
      cli(['run', '--no-judge', '--resume', rel], project),
    ]);
    server.setOptions({ latencyMs: 0 });
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 2]);
    const loser = a.code === 2 ? a : b;
    expect(loser.stderr).toMatch(new RegExp(`${rel} is being written by \`valuescope run --resume\` \\(pid \\d+ on host .+\\) since`));
    expect(loser.stderr).toContain(`remove ${path.join(rel, '.lock')} if that process is gone`);
    const ids = (await readTranscripts(runDir!)).map((t) => t.cellId);
    expect(ids).toHaveLength(2 * 11 * 3);
    expect(new Set(ids).size).toBe(ids.length);
    const manifest = JSON.parse(await readFile(path.join(runDir!, 'manifest.json'), 'utf8'));
    expect(manifest.status).toBe('completed');
  });
});
