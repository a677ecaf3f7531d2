import type { Scheduler } from '../../calls/scheduler.js';
import type { ModelSpec } from '../../config/model-schema.js';
import type { Config } from '../../config/schema.js';
import type { ProviderDeps } from '../../providers/provider-deps.js';
import { createModel } from '../../providers/registry.js';
import type { ModelRuntime } from './run-loop.js';

/** What the run loop needs per model: its adapter, its lane in the scheduler and its retry policy. */
export function modelRuntimes(
  specs: readonly ModelSpec[],
  o: { config: Config; scheduler: Scheduler; ctx: Pick<ProviderDeps, 'env' | 'fetch' | 'cwd'>; configFile: string },
): Map<string, ModelRuntime> {
  const runtimes = new Map<string, ModelRuntime>();
  for (const spec of specs) runtimes.set(spec.id, runtimeOf(spec, o.config, o.scheduler, o.ctx, o.configFile));
  return runtimes;
}

function runtimeOf(
  spec: ModelSpec,
  config: Config,
  scheduler: Scheduler,
  ctx: Pick<ProviderDeps, 'env' | 'fetch' | 'cwd'>,
  configFile: string,
): ModelRuntime {
  return {
    spec,
    model: createModel(spec, { env: ctx.env, fetch: ctx.fetch, cwd: ctx.cwd }, configFile),
    lane: scheduler.lane(spec.id, { concurrency: spec.concurrency, rpm: spec.rpm, tpm: spec.tpm }),
    policy: {
      maxAttempts: spec.maxAttempts ?? config.runner.maxAttempts,
      baseMs: config.runner.backoff.baseMs,
      maxMs: config.runner.backoff.maxMs,
      timeoutMs: spec.timeoutMs ?? config.runner.timeoutMs,
      maxRetryAfterMs: config.runner.maxRetryAfterMs,
    },
  };
}
