import { z } from 'zod';
import { readJsonl } from '../util/jsonl.js';
import { entry } from '../util/map-entry.js';
import { runFile } from './run-files.js';
import { type UsageRecord, UsageSchema } from './transcript.js';

/**
 * What a part of a run (one model, or the judge) spent: its tokens split as the providers bill them
 * (plain, cache reads, cache writes, and the batched part of each) and the cost at the config's
 * prices. Requests answered from a cache or reused from another run are counted apart and cost $0.
 */
const SpendLineSchema = z.object({
  /**
   * Calls that reached the provider. Models: the attempts of every cell not answered from a cache
   * (retries included). Judge: one per rater call (a repair turn or a retry is not counted apart).
   */
  requests: z.number().int().nonnegative(),
  /** Cells (or judge calls) answered without a request: response cache, judge cache, --reuse-from. */
  reused: z.number().int().nonnegative(),
  usage: UsageSchema,
  /** USD at the config's prices; null when the config has no price for the model. */
  costUsd: z.number().nonnegative().nullable(),
});
export type SpendLine = z.infer<typeof SpendLineSchema>;

export const SpendSchema = z.object({
  /** Keyed by model id. */
  models: z.record(z.string(), SpendLineSchema),
  /** Keyed by the judge's provider:model (several called models joined with '+'). */
  judge: z.record(z.string(), SpendLineSchema).default({}),
  /** Config prices are the user's to keep current; this says which config priced the figures. */
  pricedWithConfigHash: z.string(),
});
export type Spend = z.infer<typeof SpendSchema>;

export type { UsageRecord };

/** Token counts as any layer holds them (provider results, records, sums): optional fields may be absent or undefined. */
interface CountsLike {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number | undefined;
  cacheWriteInputTokens?: number | undefined;
}
export interface UsageLike extends CountsLike {
  batched?: CountsLike | undefined;
}

export const NO_USAGE: UsageRecord = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };

function addCounts(a: CountsLike, b: CountsLike): Omit<UsageRecord, 'batched'> {
  const write = (a.cacheWriteInputTokens ?? 0) + (b.cacheWriteInputTokens ?? 0);
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: (a.cachedInputTokens ?? 0) + (b.cachedInputTokens ?? 0),
    // Absent rather than 0, as in records written before cache writes were counted.
    ...(write > 0 ? { cacheWriteInputTokens: write } : {}),
  };
}

/** Sum of two usages, cache writes and the batched part included (what a record can hold). */
export function addUsage(a: UsageLike, b: UsageLike): UsageRecord {
  const sum = addCounts(a, b);
  if (!a.batched && !b.batched) return sum;
  return { ...sum, batched: addCounts(a.batched ?? NO_USAGE, b.batched ?? NO_USAGE) };
}

/**
 * The billing split of a usage: input tokens at the plain price, read from and written to the
 * prompt cache, output, and how many of all of them went through a batch API.
 */
function usageSplit(u: UsageLike): { plain: number; cacheRead: number; cacheWrite: number; output: number; batched: number } {
  const cacheRead = u.cachedInputTokens ?? 0;
  const cacheWrite = u.cacheWriteInputTokens ?? 0;
  const b = u.batched;
  return {
    plain: u.inputTokens - cacheRead - cacheWrite,
    cacheRead,
    cacheWrite,
    output: u.outputTokens,
    batched: b ? b.inputTokens + b.outputTokens : 0,
  };
}

/** "plain 1,000, cache read 200, batched 700": the non-zero parts beyond plain input; "" when there are none. */
export function splitText(u: UsageLike, fmt: (n: number) => string = String): string {
  const s = usageSplit(u);
  if (s.cacheRead + s.cacheWrite + s.batched === 0) return '';
  const parts = [`plain ${fmt(s.plain)}`];
  if (s.cacheRead > 0) parts.push(`cache read ${fmt(s.cacheRead)}`);
  if (s.cacheWrite > 0) parts.push(`cache write ${fmt(s.cacheWrite)}`);
  if (s.batched > 0) parts.push(`batched ${fmt(s.batched)}`);
  return parts.join(', ');
}

/** Spend of one part before pricing. */
interface SpendTally {
  requests: number;
  reused: number;
  usage: UsageRecord;
}

/** A run's spend read back from its files, unpriced: per model id (with its wire name) and per judge key. */
export interface RunSpendTally {
  models: Map<string, SpendTally & { model: string }>;
  judge: Map<string, SpendTally & { models: string[] }>;
}

