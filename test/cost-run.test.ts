import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { openBudget } from '../src/app/run-budget.js';
import { prepareRun } from '../src/app/run-prepare.js';
import { createLexicalJudgeResponder } from '../src/devtools/demo/judge-responder.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import type { Judgment } from '../src/records/judgment.js';
import type { Manifest } from '../src/records/manifest.js';
import type { Transcript } from '../src/records/transcript.js';
import { makeProject, readTranscripts, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

// Prices chosen so one answer costs about a tenth of a cent: a limit of a few cents stops mid-run.
const PRICE = { input: 3, output: 15 };
const JUDGE_PRICE = { input: 1, output: 4 };

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 7, structuredResponder: createLexicalJudgeResponder() });
});
afterAll(() => server.close());

/** One model on the Anthropic wire, one request at a time, so "within one request" is exact. */
async function project(extra: { judge?: Record<string, unknown>; models?: Record<string, unknown>[] } = {}): Promise<string> {
  const dir = await makeProject({ server, runner: { samples: 2 } });
  const config = {
    suite: ['scenarios'],
    runner: { samples: 2, maxAttempts: 3, timeoutMs: 5000, backoff: { baseMs: 5, maxMs: 50 }, progressIntervalMs: 60_000 },
    models: extra.models ?? [
      {
        id: 'claude-local',
        provider: 'anthropic',
        model: 'claude-synthetic',
        baseURL: server.url,
        temperature: 1,
        maxTokens: 200,
        concurrency: 1,
      },
    ],
    prices: { 'claude-synthetic': PRICE, 'synthetic-judge': JUDGE_PRICE },
    ...(extra.judge ? { judge: extra.judge } : {}),
  };
  await writeFile(path.join(dir, 'config.yaml'), stringify(config));
  return dir;
}

const quiet = { write: () => true, isTTY: false };

const JUDGE = { judges: ['default'], model: { provider: 'openai', model: 'synthetic-judge', baseURL: '', concurrency: 2 } };

const costOf = (u: { inputTokens: number; outputTokens: number }, p = PRICE): number =>
  (u.inputTokens * p.input + u.outputTokens * p.output) / 1e6;
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** The most a cell's request may cost, as the budget estimates it by hand: characters / 4 plus framing, and maxTokens out. */
function estimateOf(t: Pick<Transcript, 'request'>): number {
  const chars = (t.request.system?.length ?? 0) + sum(t.request.messages.map((m) => m.content.length));
  const input = Math.ceil(chars / 4) + 4 * t.request.messages.length + (t.request.system ? 4 : 0);
  return (input * PRICE.input + t.request.maxTokens * PRICE.output) / 1e6;
}

