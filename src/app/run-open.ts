import path from 'node:path';
import { BatchRegistry } from '../calls/batch/batch-registry.js';
import type { Budget } from '../calls/budget.js';
import { ResponseCache } from '../calls/response-cache.js';
import { Scheduler } from '../calls/scheduler.js';
import type { AppContext } from '../core/context.js';
import { UsageError } from '../core/errors.js';
import type { BatchJournal } from '../records/batch-journal.js';
import type { Manifest } from '../records/manifest.js';
import { newRunId, RunStore } from '../records/run-store.js';
import { modelRuntimes } from '../stages/run/model-runtimes.js';
import { Progress } from '../stages/run/progress.js';
import { progressRows } from '../stages/run/progress-rows.js';
import { type ReusedAnswers, reuseAnswersFrom } from '../stages/run/reuse-answers.js';
import type { ModelRuntime } from '../stages/run/run-loop.js';
import { markRunning, newManifest } from '../stages/run/run-manifest.js';
import { lockOptions } from './lock-options.js';
import { batchDeps, checkBatchProviders, openBatchJournal, withRunFlags } from './run-batch.js';
import { openBudget } from './run-budget.js';
import type { RunCommandOptions, RunHooks } from './run-options.js';
import type { PreparedRun } from './run-prepare.js';

/** A run whose directory exists and holds a "running" manifest, with everything the loop needs. */
export interface OpenedRun extends PreparedRun {
  runtimes: Map<string, ModelRuntime>;
  /** Mutated as the run goes: the hooks see the same object. */
  manifest: Manifest;
  store: RunStore;
  /** The run directory as shown to the user (relative to cwd when possible). */
  runRel: string;
  hooks: RunHooks | undefined;
  progress: Progress;
  cache: ResponseCache | undefined;
  /** Batch mode's journal of the models' batches (closed with the run). */
  journal: BatchJournal | undefined;
  /** --max-cost / runner.maxCost, and the run's spend so far: shared by its model calls and its judge. */
  budget: Budget;
}

/** Builds the model adapters, then creates (or reopens) the run directory, the hooks and the progress display. */
export async function openRun(prepared: PreparedRun, opts: RunCommandOptions, ctx: AppContext): Promise<OpenedRun> {
  const p = withRunFlags(prepared, opts);
  const { loaded, resumed, plan, todo } = p;
  const { config } = loaded;
  // Adapters are built before anything is written, so a missing API key fails cleanly.
  const scheduler = new Scheduler({ clock: p.clock, windowMs: config.runner.rateWindowMs });
  const batchMode = config.runner.mode === 'batch';
  if (batchMode)
    await checkBatchProviders(plan.models, loaded.file).catch(async (e: unknown) => {
      await resumed?.store.close();
      throw e;
    });
  const reuse = await reusedAnswersOf(p, opts, ctx);
  const budget = await openBudget(p, opts);

  const manifest: Manifest =
    resumed?.manifest ??
    newManifest({
      runId: newRunId(ctx.now(), p.random),
      startedAt: ctx.now().toISOString(),
      configHash: loaded.hash,
      configFile: loaded.file,
      suiteHash: p.suite.hash,
      pack: p.pack,
      plan,
    });
  markRunning(manifest, plan, p.finished);
  manifest.mode = config.runner.mode;
  if (reuse) manifest.notes = [...manifest.notes, reuseNote(reuse, todo.length)];
  else if (opts.cache && config.cache === 'development') manifest.notes = [...manifest.notes, DEVELOPMENT_CACHE_NOTE];
  if (resumed) manifest.notes = [...manifest.notes, `resumed at ${ctx.now().toISOString()} with ${todo.length} cells to do`, ...p.notes];

  const outDir = opts.out ? path.resolve(ctx.cwd, opts.out) : path.resolve(loaded.dir, config.outDir);
  const store = resumed ? resumed.store : await RunStore.create(outDir, manifest, lockOptions('run', ctx), p.scrub);
  if (resumed) await store.writeManifest(manifest);
  const runRel = path.relative(ctx.cwd, store.dir) || store.dir;
  ctx.stderr.write(
    `${resumed ? 'Resuming' : 'Starting'} run ${manifest.runId} in ${runRel}: ${todo.length} of ${plan.cells.length} cells to do${resumed?.finished.tornBytes ? ` (dropped a torn last line of ${resumed.finished.tornBytes} bytes)` : ''}\n`,
  );

  const journal = batchMode ? await openBatchJournal(store, p.scrub) : undefined;
  const batchRegistry = new BatchRegistry();
  const batch = journal ? batchDeps(journal, p, ctx, batchRegistry) : undefined;
  const runtimes = modelRuntimes(plan.models, { config, scheduler, ctx, configFile: loaded.file, batch });
  const progress = new Progress({ stream: ctx.stderr, clock: p.clock, intervalMs: config.runner.progressIntervalMs });
  const hooks = await openHooks({ ...p, manifest, store, runRel, budget, progress, batchRegistry }, opts, ctx);
  progress.start(progressRows(plan, p.finished, config.prices));
  const cache = reuse?.cache ?? responseCacheOf(p, opts, ctx, manifest.runId);
  return { ...p, runtimes, manifest, store, runRel, hooks, progress, cache, journal, budget };
}