// Only the fields spend needs: validating whole records would double the cost of reading a large run.
const TranscriptSpendSchema = z.object({
  modelId: z.string(),
  model: z.string(),
  attempts: z.number(),
  cached: z.boolean(),
  response: z.object({ usage: UsageSchema }).nullable(),
});
const JudgmentSpendSchema = z.object({
  judgeModels: z.array(z.string()),
  raters: z.array(z.unknown()),
  usage: UsageSchema,
  error: z.object({ kind: z.string() }).nullable(),
});

const lenient = { skipInvalid: () => undefined };
const BUILTIN = 'builtin:';

/**
 * Every line of transcripts.jsonl counts (a re-attempt was paid for too); a transcript with
 * `cached: true` was answered without a request and costs $0. Torn and invalid lines are skipped:
 * spend never fails a run.
 */
export async function tallyModelSpend(runDir: string): Promise<RunSpendTally['models']> {
  const out: RunSpendTally['models'] = new Map();
  for await (const { value: t } of readJsonl(runFile(runDir, 'transcripts'), TranscriptSpendSchema, lenient)) {
    const m = entry(out, t.modelId, () => ({ model: t.model, requests: 0, reused: 0, usage: NO_USAGE }));
    if (t.cached) {
      if (t.response) m.reused++;
      continue;
    }
    m.requests += t.attempts;
    if (t.response) m.usage = addUsage(m.usage, t.response.usage);
  }
  return out;
}

/**
 * Every line of judgments.jsonl counts, as judge-summary.json counts usage. A judgment of an LLM
 * judge that used no tokens and did not fail was answered from the judge's cache ($0); a built-in
 * judge gives one rater per cell and calls nothing.
 */
export async function tallyJudgeSpend(runDir: string): Promise<RunSpendTally['judge']> {
  const out: RunSpendTally['judge'] = new Map();
  for await (const { value: j } of readJsonl(runFile(runDir, 'judgments'), JudgmentSpendSchema, lenient)) {
    if (j.error?.kind === 'no_response') continue;
    const called = j.judgeModels.filter((m) => !m.startsWith(BUILTIN));
    const key = called.length > 0 ? called.join('+') : j.judgeModels.join('+');
    const line = entry(out, key, () => ({ models: called, requests: 0, reused: 0, usage: NO_USAGE }));
    if (called.length === 0) continue;
    if (j.usage.inputTokens + j.usage.outputTokens === 0 && j.error === null) line.reused++;
    else line.requests += j.raters.length - (j.judgeModels.length - called.length);
    line.usage = addUsage(line.usage, j.usage);
  }
  return out;
}

/**
 * Prices a tally: `priceOf(wireModel, usage)` is the cost at the config's price, or null without
 * one. A judge key of several called models is not priced for reports (judgments record one usage
 * per cell, not per model); a budget asks for `panels: 'at-most'`, which prices all of it at the
 * dearest of those models, an upper bound, so an earlier pass is never counted as free.
 */
export function priceSpend(
  tally: RunSpendTally,
  priceOf: (wireModel: string, usage: UsageRecord) => number | null,
  configHash: string,
  o: { panels: 'unpriced' | 'at-most' } = { panels: 'unpriced' },
): Spend {
  const line = (t: SpendTally, cost: number | null): SpendLine => ({
    requests: t.requests,
    reused: t.reused,
    usage: t.usage,
    costUsd: cost,
  });
  const models: Spend['models'] = {};
  for (const [id, t] of tally.models) models[id] = line(t, priceOf(t.model, t.usage));
  const judge: Spend['judge'] = {};
  for (const [key, t] of tally.judge) {
    const costs = t.models.map((m) => priceOf(m.slice(m.indexOf(':') + 1), t.usage));
    const atMost = costs.some((c) => c === null) ? null : Math.max(...(costs as number[]));
    judge[key] = line(t, t.models.length === 0 ? 0 : t.models.length === 1 || o.panels === 'at-most' ? atMost : null);
  }
  return { models, judge, pricedWithConfigHash: configHash };
}

/** Models' and judge's USD of a spend; null for a part with any unpriced line. */
export function spendTotals(s: Pick<Spend, 'models' | 'judge'>): { models: number | null; judge: number | null } {
  const sum = (lines: SpendLine[]): number | null =>
    lines.reduce<number | null>((a, l) => (a === null || l.costUsd === null ? null : a + l.costUsd), 0);
  return { models: sum(Object.values(s.models)), judge: sum(Object.values(s.judge)) };
}
