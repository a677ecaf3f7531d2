import type { CachedAnswer } from '../../calls/response-cache.js';
import type { ProviderError } from '../../core/errors.js';
import type { GenerateResult } from '../../providers/language-model.js';
import { servedModelOf, type Transcript, type UsageRecord } from '../../records/transcript.js';
import type { PlannedCell } from './plan.js';
import type { ModelRuntime } from './run-loop.js';

/** What the cache keeps for a success: the normalised result and the id of the run that produced it. */
export function cacheValueOf(t: Transcript, runId: string | undefined): CachedAnswer {
  const r = t.response!;
  return {
    ...(runId !== undefined ? { runId } : {}),
    text: r.text,
    finishReason: r.finishReason as GenerateResult['finishReason'],
    usage: r.usage,
    latencyMs: r.latencyMs,
    ...(r.requestId !== undefined ? { requestId: r.requestId } : {}),
    ...(r.served !== undefined ? { served: servedModelOf(r.served) } : {}),
    warnings: [],
  };
}

/** `cachedFrom`: with `cached`, the run that produced the answer, when known. */
export type CellOutcome =
  | { result: GenerateResult; attempts: number; cached: boolean; cachedFrom?: string | undefined }
  | { error: ProviderError; attempts: number };

export function transcriptOf(cell: PlannedCell, rt: ModelRuntime, outcome: CellOutcome, startedAt: string, finishedAt: string): Transcript {
  const s = cell.scenario;
  const base = {
    v: 1 as const,
    cellId: cell.cellId,
    modelId: rt.spec.id,
    provider: rt.spec.provider,
    model: rt.spec.model,
    scenarioId: s.id,
    domain: s.domain,
    sample: cell.sample,
    scenarioHash: s.hash,
    userValues: s.userValues,
    ...(s.expect !== undefined ? { expect: s.expect } : {}),
    tags: s.tags,
    request: {
      ...(cell.request.system !== undefined ? { system: cell.request.system } : {}),
      messages: cell.request.messages,
      ...(cell.request.temperature !== undefined ? { temperature: cell.request.temperature } : {}),
      maxTokens: cell.request.maxTokens,
    },
    attempts: outcome.attempts,
    startedAt,
    finishedAt,
  };
  if ('result' in outcome) {
    const r = outcome.result;
    return {
      ...base,
      response: {
        text: r.text,
        finishReason: r.finishReason,
        usage: usageRecord(r.usage),
        latencyMs: r.latencyMs,
        ...(r.requestId !== undefined ? { requestId: r.requestId } : {}),
        ...(r.served !== undefined ? { served: servedModelOf(r.served) } : {}),
      },
      cached: outcome.cached,
      ...(outcome.cached && outcome.cachedFrom !== undefined ? { cachedFrom: outcome.cachedFrom } : {}),
      error: null,
    };
  }
  const e = outcome.error;
  return {
    ...base,
    response: null,
    cached: false,
    error: {
      kind: e.kind,
      message: e.message,
      ...(e.status !== undefined ? { status: e.status } : {}),
      ...(e.requestId !== undefined ? { requestId: e.requestId } : {}),
    },
  };
}

/** The usage as a record keeps it: cache writes and the batched part only when there are any. */
function usageRecord(u: GenerateResult['usage']): UsageRecord {
  const counts = (c: Omit<GenerateResult['usage'], 'batched'>) => ({
    inputTokens: c.inputTokens,
    outputTokens: c.outputTokens,
    cachedInputTokens: c.cachedInputTokens ?? 0,
    ...(c.cacheWriteInputTokens ? { cacheWriteInputTokens: c.cacheWriteInputTokens } : {}),
  });
  return { ...counts(u), ...(u.batched ? { batched: counts(u.batched) } : {}) };
}
