import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { makeProject, REPO_ROOT, readTranscripts, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 5, latencyMs: 60 });
});
afterAll(() => server.close());

async function lineCount(file: string): Promise<number> {
  try {
    return (await readFile(file, 'utf8')).split('\n').length - 1;
  } catch {
    return 0;
  }
}

describe('resume', () => {
  it('after kill -9 halfway: no duplicate, no missing cell, finished cells not requested again', async () => {
    const bin = path.join(REPO_ROOT, 'bin', 'valuescope.js');
    expect(existsSync(path.join(REPO_ROOT, 'dist', 'src', 'app', 'run-command.js')), 'run `npm run build` first (npm test does)').toBe(
      true,
    );
    server.reset();
    const project = await makeProject({ server, runner: { samples: 4 } });
    const child = spawn(process.execPath, [bin, 'run', '--no-judge'], {
      cwd: project,
      env: { PATH: process.env.PATH ?? '' },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, sig) => resolve(sig)));
    let runDir: string | undefined;
    for (let i = 0; i < 1000; i++) {
      await new Promise((r) => setTimeout(r, 10));
      runDir ??= (await runDirs(project))[0];
      if (runDir && (await lineCount(path.join(runDir, 'transcripts.jsonl'))) >= 30) break;
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const planned = 2 * 11 * 4;
    const before = await readTranscripts(runDir!).catch(() => []);
    const size = (await stat(path.join(runDir!, 'transcripts.jsonl'))).size;
    expect(size).toBeGreaterThan(0);
    const doneBefore = new Set(before.map((t) => t.cellId));
    expect(doneBefore.size).toBeGreaterThanOrEqual(30);
    expect(doneBefore.size).toBeLessThan(planned);
    const requestsBefore = server.stats().requests;

    const r = await runCli(['run', '--no-judge', '--resume', path.relative(project, runDir!)], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    const after = await readTranscripts(runDir!);
    const ids = after.map((t) => t.cellId);
    expect(ids).toHaveLength(planned);
    expect(new Set(ids).size).toBe(planned);
    expect(server.stats().requests - requestsBefore).toBe(planned - doneBefore.size);
    const manifest = JSON.parse(await readFile(path.join(runDir!, 'manifest.json'), 'utf8'));
    expect(manifest.status).toBe('completed');
    expect(manifest.counts).toEqual({ planned, done: planned, errored: 0 });
  });

  it('Ctrl-C stops gracefully, prints the resume command, and the resume completes the run', async () => {
    server.reset();
    // Slow enough that the run is still going when the poll sees the 5th line: the poll shares this
    // process with the run, and on a loaded machine it can miss a whole fast run (all 44 cells).
    server.setOptions({ latencyMs: 150 });
    const project = await makeProject({ server });
    const ctl = new AbortController();
    const running = runCli(['run', '--no-judge'], { cwd: project, signal: ctl.signal }).finally(() =>
      server.setOptions({ latencyMs: undefined }),
    );
    for (let i = 0; i < 1000 && !ctl.signal.aborted; i++) {
      await new Promise((res) => setTimeout(res, 5));
      const dir = (await runDirs(project))[0];
      if (dir && (await lineCount(path.join(dir, 'transcripts.jsonl'))) >= 5) ctl.abort();
    }
    const r = await running;
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(3);
    const [runDir] = await runDirs(project);
    const rel = path.relative(project, runDir!);
    expect(r.stderr).toContain(`valuescope run --resume ${rel}`);
    const partial = await readTranscripts(runDir!);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(44);
    expect(partial.every((t) => t.error === null)).toBe(true); // in-flight requests finished, none cut short
    expect(JSON.parse(await readFile(path.join(runDir!, 'manifest.json'), 'utf8')).status).toBe('interrupted');
    const again = await runCli(['run', '--no-judge', '--resume', rel], { cwd: project });
    expect(again.code).toBe(0);
    const ids = (await readTranscripts(runDir!)).map((t) => t.cellId);
    expect(ids).toHaveLength(44);
    expect(new Set(ids).size).toBe(44);
  });

  it('refuses to resume when an answer-relevant setting changed, and allows a concurrency change', async () => {
    server.reset();
    const project = await makeProject({ server });
    const ctl = new AbortController();
    ctl.abort();
    await runCli(['run', '--no-judge'], { cwd: project, signal: ctl.signal });
    const [runDir] = await runDirs(project);
    const rel = path.relative(project, runDir!);
    const cfgFile = path.join(project, 'config.yaml');
    const original = await readFile(cfgFile, 'utf8');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(cfgFile, original.replace(/temperature: 1/g, 'temperature: 0.5'));
    const refused = await runCli(['run', '--no-judge', '--resume', rel], { cwd: project });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot resume .*temperature.*was 1 .*is now 0\.5/s);
    await writeFile(cfgFile, original.replace(/concurrency: 8/g, 'concurrency: 3'));
    const ok = await runCli(['run', '--no-judge', '--resume', rel], { cwd: project });
    expect(ok.code).toBe(0);
    expect(JSON.parse(await readFile(path.join(runDir!, 'manifest.json'), 'utf8')).notes.join(' ')).toMatch(/do not change answers/);
    const flags = await runCli(['run', '--no-judge', '--resume', rel, '--models', 'gpt-local'], { cwd: project });
    expect(flags.code).toBe(2);
  });
});
