import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/app/run-command.js';
import { StorageError } from '../src/core/errors.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { makeProject, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 13 });
});
afterAll(() => server.close());

const ctxOf = (cwd: string) => ({
  cwd,
  env: {},
  stdout: { write: () => true },
  stderr: { write: () => true },
  now: () => new Date(),
  fetch: globalThis.fetch,
  signal: new AbortController().signal,
});

describe('the last writes of a run and a re-judge are checked, not swallowed', () => {
  it('a final manifest that cannot be written is an error (exit 2 with the fix), not a silent "completed"', async () => {
    const project = await makeProject({ server, runner: { samples: 1 } });
    let seen = 0;
    const run = runCommand(
      {
        config: path.join(project, 'config.yaml'),
        cache: false,
        dryRun: false,
        judge: false,
        // After the last transcript: a directory where manifest.json must be renamed to.
        hooks: async ({ dir }) => ({
          onTranscript: () => {
            if (++seen < 22) return;
            rmSync(path.join(dir, 'manifest.json'));
            mkdirSync(path.join(dir, 'manifest.json', 'in-the-way'), { recursive: true });
          },
          finish: async () => ({ incomplete: false }),
        }),
      },
      ctxOf(project),
    );
    const err = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StorageError);
    expect((err as Error).message).toMatch(/cannot write \S*manifest\.json .*then resume the run/);
  });

  it('judge --force reads its whole input before moving earlier judgments aside', async () => {
    const project = await makeProject({ server, runner: { samples: 1 } });
    writeFileSync(
      path.join(project, 'config.yaml'),
      `${readFileSync(path.join(project, 'config.yaml'), 'utf8')}judge:\n  judges: [lexical]\n`,
    );
    expect((await runCli(['run'], { cwd: project })).code).toBe(0);
    const [runDir] = await runDirs(project);
    const judgments = readFileSync(path.join(runDir!, 'judgments.jsonl'));
    const file = path.join(runDir!, 'transcripts.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(3, 0, 'not json at all');
    writeFileSync(file, lines.join('\n'));
    const r = await runCli(['judge', runDir!, '--force'], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('transcripts.jsonl:4');
    expect(readFileSync(path.join(runDir!, 'judgments.jsonl')).equals(judgments)).toBe(true);
    expect(readdirSync(runDir!).filter((f) => /^judgments\..+\.jsonl$/.test(f))).toEqual([]);
  });
});
