import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { main } from '../src/cli/main.js';
import { type Price, priceUsage } from '../src/config/model-schema.js';
import type { AppContext } from '../src/core/context.js';
import { createLexicalJudgeResponder } from '../src/devtools/demo/judge-responder.js';
import { startLocalServer } from '../src/devtools/local-server/server.js';
import type { UsageRecord } from '../src/records/transcript.js';

/**
 * Issue #14's cost goal: billed judge INPUT cost per transcript at list prices (the shipped
 * config's prices), over one judge pass of the full suite (228 transcripts, one model, one sample),
 * in three modes: plain (a provider without prompt caching: the local server's cache simulation
 * off), cached (static prefix marked and read from the prompt cache), cached + batch. Token
 * counts are the local server's usage reporting, as the SDKs return it; the judge is the `default`
 * definition on each vendor's wire. Goals: cached >= 60% and cached + batch >= 75% below plain.
 */
export interface JudgeCostMode {
  transcripts: number;
  judgeCalls: number;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  batchedInputTokens: number;
  /** USD of judge input per transcript at list prices. */
  inputCostPerTranscript: number;
}

export interface JudgeCostVendor {
  vendor: 'anthropic' | 'openai';
  judgeModel: string;
  price: Price;
  plain: JudgeCostMode;
  cached: JudgeCostMode;
  cachedBatch: JudgeCostMode;
  /** 1 - cost / plain cost. */
  cachedReduction: number;
  cachedBatchReduction: number;
}

const REPO = path.resolve(import.meta.dirname, '..', ...(import.meta.dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []));

const JUDGE_MODELS = { anthropic: 'claude-sonnet-5-5', openai: 'gpt-5.4' } as const;

export async function judgeCostBench(o: { domains?: string[] } = {}): Promise<JudgeCostVendor[]> {
  const server = await startLocalServer({ seed: 3, batchPolls: 1, structuredResponder: createLexicalJudgeResponder() });
  const dir = await mkdtemp(path.join(tmpdir(), 'vs-bench-judge-cost-'));
  try {
    const shipped = parse(await readFile(path.join(REPO, 'config.yaml'), 'utf8')) as { prices: Record<string, Price> };
    await writeProject(dir, server.url, o.domains);
    await cli(['run', '--no-judge', '--samples', '1'], dir);
    const [runId] = await readdir(path.join(dir, 'results'));
    const run = path.join('results', runId!);
    const out: JudgeCostVendor[] = [];
    for (const vendor of ['anthropic', 'openai'] as const) {
      const judgeModel = JUDGE_MODELS[vendor];
      const price = shipped.prices[judgeModel];
      if (!price) throw new Error(`config.yaml has no price for ${judgeModel}`);
      const pass = async (mode: 'plain' | 'cached' | 'batch'): Promise<JudgeCostMode> => {
        server.setOptions({ promptCache: mode !== 'plain' });
        await setJudge(dir, server.url, vendor, judgeModel, mode);
        await cli(['judge', run, '--force'], dir);
        return tally(path.join(dir, run), price);
      };
      const plain = await pass('plain');
      const cached = await pass('cached');
      const cachedBatch = await pass('batch');
      const reduction = (m: JudgeCostMode) => 1 - m.inputCostPerTranscript / plain.inputCostPerTranscript;
      out.push({
        vendor,
        judgeModel,
        price,
        plain,
        cached,
        cachedBatch,
        cachedReduction: reduction(cached),
        cachedBatchReduction: reduction(cachedBatch),
      });
    }
    return out;
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeProject(dir: string, url: string, domains: string[] | undefined): Promise<void> {
  const all = (await readdir(path.join(REPO, 'scenarios'), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const d of domains ?? all) await cp(path.join(REPO, 'scenarios', d), path.join(dir, 'scenarios', d), { recursive: true });
  await cp(path.join(REPO, 'judges'), path.join(dir, 'judges'), { recursive: true });
  const config = {
    suite: ['scenarios'],
    runner: { samples: 1, backoff: { baseMs: 5, maxMs: 50 }, progressIntervalMs: 600_000, batch: { pollMs: 20, gatherMs: 100 } },
    models: [{ id: 'assistant', provider: 'openai', model: 'synthetic-strict', baseURL: `${url}/v1`, temperature: 1, maxTokens: 512 }],
    judge: { judges: ['default'] },
  };
  await writeFile(path.join(dir, 'config.yaml'), stringify(config));
}

/** Points the judge at `vendor`'s wire; a fresh judge cache per pass, so every transcript is really judged. */
async function setJudge(dir: string, url: string, vendor: 'anthropic' | 'openai', model: string, mode: string): Promise<void> {
  const file = path.join(dir, 'config.yaml');
  const config = parse(await readFile(file, 'utf8'));
  config.cacheDir = `cache-${vendor}-${mode}`;
  config.judge = {
    judges: ['default'],
    mode: mode === 'batch' ? 'batch' : 'sync',
    model: { provider: vendor, model, baseURL: vendor === 'anthropic' ? url : `${url}/v1`, concurrency: 8 },
  };
  await writeFile(file, stringify(config));
}

async function tally(runDir: string, price: Price): Promise<JudgeCostMode> {
  const lines = (await readFile(path.join(runDir, 'judgments.jsonl'), 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const m: JudgeCostMode = {
    transcripts: 0,
    judgeCalls: 0,
    inputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    batchedInputTokens: 0,
    inputCostPerTranscript: 0,
  };
  let cost = 0;
  for (const line of lines) {
    const j = JSON.parse(line) as { usage: UsageRecord; raters: unknown[]; error: unknown };
    if (j.error) throw new Error(`a judgment failed: ${JSON.stringify(j.error)}`);
    const u = j.usage;
    m.transcripts++;
    m.judgeCalls += j.raters.length;
    m.inputTokens += u.inputTokens;
    m.cacheReadTokens += u.cachedInputTokens;
    m.cacheWriteTokens += u.cacheWriteInputTokens ?? 0;
    m.batchedInputTokens += u.batched?.inputTokens ?? 0;
    // Input cost only: the same usage with its output tokens left out (the batched part too).
    cost += priceUsage({ ...u, outputTokens: 0, ...(u.batched ? { batched: { ...u.batched, outputTokens: 0 } } : {}) }, price);
  }
  m.inputCostPerTranscript = cost / m.transcripts;
  return m;
}

async function cli(argv: string[], cwd: string): Promise<void> {
  let err = '';
  const ctx: AppContext = {
    cwd,
    env: {},
    stdout: { write: () => true, isTTY: false },
    stderr: {
      write: (s: string) => {
        err += s;
        return true;
      },
      isTTY: false,
    },
    now: () => new Date(),
    fetch: globalThis.fetch,
    signal: new AbortController().signal,
  };
  const code = await main(argv, ctx);
  if (code !== 0) throw new Error(`valuescope ${argv.join(' ')} exited ${code}: ${err.slice(-2000)}`);
}
