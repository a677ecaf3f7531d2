import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { makeProject, REPO_ROOT, readTranscripts, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 3 });
});
afterAll(async () => {
  await server.close();
});

describe('run --scenarios with a custom pack', () => {
  it('a folder replaces the config suite for that run, is recorded, and resume reloads it', async () => {
    const project = await makeProject({ server, domains: ['moral-philosophy'], runner: { samples: 1 } });
    await cp(path.join(REPO_ROOT, 'scenarios', 'workplace'), path.join(project, 'packs', 'acme', 'workplace'), { recursive: true });
    const r = await runCli(['run', '--scenarios', 'packs/acme', '--models', 'gpt-local', '--no-judge'], { cwd: project });
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.code).toBe(0);
    const [dir] = await runDirs(project);
    const ts = await readTranscripts(dir!);
    expect(new Set(ts.map((t) => t.domain))).toEqual(new Set(['workplace']));
    const manifest = JSON.parse(await readFile(path.join(dir!, 'manifest.json'), 'utf8')) as { suitePaths?: string[] };
    expect(manifest.suitePaths).toEqual([path.join(project, 'packs', 'acme')]);
    const again = await runCli(['run', '--resume', dir!, '--no-judge'], { cwd: project });
    expect(again.code).toBe(0);
    expect((await readTranscripts(dir!)).length).toBe(ts.length);
  });

  it('any other value is a glob filter over the config suite', async () => {
    const project = await makeProject({ server, domains: ['moral-philosophy', 'workplace'], runner: { samples: 1 } });
    const r = await runCli(['run', '--scenarios', 'work-*', '--models', 'gpt-local', '--no-judge'], { cwd: project });
    expect(r.code).toBe(0);
    const [dir] = await runDirs(project);
    const ts = await readTranscripts(dir!);
    expect(ts.length).toBeGreaterThan(0);
    expect(ts.every((t) => t.scenarioId.startsWith('work-'))).toBe(true);
  });
});
