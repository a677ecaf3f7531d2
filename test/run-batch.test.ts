import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { allDomains, makeProject, readJsonLines, readTranscripts, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 5, batchPolls: 1 });
});
afterAll(() => server.close());

const BATCH_RUNNER = { batch: { pollMs: 20, gatherMs: 50 }, backoff: { baseMs: 5, maxMs: 20 } };

async function onlyRun(project: string): Promise<string> {
  const [dir] = await runDirs(project);
  return dir!;
}

/** Largest number of times the server saw one request (model, conversation, sample) in a batch. */
function maxSubmissions(): number {
  return Math.max(0, ...Object.values(server.stats().batchItemsByRequest));
}

describe('run --batch against the local server (both SDKs, both batch APIs)', () => {
  it('the full suite for one Anthropic and one OpenAI model: every cell exactly once, each request submitted once', async () => {
    server.reset();
    const project = await makeProject({ server, domains: await allDomains(), runner: BATCH_RUNNER });
    const r = await runCli(['run', '--batch', '--no-judge', '--samples', '1'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    const dir = await onlyRun(project);
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    const scenarios = Object.keys(manifest.scenarios).length;
    expect(scenarios).toBe(228);
    const transcripts = await readTranscripts(dir);
    expect(transcripts).toHaveLength(2 * scenarios);
    expect(new Set(transcripts.map((t) => t.cellId)).size).toBe(2 * scenarios);
    expect(transcripts.every((t) => t.error === null && t.attempts === 1)).toBe(true);
    // Every answer says it went through a batch: the cost applies the batch discount to exactly these tokens.
    for (const t of transcripts) expect(t.response!.usage.batched?.inputTokens).toBe(t.response!.usage.inputTokens);
    expect(manifest.mode).toBe('batch');
    const stats = server.stats();
    expect(stats.batchItems).toBe(2 * scenarios);
    expect(maxSubmissions()).toBe(1);
    // No single request was sent: batch mode used the batch endpoints only.
    expect(stats.byPath['/v1/messages'] ?? 0).toBe(0);
    expect(stats.byPath['/v1/chat/completions'] ?? 0).toBe(0);
    const journal = await readJsonLines(path.join(dir, 'batches.jsonl'));
    const submitted = journal.filter((l) => l.kind === 'submitted');
    expect(submitted.length).toBe(stats.batchesCreated);
    expect(journal.filter((l) => l.kind === 'planned').length).toBe(submitted.length);
    expect(r.stderr).toMatch(/batch \S+ \(claude-local\): submitted \d+ requests/);
    expect(r.stderr).toMatch(/batch \S+ \(gpt-local\): ended, \d+\/\d+ done/);
  }, 60_000);

  it('the same answers as the run without --batch (same requests, same samples)', async () => {
    server.reset();
    const project = await makeProject({ server, domains: ['workplace'], runner: BATCH_RUNNER });
    expect((await runCli(['run', '--batch', '--no-judge'], { cwd: project })).code).toBe(0);
    expect((await runCli(['run', '--no-judge'], { cwd: project })).code).toBe(0);
    const [a, b] = await runDirs(project);
    const text = async (d: string) => new Map((await readTranscripts(d)).map((t) => [t.cellId, t.response?.text]));
    const [ta, tb] = [await text(a!), await text(b!)];
    expect(ta.size).toBeGreaterThan(20);
    expect([...ta].every(([id, t]) => tb.get(id) === t)).toBe(true);
  }, 60_000);

  it('10% errored items are retried in later batches and accounted for in attempts', async () => {
    server.setOptions({ batchItemErrorRate: 0.1, seed: 9 });
    server.reset();
    try {
      const project = await makeProject({ server, domains: ['workplace', 'moral-philosophy', 'sycophancy-probes'], runner: BATCH_RUNNER });
      const r = await runCli(['run', '--batch', '--no-judge'], { cwd: project });
      expect(r.code, r.stderr).toBe(0);
      const transcripts = await readTranscripts(await onlyRun(project));
      const cells = transcripts.length;
      expect(new Set(transcripts.map((t) => t.cellId)).size).toBe(cells);
      expect(transcripts.every((t) => t.error === null)).toBe(true);
      const stats = server.stats();
      const errored = stats.batchItemOutcomes.errored;
      expect(errored / stats.batchItems).toBeGreaterThan(0.05);
      expect(errored / stats.batchItems).toBeLessThan(0.16);
      // Each errored item cost its cell one more attempt, in a later batch.
      const extraAttempts = transcripts.reduce((a, t) => a + t.attempts - 1, 0);
      expect(extraAttempts).toBe(errored);
      expect(stats.batchItems).toBe(cells + errored);
      expect(stats.batchesCreated).toBeGreaterThan(2);
    } finally {
      server.setOptions({ batchItemErrorRate: 0 });
    }
  }, 60_000);

  it('items errored on every attempt end as errors with their cause, after the attempt limit', async () => {
    server.setOptions({ batchItemErrorRate: 1 });
    server.reset();
    try {
      const project = await makeProject({ server, runner: { ...BATCH_RUNNER, maxAttempts: 2 } });
      const r = await runCli(['run', '--batch', '--no-judge', '--samples', '1', '--models', 'gpt-local'], { cwd: project });
      expect(r.code).toBe(3);
      const transcripts = await readTranscripts(await onlyRun(project));
      expect(transcripts.length).toBeGreaterThan(5);
      for (const t of transcripts) {
        expect(t.attempts).toBe(2);
        expect(t.error?.kind).toBe('batch_errored');
      }
      // --retry-errors asks again in a new batch: the ended batch that failed is not read back.
      server.setOptions({ batchItemErrorRate: 0 });
      const created = server.stats().batchesCreated;
      const again = await runCli(['run', '--resume', await onlyRun(project), '--retry-errors', '--no-judge'], { cwd: project });
      expect(again.code, again.stderr).toBe(0);
      expect(server.stats().batchesCreated).toBeGreaterThan(created);
      const after = await readTranscripts(await onlyRun(project));
      const retried = after.filter((t) => t.error === null);
      expect(retried).toHaveLength(transcripts.length);
      // Answered at the first attempt: no attempt was spent reading the old batch's errors back.
      expect(retried.every((t) => t.attempts === 1)).toBe(true);
    } finally {
      server.setOptions({ batchItemErrorRate: 0 });
    }
  }, 60_000);

  it('batch mode refuses a provider without a batch API before writing anything', async () => {
    const source = await makeProject({ server });
    expect((await runCli(['run', '--no-judge', '--samples', '1'], { cwd: source })).code).toBe(0);
    const project = await makeProject({
      server,
      models: [{ id: 'r', provider: 'replay', model: 'x', replayFrom: await onlyRun(source), replayModelId: 'gpt-local' }],
    });
    const r = await runCli(['run', '--batch', '--no-judge'], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/models\[r\]\.provider.*batch API/);
    expect(await readdir(path.join(project, 'results')).catch(() => [])).toEqual([]);
  });
});
