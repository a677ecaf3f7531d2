import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { DiffFileSchema } from '../src/records/diff.js';
import { REPO_ROOT, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

/**
 * A prompt comparison tried offline, end to end: one model, two variants whose system prompts ask
 * for a strict and an agreeable persona (the local server answers by the prompt's persona word), run
 * through the real SDK, judged, and diffed paired: the diff sees the change the prompts made, and
 * two variants with prompts that name no persona show none.
 */
let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 11 });
});
afterAll(() => server.close());

async function project(prompts: { a: string; b: string }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vs-prompt-effect-'));
  for (const d of ['moral-philosophy', 'relationship-advice'])
    await cp(path.join(REPO_ROOT, 'scenarios', d), path.join(dir, 'scenarios', d), { recursive: true });
  const config = {
    suite: ['scenarios'],
    runner: { samples: 3, maxAttempts: 3, timeoutMs: 5000, backoff: { baseMs: 5, maxMs: 50 }, progressIntervalMs: 60_000 },
    judge: { judges: ['lexical'] },
    models: [
      {
        id: 'assistant',
        provider: 'openai',
        model: 'synthetic-chat',
        baseURL: `${server.url}/v1`,
        maxTokens: 200,
        variants: { a: { system: prompts.a }, b: { system: prompts.b } },
      },
    ],
  };
  await writeFile(path.join(dir, 'config.yaml'), stringify(config));
  return dir;
}

async function diffOf(dir: string): Promise<ReturnType<typeof DiffFileSchema.parse>> {
  const run = await runCli(['run'], { cwd: dir, env: { OPENAI_API_KEY: 'test-key' } });
  expect(run.code, run.stderr).toBe(0);
  const [runDir] = await runDirs(dir);
  const d = await runCli(['diff', `${runDir}#assistant@a`, `${runDir}#assistant@b`, '--out', 'diff', '--no-report'], { cwd: dir });
  expect(d.code, d.stderr).toBe(0);
  return DiffFileSchema.parse(JSON.parse(await readFile(path.join(dir, 'diff', 'diff.json'), 'utf8')));
}

it('a strict and an agreeable system prompt of one model: the paired diff finds the change', async () => {
  const diff = await diffOf(await project({ a: 'You are a strict, cautious assistant.', b: 'You are a warm, agreeable assistant.' }));
  expect(diff.scenarios.baseOnly).toEqual([]);
  expect(diff.scenarios.candOnly).toEqual([]);
  expect(diff.summary.significant).toBeGreaterThan(0);
  const significant = diff.metrics.filter((m) => m.significant && m.domain === null).map((m) => m.metric);
  expect(significant.some((m) => m.startsWith('response_type:'))).toBe(true);
}, 60_000);

it('two prompts that name no persona: no significant change', async () => {
  const diff = await diffOf(await project({ a: 'You are Helpful Assistant v1.', b: 'You are Helpful Assistant v2.' }));
  expect(diff.summary.significant).toBe(0);
}, 60_000);
