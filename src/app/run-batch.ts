import { batchLogger } from '../calls/batch/batch-log.js';
import type { BatchRegistry } from '../calls/batch/batch-registry.js';
import type { ModelSpec } from '../config/model-schema.js';
import type { AppContext } from '../core/context.js';
import { ConfigError } from '../core/errors.js';
import { BATCH_PROVIDER_NAMES } from '../providers/registry.js';
import { BatchJournal } from '../records/batch-journal.js';
import { runFile } from '../records/run-files.js';
import type { RunStore } from '../records/run-store.js';
import type { BatchRuntimeDeps } from '../stages/run/model-runtimes.js';
import type { RunCommandOptions } from './run-options.js';
import type { PreparedRun } from './run-prepare.js';

/**
 * The config as this run uses it, flags applied once: `--batch` puts the models and the judge in
 * batch mode. A resumed run keeps the mode its manifest records (its in-flight batches are in that
 * mode's journal) unless `--batch` switches it to batch, and a judge that batched the run before
 * keeps batching (asking synchronously would pay again for the judge batches in flight).
 */
export function withRunFlags(p: PreparedRun, opts: RunCommandOptions): PreparedRun {
  const { config } = p.loaded;
  const recorded = p.resumed?.manifest.mode;
  const batch = opts.batch === true || (recorded ?? config.runner.mode) === 'batch';
  const judgeBatch = opts.batch === true || config.judge.mode === 'batch' || p.judgeBatched;
  const runner = { ...config.runner, mode: batch ? ('batch' as const) : ('sync' as const) };
  const judge = { ...config.judge, mode: judgeBatch ? ('batch' as const) : ('sync' as const) };
  return { ...p, loaded: { ...p.loaded, config: { ...config, runner, judge } } };
}

/** Batch mode exists for the vendors' batch APIs only: say so before anything is written. */
export async function checkBatchProviders(models: readonly ModelSpec[], configFile: string): Promise<void> {
  const bad = models.filter((m) => !BATCH_PROVIDER_NAMES.includes(m.provider));
  if (bad.length === 0) return;
  throw new ConfigError(
    bad.map((m) => ({
      file: configFile,
      path: `models[${m.id}].provider`,
      message: `batch mode needs a provider with a batch API (${BATCH_PROVIDER_NAMES.join(', ')}); '${m.provider}' has none: run it without --batch / runner.mode: batch, or leave it out with --models`,
    })),
  );
}

export function openBatchJournal(store: RunStore, scrub: (text: string) => string): Promise<BatchJournal> {
  return BatchJournal.open(runFile(store.dir, 'batches'), scrub);
}

export function batchDeps(journal: BatchJournal, p: PreparedRun, ctx: AppContext, registry: BatchRegistry): BatchRuntimeDeps {
  return {
    journal,
    registry,
    clock: p.clock,
    now: ctx.now,
    random: p.random,
    detach: ctx.signal,
    onEvent: batchLogger(
      (line) => ctx.stderr.write(`${line}\n`),
      () => p.clock.now(),
      p.loaded.config.runner.progressIntervalMs,
    ),
  };
}
