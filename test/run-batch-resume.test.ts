import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { spawnValuescope } from '../bench/drills/drill-env.js';
import { createLexicalJudgeResponder } from '../src/devtools/demo/judge-responder.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { makeProject, REPO_ROOT, readJsonLines, readTranscripts, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 6, batchPolls: 1, structuredResponder: createLexicalJudgeResponder() });
});
afterAll(() => server.close());

const BATCH_RUNNER = { batch: { pollMs: 20, gatherMs: 50 }, backoff: { baseMs: 5, maxMs: 20 } };

function maxSubmissions(): number {
  return Math.max(0, ...Object.values(server.stats().batchItemsByRequest));
}

/** The `default` judge definition pointed at the local server (OpenAI wire), in the given mode. */
async function useLlmJudge(project: string, mode: 'sync' | 'batch'): Promise<void> {
  await cp(path.join(REPO_ROOT, 'judges'), path.join(project, 'judges'), { recursive: true });
  const file = path.join(project, 'config.yaml');
  const config = parse(await readFile(file, 'utf8'));
  config.judge = { judges: ['default'], mode, model: { provider: 'openai', model: 'synthetic-judge', baseURL: `${server.url}/v1` } };
  await writeFile(file, stringify(config));
}

describe('batch mode survives kill -9 and resumes without submitting any cell twice', () => {
  it('kill -9 while the batches are polled, then --resume reattaches to them', async () => {
    server.setOptions({ batchPolls: 1_000_000 });
    server.reset();
    const project = await makeProject({ server, domains: ['workplace', 'relationship-advice'], runner: BATCH_RUNNER });
    const submittedLines = async (): Promise<number> => {
      const [dir] = await runDirs(project);
      if (!dir) return 0;
      const lines = await readJsonLines(path.join(dir, 'batches.jsonl')).catch(() => []);
      return lines.filter((l) => l.kind === 'submitted').length;
    };
    const child = await spawnValuescope(REPO_ROOT, ['run', '--batch', '--no-judge'], {
      cwd: project,
      killAfterMs: 100,
      armKill: async () => (await submittedLines()) === 2,
    });
    expect(child.killed, child.stderr).toBe(true);
    const created = server.stats().batchesCreated;
    expect(created).toBe(2);
    const [dir] = await runDirs(project);
    expect(await readTranscripts(dir!).catch(() => [])).toHaveLength(0);
    server.setOptions({ batchPolls: 1 });
    const r = await runCli(['run', '--resume', dir!], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/reattached, \d+ requests/);
    const transcripts = await readTranscripts(dir!);
    const manifest = JSON.parse(await readFile(path.join(dir!, 'manifest.json'), 'utf8'));
    expect(transcripts).toHaveLength(manifest.counts.planned);
    expect(new Set(transcripts.map((t) => t.cellId)).size).toBe(manifest.counts.planned);
    // The server's counters prove it: no new batch, and no request submitted twice.
    expect(server.stats().batchesCreated).toBe(created);
    expect(maxSubmissions()).toBe(1);
  }, 90_000);

  it('judge batches follow the model batches (pipelined): every cell judged once, batched and prompt-cached', async () => {
    server.setOptions({ batchPolls: 1 });
    server.reset();
    const project = await makeProject({ server, domains: ['workplace'], runner: BATCH_RUNNER });
    await useLlmJudge(project, 'sync');
    const r = await runCli(['run', '--batch', '--no-report'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    const [dir] = await runDirs(project);
    const transcripts = await readTranscripts(dir!);
    const judgments = await readJsonLines(path.join(dir!, 'judgments.jsonl'));
    expect(judgments).toHaveLength(transcripts.length);
    expect(judgments.every((j) => j.error === null)).toBe(true);
    const judgeJournal = await readJsonLines(path.join(dir!, 'judge-batches.jsonl'));
    expect(judgeJournal.some((l) => l.kind === 'submitted')).toBe(true);
    // Judge usage says it was batched (and the static prompt prefix was read from the cache after the first call).
    const usages = judgments.map((j) => j.usage as { inputTokens: number; cachedInputTokens: number; batched?: { inputTokens: number } });
    expect(usages.every((u) => u.batched?.inputTokens === u.inputTokens)).toBe(true);
    expect(usages.filter((u) => u.cachedInputTokens > 0).length).toBeGreaterThan(usages.length / 2);
    expect(r.stderr).toMatch(/batch \S+ \(judge judge-default\): submitted/);
    expect(maxSubmissions()).toBe(1);
  }, 90_000);

  it('kill -9 while judge batches are polled, then `valuescope judge` reattaches: every cell judged once, no new batch', async () => {
    server.setOptions({ batchPolls: 1 });
    server.reset();
    const project = await makeProject({ server, domains: ['workplace'], runner: BATCH_RUNNER });
    expect((await runCli(['run', '--no-judge'], { cwd: project })).code).toBe(0);
    await useLlmJudge(project, 'batch');
    const [dir] = await runDirs(project);
    server.setOptions({ batchPolls: 1_000_000 });
    const before = server.stats().batchesCreated;
    const child = await spawnValuescope(REPO_ROOT, ['judge', dir!], {
      cwd: project,
      killAfterMs: 100,
      armKill: async () => {
        const lines = await readJsonLines(path.join(dir!, 'judge-batches.jsonl')).catch(() => []);
        return lines.some((l) => l.kind === 'submitted');
      },
    });
    expect(child.killed, child.stderr).toBe(true);
    const created = server.stats().batchesCreated;
    expect(created).toBe(before + 1);
    server.setOptions({ batchPolls: 1 });
    // The config no longer asks for batch mode: the judge keeps batching because its journal holds batches.
    await useLlmJudge(project, 'sync');
    const singleRequests = server.stats().requests;
    const r = await runCli(['judge', dir!], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/judging in batch mode: this run's judge has batches in flight/);
    expect(r.stderr).toMatch(/reattached/);
    const transcripts = await readTranscripts(dir!);
    const judgments = await readJsonLines(path.join(dir!, 'judgments.jsonl'));
    expect(judgments).toHaveLength(transcripts.length);
    expect(new Set(judgments.map((j) => j.cellId)).size).toBe(transcripts.length);
    expect(server.stats().batchesCreated).toBe(created);
    expect(server.stats().requests).toBe(singleRequests);
  }, 90_000);

  it('a judgment that failed in a batch is asked again in a new batch by the next `judge`, not read back from the old one', async () => {
    server.setOptions({ batchPolls: 1 });
    server.reset();
    const project = await makeProject({ server, domains: ['workplace'], runner: { ...BATCH_RUNNER, maxAttempts: 1 } });
    expect((await runCli(['run', '--no-judge'], { cwd: project })).code).toBe(0);
    await useLlmJudge(project, 'batch');
    const [dir] = await runDirs(project);
    server.setOptions({ batchItemErrorRate: 1 });
    try {
      const failed = await runCli(['judge', dir!], { cwd: project });
      expect(failed.code, failed.stderr).toBe(3);
    } finally {
      server.setOptions({ batchItemErrorRate: 0 });
    }
    const before = server.stats().batchesCreated;
    const r = await runCli(['judge', dir!], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    expect(server.stats().batchesCreated).toBe(before + 1);
    const judgments = await readJsonLines(path.join(dir!, 'judgments.jsonl'));
    const transcripts = await readTranscripts(dir!);
    expect(judgments.filter((j) => j.error === null)).toHaveLength(transcripts.length);
  }, 90_000);

  it('the run keeps its lock while the pipelined judge drains: a second writer is refused until the run is done', async () => {
    server.setOptions({ batchPolls: 1_000_000 });
    server.reset();
    const project = await makeProject({ server, domains: ['workplace'], runner: BATCH_RUNNER });
    await useLlmJudge(project, 'batch');
    const first = runCli(['run', '--no-report'], { cwd: project });
    // The models answer at once (sync); the judge's batches do not end: the run waits in its drain.
    let dir: string | undefined;
    for (let i = 0; i < 2000; i++) {
      await new Promise((r) => setTimeout(r, 10));
      dir = (await runDirs(project))[0];
      const manifest = dir ? await readFile(path.join(dir, 'manifest.json'), 'utf8').catch(() => '') : '';
      if (/"status": "completed"/.test(manifest)) break;
    }
    const second = await runCli(['judge', dir!], { cwd: project });
    expect(second.code, second.stderr).toBe(2);
    expect(second.stderr).toMatch(/is being written by `valuescope run`/);
    server.setOptions({ batchPolls: 1 });
    const r = await first;
    expect(r.code, r.stderr).toBe(0);
    const judgments = await readJsonLines(path.join(dir!, 'judgments.jsonl'));
    expect(judgments).toHaveLength((await readTranscripts(dir!)).length);
  }, 90_000);

  it('judge --force that fails to start (a judge name typo) leaves the judge journal in place', async () => {
    server.setOptions({ batchPolls: 1 });
    server.reset();
    const project = await makeProject({ server, domains: ['workplace'], runner: BATCH_RUNNER });
    expect((await runCli(['run', '--no-judge'], { cwd: project })).code).toBe(0);
    await useLlmJudge(project, 'batch');
    const [dir] = await runDirs(project);
    const journal = path.join(dir!, 'judge-batches.jsonl');
    const line = {
      v: 1,
      kind: 'planned',
      tag: 'vskeep000001',
      modelId: 'x',
      provider: 'openai',
      model: 'm',
      at: new Date().toISOString(),
      items: [],
    };
    await writeFile(journal, `${JSON.stringify(line)}\n`);
    const r = await runCli(['judge', dir!, '--force', '--judge', 'defualt'], { cwd: project });
    expect(r.code).toBe(2);
    expect(await readFile(journal, 'utf8')).toBe(`${JSON.stringify(line)}\n`);
  }, 60_000);

  it('a run that fails (its disk full) stops its pipelined judge before it releases the lock, and exits', async () => {
    // Answers take 400 ms, so the judge's first batch (gathered for 50 ms) is journaled well before the
    // transcripts reach the 64 KiB limit (several waves of answers); before, one wave could fill it first.
    server.setOptions({ batchPolls: 1_000_000, latencyMs: 400 });
    server.reset();
    try {
      const project = await makeProject({ server, domains: ['workplace', 'relationship-advice'], runner: BATCH_RUNNER });
      await useLlmJudge(project, 'batch');
      // transcripts.jsonl may not grow past 64 KiB: appending fails with EFBIG while judge batches are in flight.
      const cmd = `ulimit -f 64; exec "${process.execPath}" "${path.join(REPO_ROOT, 'bin', 'valuescope.js')}" run --no-report`;
      const child = spawn('bash', ['-c', cmd], {
        cwd: project,
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(null);
        }, 30_000);
        child.on('close', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      expect(code, stderr).not.toBeNull();
      expect(code).not.toBe(0);
      const [dir] = await runDirs(project);
      expect(existsSync(path.join(dir!, '.lock'))).toBe(false);
      // The judge batches stay journaled for the next process.
      const journal = await readJsonLines(path.join(dir!, 'judge-batches.jsonl'));
      expect(
        journal.some((l) => l.kind === 'submitted'),
        `${stderr}\n${JSON.stringify(journal)}`,
      ).toBe(true);
    } finally {
      server.setOptions({ batchPolls: 1, latencyMs: 0 });
    }
  }, 60_000);
});
