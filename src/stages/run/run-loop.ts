import { setMaxListeners } from 'node:events';
import { generateWithRetry } from '../../calls/model-call.js';
import { type ResponseCache, requestKeyParts } from '../../calls/response-cache.js';
import type { RetryPolicy } from '../../calls/retry.js';
import type { ModelLane } from '../../calls/scheduler.js';
import type { ModelSpec } from '../../config/model-schema.js';
import type { Clock } from '../../core/clock.js';
import type { ProviderError } from '../../core/errors.js';
import type { GenerateResult, LanguageModel } from '../../providers/language-model.js';
import type { Transcript } from '../../records/transcript.js';
import type { PlannedCell } from './plan.js';

/** Everything the loop needs to call one model. */
export interface ModelRuntime {
  spec: ModelSpec;
  model: LanguageModel;
  lane: ModelLane;
  policy: RetryPolicy;
}

export interface RunLoopOptions {
  /** Cells still to do (the caller has removed the ones already in transcripts.jsonl). */
  cells: readonly PlannedCell[];
  models: ReadonlyMap<string, ModelRuntime>;
  store: { append(t: Transcript): Promise<void> };
  cache?: ResponseCache | undefined;
  clock: Clock;
  random: () => number;
  now: () => Date;
  /** Ctrl-C: no new cells or attempts start; requests in flight finish and are written; cells cut short are not written. */
  signal?: AbortSignal | undefined;
  /** Called once per written transcript, after it is durable (pipelined judging plugs in here). */
  onTranscript?: ((t: Transcript) => void | Promise<void>) | undefined;
  onWarning?: ((message: string) => void) | undefined;
}

export interface RunLoopResult {
  written: number;
  errored: number;
  cacheHits: number;
  /** True when the signal stopped the loop before every cell was written. */
  interrupted: boolean;
}

/**
 * The thin run loop: per cell, inside the model's lane slot (concurrency + rate limits) the cache
 * lookup and the retry layer; after the slot is released, one transcript line, the cache (successes
 * only) and the onTranscript hook. A storage failure stops the whole loop and is rethrown.
 */
export async function runCells(o: RunLoopOptions): Promise<RunLoopResult> {
  // `halt` aborts in-flight calls (a storage failure); the caller's signal only stops new work.
  const halt = new AbortController();
  // One abort listener per request in flight is expected, not a leak.
  setMaxListeners(0, halt.signal);
  if (o.signal) setMaxListeners(0, o.signal);
  const stopped = (): boolean => halt.signal.aborted || o.signal?.aborted === true;
  const result: RunLoopResult = { written: 0, errored: 0, cacheHits: 0, interrupted: false };
  let fatal: unknown;
  let cache = o.cache;

  // Runs inside the model's lane slot: only what needs the provider. Writing happens after the
  // slot is released, so a slow disk never holds back the next request.
  const callCell = async (
    cell: PlannedCell,
    rt: ModelRuntime,
  ): Promise<{ t: Transcript; key: string | undefined; hit: boolean } | undefined> => {
    if (stopped()) return undefined;
    const startedAt = o.now().toISOString();
    const key = cache?.keyFor(
      requestKeyParts({ provider: rt.spec.provider, model: rt.spec.model, baseURL: rt.spec.baseURL }, cell.request, cell.sample),
    );
    const hit = key !== undefined ? await cache?.get<GenerateResult>(key) : undefined;
    let t: Transcript;
    if (hit) {
      t = transcriptOf(cell, rt, { result: hit, attempts: 0, cached: true }, startedAt, o.now().toISOString());
      result.cacheHits++;
    } else {
      const outcome = await generateWithRetry(rt.model, cell.request, rt.lane, rt.policy, {
        sleep: o.clock.sleep,
        timer: o.clock.timer,
        random: o.random,
        signal: halt.signal,
        stopRetrying: o.signal,
      });
      if (!outcome.ok && outcome.error.kind === 'aborted' && stopped()) return undefined; // stays missing: resume redoes it
      t = transcriptOf(
        cell,
        rt,
        outcome.ok
          ? { result: outcome.value, attempts: outcome.attempts, cached: false }
          : { error: outcome.error, attempts: outcome.attempts },
        startedAt,
        o.now().toISOString(),
      );
    }
    return { t, key, hit: hit !== undefined };
  };

  const persist = async ({ t, key, hit }: { t: Transcript; key: string | undefined; hit: boolean }): Promise<void> => {
    await o.store.append(t);
    result.written++;
    if (t.error) result.errored++;
    if (cache && key !== undefined && !hit && t.response) {
      await cache.put(key, cacheValueOf(t)).catch((e: unknown) => {
        if (!cache) return;
        cache = undefined;
        o.onWarning?.(`response cache disabled for the rest of this run: ${(e as Error).message}`);
      });
    }
  };

  await Promise.all(
    o.cells.map(async (cell) => {
      try {
        const rt = o.models.get(cell.modelId);
        if (!rt) throw new Error(`no runtime for model ${cell.modelId}`);
        const done = await rt.lane.run(() => callCell(cell, rt));
        if (!done) return;
        await persist(done);
        if (o.onTranscript) await o.onTranscript(done.t);
      } catch (e) {
        if (fatal === undefined) fatal = e;
        halt.abort(e);
      }
    }),
  );
  if (fatal !== undefined) throw fatal;
  result.interrupted = result.written < o.cells.length;
  return result;
}

/** What the cache keeps for a success: the normalised result, nothing else. */
function cacheValueOf(t: Transcript): GenerateResult {
  const r = t.response!;
  return {
    text: r.text,
    finishReason: r.finishReason as GenerateResult['finishReason'],
    usage: r.usage,
    latencyMs: r.latencyMs,
    ...(r.requestId !== undefined ? { requestId: r.requestId } : {}),
    warnings: [],
  };
}

type CellOutcome = { result: GenerateResult; attempts: number; cached: boolean } | { error: ProviderError; attempts: number };

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
        usage: { inputTokens: r.usage.inputTokens, outputTokens: r.usage.outputTokens, cachedInputTokens: r.usage.cachedInputTokens ?? 0 },
        latencyMs: r.latencyMs,
        ...(r.requestId !== undefined ? { requestId: r.requestId } : {}),
      },
      cached: outcome.cached,
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
