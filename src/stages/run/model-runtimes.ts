import type { BatchEvent } from '../../calls/batch/batch-events.js';
import type { BatchRegistry } from '../../calls/batch/batch-registry.js';
import { BatchingModel } from '../../calls/batch/batching-model.js';
import type { RetryPolicy } from '../../calls/retry.js';
import type { Scheduler } from '../../calls/scheduler.js';
import type { ModelSpec } from '../../config/model-schema.js';
import type { ModelTarget } from '../../config/model-target.js';
import { MAX_TIMER_MS } from '../../config/runner-schema.js';
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import type { ProviderDeps } from '../../providers/provider-deps.js';
import { createBatchModel, createModel } from '../../providers/registry.js';
import type { BatchJournal } from '../../records/batch-journal.js';
import type { ModelRuntime } from './run-loop.js';

/** What batch mode adds: the run's journal, its clock and the Ctrl-C signal that stops waiting. */
export interface BatchRuntimeDeps {
  journal: BatchJournal;
  clock: Clock;
  now: () => Date;
  random: () => number;
  detach: AbortSignal;
  onEvent: (e: BatchEvent) => void;
  /** The process's batch ids, shared with the judge's engines (calls/batch/batch-registry.ts). */
  registry: BatchRegistry;
}

interface RuntimeOptions {
  config: Config;
  scheduler: Scheduler;
  ctx: Pick<ProviderDeps, 'env' | 'fetch' | 'cwd'>;
  configFile: string;
  /** Set in batch mode (runner.mode batch or --batch). */
  batch?: BatchRuntimeDeps | undefined;
}

/** What the run loop needs per model: its adapter, its lane in the scheduler and its retry policy. */
export function modelRuntimes(specs: readonly ModelTarget[], o: RuntimeOptions): Map<string, ModelRuntime> {
  const runtimes = new Map<string, ModelRuntime>();
  for (const spec of specs) runtimes.set(spec.id, o.batch ? batchRuntimeOf(spec, o, o.batch) : runtimeOf(spec, o));
  return runtimes;
}

/**
 * The variants of one entry that send the same wire model share one lane: concurrency, rpm and tpm
 * are the entry's (a variant cannot set them), and the provider's limits are per model, not per
 * system prompt. A variant with its own `model` gets its own lane (and budget line).
 */
function laneIdOf(spec: ModelTarget): string {
  return spec.entry !== undefined ? `${spec.entry}@*(${spec.model})` : spec.id;
}

function runtimeOf(spec: ModelTarget, o: RuntimeOptions): ModelRuntime {
  return {
    spec,
    model: createModel(spec, providerDeps(o), o.configFile),
    lane: o.scheduler.lane(laneIdOf(spec), { concurrency: spec.concurrency, rpm: spec.rpm, tpm: spec.tpm }),
    policy: policyOf(spec, o.config, spec.timeoutMs ?? o.config.runner.timeoutMs),
  };
}

/**
 * Batch mode: the adapter is the vendor's batch API behind a BatchingModel. The lane and the
 * workers are as wide as a batch (a batch request is one HTTP call for all its items, so the
 * model's concurrency and rpm/tpm do not apply). The batch engine itself cancels a batch that
 * runs past runner.batch.timeoutMs and retries what it did not finish, so the retry layer's own
 * per-attempt timer must never fire first: giving up on a batch that goes on would pay twice.
 */
function batchRuntimeOf(spec: ModelSpec, o: RuntimeOptions, b: BatchRuntimeDeps): ModelRuntime {
  const { batch } = o.config.runner;
  const inner = createBatchModel(spec, providerDeps(o), o.configFile);
  const width = Math.min(batch.maxItems ?? inner.limits.maxItems, inner.limits.maxItems);
  return {
    spec,
    model: new BatchingModel(inner, { ...b, modelId: spec.id, settings: batch }),
    lane: o.scheduler.lane(spec.id, { concurrency: width }),
    policy: policyOf(spec, o.config, MAX_TIMER_MS),
    width,
  };
}

function providerDeps(o: RuntimeOptions): ProviderDeps {
  return { env: o.ctx.env, fetch: o.ctx.fetch, cwd: o.ctx.cwd };
}

function policyOf(spec: ModelSpec, config: Config, timeoutMs: number): RetryPolicy {
  return {
    maxAttempts: spec.maxAttempts ?? config.runner.maxAttempts,
    baseMs: config.runner.backoff.baseMs,
    maxMs: config.runner.backoff.maxMs,
    timeoutMs,
    maxRetryAfterMs: config.runner.maxRetryAfterMs,
  };
}