async function manifestOf(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

async function judgmentsOf(dir: string): Promise<Judgment[]> {
  const text = await readFile(path.join(dir, 'judgments.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Judgment);
}

describe('manifest.spend and the summaries of a run', () => {
  it('records per model and per judge model the requests, usage and cost, and prints the same figures', async () => {
    server.reset();
    const dir = await project({ judge: { ...JUDGE, model: { ...JUDGE.model, baseURL: `${server.url}/v1` } } });
    const r = await runCli(['run', '--no-report'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const [runDir] = (await runDirs(dir)) as [string];
    const transcripts = await readTranscripts(runDir);
    const judgments = await judgmentsOf(runDir);
    const m = await manifestOf(runDir);
    const modelUsage = {
      inputTokens: sum(transcripts.map((t) => t.response!.usage.inputTokens)),
      outputTokens: sum(transcripts.map((t) => t.response!.usage.outputTokens)),
    };
    expect(m.spend?.models['claude-local']).toMatchObject({ requests: 22, reused: 0, usage: modelUsage });
    expect(m.spend?.models['claude-local']?.costUsd).toBeCloseTo(costOf(modelUsage), 12);
    const judgeUsage = {
      inputTokens: sum(judgments.map((j) => j.usage.inputTokens)),
      outputTokens: sum(judgments.map((j) => j.usage.outputTokens)),
    };
    expect(judgeUsage.inputTokens).toBeGreaterThan(0);
    const judged = m.spend?.judge['openai:synthetic-judge'];
    expect(judged).toMatchObject({ requests: 22, reused: 0, usage: judgeUsage });
    expect(judged?.costUsd).toBeCloseTo(costOf(judgeUsage, JUDGE_PRICE), 12);
    expect(m.spend?.pricedWithConfigHash).toBe(m.configHash);
    // judge-summary.json carries the same judge line.
    const summary = JSON.parse(await readFile(path.join(runDir, 'judge-summary.json'), 'utf8'));
    expect(summary.spend.judge['openai:synthetic-judge']).toEqual(judged);
    // The progress rows, the judge summary and the spend line print the same figures.
    expect(r.stdout).toContain(
      `claude-local: 22/22 done, 0 errors, ${modelUsage.inputTokens + modelUsage.outputTokens} tokens, $${costOf(modelUsage).toFixed(2)}, done`,
    );
    // The judge's system prompt is a cached prefix: the server reports cache reads after the first call.
    const read = sum(judgments.map((j) => j.usage.cachedInputTokens ?? 0));
    const split = read > 0 ? ` (plain ${judgeUsage.inputTokens - read}, cache read ${read})` : '';
    expect(r.stdout).toContain(
      `judge default@1: 22 judged, 0 judge errors, ${judgeUsage.inputTokens + judgeUsage.outputTokens} tokens${split}, $`,
    );
    const usd = (x: number) => `$${x.toFixed(4)}`;
    const total = costOf(modelUsage) + costOf(judgeUsage, JUDGE_PRICE);
    expect(r.stdout).toContain(
      `spend (whole run, at the config's prices; cached and reused answers $0): models ${usd(costOf(modelUsage))}, judge ${usd(costOf(judgeUsage, JUDGE_PRICE))}, total ${usd(total)}`,
    );
    expect(r.stdout).toContain(
      `judge tokens: ${judgeUsage.inputTokens} in${split}, ${judgeUsage.outputTokens} out; cost ${usd(costOf(judgeUsage, JUDGE_PRICE))}`,
    );

    // `valuescope judge` on the same run writes the judge's spend into judge-summary.json too; every cell is
    // judged already, so it sends nothing and the figures stay.
    const before = server.stats().requests;
    const j = await runCli(['judge', runDir], { cwd: dir });
    expect(j.code, j.stderr).toBe(0);
    expect(server.stats().requests).toBe(before);
    const again = JSON.parse(await readFile(path.join(runDir, 'judge-summary.json'), 'utf8'));
    expect(again.spend).toEqual({ judge: { 'openai:synthetic-judge': judged }, pricedWithConfigHash: m.configHash });

    // A resumed run's budget starts from what the run spent, recomputed from its files.
    const ctx = { cwd: dir, env: {}, stdout: quiet, stderr: quiet, now: () => new Date(), fetch, signal: new AbortController().signal };
    const opts = { resume: runDir, cache: true, dryRun: false, judge: false, maxCost: 1 };
    const p = await prepareRun(opts, ctx);
    try {
      const budget = await openBudget(p, opts);
      expect(budget.spent()).toEqual({
        models: expect.closeTo(costOf(modelUsage), 12),
        judge: expect.closeTo(costOf(judgeUsage, JUDGE_PRICE), 12),
        total: expect.closeTo(total, 12),
      });
      expect(budget.limitUsd).toBe(1);
    } finally {
      await p.resumed?.store.close();
    }
  }, 60_000);
});

describe('--max-cost', () => {
  it('refuses before anything is written when a model it would pay for has no price', async () => {
    server.reset();
    const dir = await project({
      models: [
        { id: 'claude-local', provider: 'anthropic', model: 'claude-synthetic', baseURL: server.url, maxTokens: 200 },
        { id: 'gpt-local', provider: 'openai', model: 'gpt-synthetic', baseURL: `${server.url}/v1`, maxTokens: 200 },
      ],
    });
    const r = await runCli(['run', '--no-judge', '--max-cost', '1'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--max-cost needs a price for every model the run pays for: add `gpt-synthetic` \(model gpt-local\) under `prices:`/,
    );
    expect(server.stats().requests).toBe(0);
    expect(await runDirs(dir)).toEqual([]);
  });

  it('stops within one request of the limit, writes no unsent cell, exits 3, and --resume with a larger limit finishes each cell once', async () => {
    server.reset();
    const dir = await project();
    const limit = 0.02;
    const r = await runCli(['run', '--no-judge', '--max-cost', String(limit)], { cwd: dir });
    expect(r.code).toBe(3);
    const [runDir] = (await runDirs(dir)) as [string];
    const first = await readTranscripts(runDir);
    const spent = sum(first.map((t) => costOf(t.response!.usage)));
    // Every HTTP request the server saw is a written cell: a refused attempt sends nothing and writes nothing.
    expect(server.stats().requests).toBe(first.length);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(22);
    expect(spent).toBeLessThanOrEqual(limit);
    const notSent = 22 - first.length;
    const m = await manifestOf(runDir);
    expect(m.status).toBe('interrupted');
    expect(m.spend?.models['claude-local']?.costUsd).toBeCloseTo(spent, 12);
    const rel = path.relative(dir, runDir);
    expect(r.stderr).toContain(
      `stopped by --max-cost: spent $${spent.toFixed(4)} of $${limit.toFixed(4)} (models $${spent.toFixed(4)}, judge $0.00); ${notSent} cells not sent; continue with valuescope run --resume ${rel} --max-cost USD`,
    );

    // The limit is for the whole run: resuming under the same one sends nothing more.
    const same = await runCli(['run', '--resume', runDir, '--no-judge', '--max-cost', String(limit)], { cwd: dir });
    expect(same.code).toBe(3);
    expect(server.stats().requests).toBe(first.length);
    expect(await readTranscripts(runDir)).toHaveLength(first.length);

    const done = await runCli(['run', '--resume', runDir, '--no-judge', '--max-cost', '1'], { cwd: dir });
    expect(done.code, done.stderr).toBe(0);
    const all = await readTranscripts(runDir);
    expect(all).toHaveLength(22);
    expect(new Set(all.map((t) => t.cellId)).size).toBe(22);
    expect(server.stats().requests).toBe(22);
    // One request at a time: the run stopped because the next cell's estimate did not fit, so it spent
    // more than the limit less the largest estimate of a cell it did not send.
    const sentFirst = new Set(first.map((t) => t.cellId));
    const largest = Math.max(...all.filter((t) => !sentFirst.has(t.cellId)).map(estimateOf));
    expect(spent).toBeGreaterThan(limit - largest);
    const final = await manifestOf(runDir);
    expect(final.status).toBe('completed');
    expect(final.spend?.models['claude-local']).toMatchObject({ requests: 22, reused: 0 });
    expect(final.spend?.models['claude-local']?.costUsd).toBeCloseTo(sum(all.map((t) => costOf(t.response!.usage))), 12);
  }, 60_000);

  it('charges the pipelined judge to the same budget, and a resume judges every cell once', async () => {
    server.reset();
    const dir = await project({ judge: { ...JUDGE, model: { ...JUDGE.model, baseURL: `${server.url}/v1` } } });
    const limit = 0.03;
    const r = await runCli(['run', '--no-report', '--max-cost', String(limit)], { cwd: dir });
    expect(r.code).toBe(3);
    const [runDir] = (await runDirs(dir)) as [string];
    const cells = await readTranscripts(runDir);
    const judgments = await judgmentsOf(runDir);
    const spent = sum(cells.map((t) => costOf(t.response!.usage))) + sum(judgments.map((j) => costOf(j.usage, JUDGE_PRICE)));
    expect(spent).toBeLessThanOrEqual(limit);
    expect(cells.length).toBeLessThan(22);
    expect(r.stderr).toMatch(
      /stopped by --max-cost: spent \$0\.0\d+ of \$0\.0300 \(models \$0\.0\d+, judge \$0\.00\d+\); \d+ cells not sent/,
    );

    const done = await runCli(['run', '--resume', runDir, '--no-report', '--max-cost', '1'], { cwd: dir });
    expect(done.code, done.stderr).toBe(0);
    const all = await readTranscripts(runDir);
    expect(new Set(all.map((t) => t.cellId)).size).toBe(22);
    const judged = (await judgmentsOf(runDir)).filter((j) => j.error === null);
    expect(judged).toHaveLength(22);
    expect(new Set(judged.map((j) => j.cellId)).size).toBe(22);
  }, 60_000);
});
