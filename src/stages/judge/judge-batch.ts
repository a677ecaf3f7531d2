import type { BatchEvent, BatchSettings } from '../../calls/batch/batch-events.js';
import type { BatchRegistry } from '../../calls/batch/batch-registry.js';
import { BatchingModel } from '../../calls/batch/batching-model.js';
import type { RetryPolicy } from '../../calls/retry.js';
import type { ModelLane, Scheduler } from '../../calls/scheduler.js';
import type { ModelSpec } from '../../config/model-schema.js';
import { MAX_TIMER_MS } from '../../config/runner-schema.js';
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import type { LanguageModel } from '../../providers/language-model.js';
import { createBatchModel } from '../../providers/registry.js';
import type { BatchJournal } from '../../records/batch-journal.js';

/** What the judge's batch mode needs from the pipeline that opened the run's judge journal. */
export interface JudgeBatchDeps {
  journal: BatchJournal;
  settings: BatchSettings & { timeoutMs: number };
  now: () => Date;
  /** Ctrl-C: stop waiting; the judge batches stay in flight and the next `judge` reattaches. */
  detach?: AbortSignal | undefined;
  onEvent?: ((e: BatchEvent) => void) | undefined;
  /** The process's batch ids, shared with the run's model engines (calls/batch/batch-registry.ts). */
  registry?: BatchRegistry | undefined;
}

interface PanelDeps {
  config: Config;
  env: Record<string, string | undefined>;
  fetch: typeof globalThis.fetch;
  dir: string;
  scheduler: Scheduler;
  clock: Clock;
  random: () => number;
}

/**
 * A judge model's calls in batch mode: its vendor's batch API behind a BatchingModel, in a lane as
 * wide as a batch (the model's concurrency and rpm/tpm apply to single requests), with attempts
 * that may wait as long as a batch may take.
 */
export function batchedJudgeCalls(
  spec: ModelSpec,
  o: PanelDeps,
  b: JudgeBatchDeps,
): { model: LanguageModel; lane: ModelLane; policy: RetryPolicy } {
  const inner = createBatchModel(spec, { env: o.env, fetch: o.fetch, cwd: o.dir });
  const width = Math.min(b.settings.maxItems ?? inner.limits.maxItems, inner.limits.maxItems);
  const { runner } = o.config;
  return {
    model: new BatchingModel(inner, { ...b, modelId: spec.id, clock: o.clock, random: o.random }),
    lane: o.scheduler.lane(`${spec.id}#batch`, { concurrency: width }),
    policy: {
      maxAttempts: spec.maxAttempts ?? runner.maxAttempts,
      baseMs: runner.backoff.baseMs,
      maxMs: runner.backoff.maxMs,
      // The engine cancels a batch past runner.batch.timeoutMs; the retry layer's timer must not give up first.
      timeoutMs: MAX_TIMER_MS,
      maxRetryAfterMs: runner.maxRetryAfterMs,
    },
  };
}