async function openHooks(
  run: Pick<OpenedRun, 'loaded' | 'manifest' | 'store' | 'runRel' | 'scrub' | 'budget' | 'progress'> & { batchRegistry: BatchRegistry },
  opts: RunCommandOptions,
  ctx: AppContext,
): Promise<RunHooks | undefined> {
  const { manifest, store, loaded } = run;
  try {
    return opts.hooks
      ? await opts.hooks({
          dir: store.dir,
          manifest,
          config: loaded.config,
          configDir: loaded.dir,
          judge: opts.judge,
          report: opts.report !== false,
          ctx,
          scrub: run.scrub,
          budget: run.budget,
          progress: run.progress,
          batchRegistry: run.batchRegistry,
        })
      : undefined;
  } catch (e) {
    // The run directory exists but nothing ran: leave it resumable rather than "running" forever.
    await store.writeManifest({ ...manifest, status: 'interrupted' }).catch(() => undefined);
    await store.close().catch(() => undefined);
    ctx.stderr.write(`Nothing was sent. Once fixed, continue with: valuescope run --resume ${run.runRel}\n`);
    throw e;
  }
}

const DEVELOPMENT_CACHE_NOTE =
  'cache: development: answers may come from the response cache of earlier runs (transcripts say which); not for gating';

/**
 * The response cache a run reads and writes: only in `cache: development` mode and without --no-cache.
 * Entries it writes record `runId`, so later hits say which run produced them.
 */
function responseCacheOf(p: PreparedRun, opts: RunCommandOptions, ctx: AppContext, runId: string): ResponseCache | undefined {
  const { config, dir } = p.loaded;
  if (!opts.cache || config.cache !== 'development') return undefined;
  ctx.stderr.write(`note: ${DEVELOPMENT_CACHE_NOTE}\n`);
  return new ResponseCache(path.resolve(dir, config.cacheDir), (m) => ctx.stderr.write(`warning: ${m}\n`), p.scrub, runId);
}

/** `--reuse-from RUN`: that run's answers for the cells with an identical request, loaded before anything is written. */
async function reusedAnswersOf(p: PreparedRun, opts: RunCommandOptions, ctx: AppContext): Promise<ReusedAnswers | undefined> {
  if (opts.reuseFrom === undefined) return undefined;
  if (p.resumed) {
    await p.resumed.store.close();
    throw new UsageError('--reuse-from starts a new run and cannot be combined with --resume');
  }
  const reuse = await reuseAnswersFrom(path.resolve(ctx.cwd, opts.reuseFrom), opts.reuseFrom, { models: p.plan.models, cells: p.todo });
  if (p.loaded.config.cache === 'development' && opts.cache)
    ctx.stderr.write('note: --reuse-from: the response cache is not used in this run\n');
  ctx.stderr.write(
    `Reusing answers from run ${reuse.runId}: ${reuse.reused} of ${p.todo.length} cells reused (no request), ${reuse.fresh} requested fresh\n`,
  );
  for (const n of reuse.notes) ctx.stderr.write(`note: --reuse-from: ${n}\n`);
  return reuse;
}

function reuseNote(reuse: ReusedAnswers, cells: number): string {
  return `answers reused from run ${reuse.runId}: ${reuse.reused} of ${cells} cells; not an independent sample`;
}
