import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { AppContext } from '../core/context.js';
import { EXIT, UsageError } from '../core/errors.js';
import { hasJournaledBatches } from '../records/batch-journal.js';
import { RUN_FILES, runFile } from '../records/run-files.js';
import { RunStore, readManifest, type Scrub } from '../records/run-store.js';
import { loadSuite, type Suite } from '../scenarios/load-suite.js';
import { formatPowerPlan } from '../stages/analyze/plan/format-plan.js';
import { powerPlan } from '../stages/analyze/plan/power-plan.js';
import { type PlanFilters, type PlannedCell, planRun, type RunPlan } from '../stages/run/plan.js';
import { resumePlan } from '../stages/run/resume-plan.js';
import { dryRunText } from './dry-run-cost.js';
import { lockOptions } from './lock-options.js';
import { checkBeforeRun } from './preflight.js';
import type { RunCommandOptions } from './run-options.js';
import { scrubbedContext } from './secrets.js';

type ResumedRun = Awaited<ReturnType<typeof RunStore.open>>;

/** Everything `run` resolved before writing anything: config, suite, plan and the cells still to do. */
export interface PreparedRun {
  /** The command's context from here on: stdout and stderr scrubbed of every configured secret. */
  ctx: AppContext;
  /** Removes those secrets from every record written. */
  scrub: Scrub;
  clock: Clock;
  random: () => number;
  loaded: LoadedConfig;
  /** The reopened run directory with --resume (its store is open and must be closed). */
  resumed: ResumedRun | undefined;
  /** The custom pack given with `--scenarios DIR|FILE`, or recorded by the run being resumed. */
  pack: string[] | undefined;
  suite: Suite;
  plan: RunPlan;
  /** What changed harmlessly since a resumed run started. */
  notes: string[];
  finished: Map<string, { errored: boolean }>;
  todo: PlannedCell[];
  /** The resumed run's judge batched before (judge-batches.jsonl): it keeps batching, to reattach. */
  judgeBatched: boolean;
}

/** Loads and checks config, suite and plan; writes nothing under results/ (a resumed run is only opened). */
export async function prepareRun(opts: RunCommandOptions, ctx: AppContext): Promise<PreparedRun> {
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const loaded = await loadConfig(await configFileOf(opts, ctx), { env: ctx.env, cwd: ctx.cwd });
  const { ctx: scrubbed, scrubber } = scrubbedContext(ctx, loaded.config);
  const scrub: Scrub = (text) => scrubber.scrub(text);
  let resumed: ResumedRun | undefined;
  if (opts.resume) resumed = await RunStore.open(path.resolve(ctx.cwd, opts.resume), lockOptions('run --resume', scrubbed), scrub);
  try {
    // `--scenarios DIR|FILE` loads a custom pack instead of the config's suite; any other value is a filter glob.
    const pack = resumed ? resumed.manifest.suitePaths : await packPaths(opts.scenarios, ctx.cwd);
    const suite = await loadSuite(pack ?? loaded.config.suite, { cwd: pack ? ctx.cwd : loaded.dir });
    const { plan, notes } = await planOf(opts, loaded, suite, resumed, pack);
    await checkBeforeRun(
      loaded,
      { models: plan.models, callJudges: opts.judge && opts.hooks !== undefined && loaded.config.judge.pipelined, dryRun: opts.dryRun },
      scrubbed,
    );
    const finished = keptCells(resumed, opts.retryErrors === true);
    if (finished.size < (resumed?.finished.cells.size ?? 0)) {
      notes.push(`retrying ${(resumed?.finished.cells.size ?? 0) - finished.size} cells that ended in error (--retry-errors)`);
    }
    const todo = plan.cells.filter((c) => !finished.has(c.cellId));
    const judgeBatched = resumed ? await hasJournaledBatches(runFile(resumed.store.dir, 'judgeBatches')) : false;
    if (judgeBatched && loaded.config.judge.mode !== 'batch' && !opts.batch)
      notes.push(`the judge has batches in flight (${RUN_FILES.judgeBatches}): it keeps batching, so they are reattached`);
    return { ctx: scrubbed, scrub, clock, random, loaded, resumed, pack, suite, plan, notes, finished, todo, judgeBatched };
  } catch (e) {
    // A resume refused for any reason releases the run (and its lock) at once.
    await resumed?.store.close();
    throw e;
  }
}

/**
 * `--dry-run`: prints the cells still to do and their estimated cost, and the gate's power plan for the
 * planned suite and samples (default variance; `valuescope plan --from RUN` uses a run's), then
 * closes a reopened run.
 */
export async function printDryRun(p: PreparedRun, ctx: AppContext): Promise<number> {
  const { plan, todo } = p;
  const { gate } = p.loaded.config;
  if (plan.shard)
    ctx.stdout.write(`shard ${plan.shard.index}/${plan.shard.count}: ${plan.cells.length} of ${plan.shard.planCells} cells\n`);
  ctx.stdout.write(await dryRunText({ plan, todo, loaded: p.loaded }));
  ctx.stdout.write(`\n${formatPowerPlan(powerPlan(gate, plan), gate)}`);
  if (p.resumed) await p.resumed.store.close();
  return EXIT.ok;
}

async function planOf(
  opts: RunCommandOptions,
  loaded: LoadedConfig,
  suite: Suite,
  resumed: ResumedRun | undefined,
  pack: string[] | undefined,
): Promise<{ plan: RunPlan; notes: string[] }> {
  if (!opts.resume) {
    return {
      plan: planRun(
        loaded.config,
        suite.scenarios,
        { ...filtersOf(opts), scenarios: pack ? undefined : opts.scenarios },
        loaded.combineOrigins,
      ),
      notes: [],
    };
  }
  if (opts.models || opts.domains || opts.scenarios || opts.samples !== undefined || opts.out || opts.shard) {
    throw new UsageError('--resume repeats the original plan: drop --models, --domains, --scenarios, --samples, --shard and --out');
  }
  if (!resumed) throw new UsageError('--resume needs a run directory');
  return resumePlan(resumed.manifest, loaded, suite);
}

/** `--resume R` without --config uses the config file R started with, as its manifest records it. */
async function configFileOf(opts: RunCommandOptions, ctx: AppContext): Promise<string> {
  if (opts.retryErrors && !opts.resume) {
    throw new UsageError('--retry-errors re-requests the cells of an earlier run that ended in error: use it with --resume RUN_DIR');
  }
  if (opts.config || !opts.resume) return opts.config ?? 'config.yaml';
  return (await readManifest(path.resolve(ctx.cwd, opts.resume))).configFile ?? 'config.yaml';
}

/** The cells of a resumed run that stay as they are: all of them, or with --retry-errors those that did not end in error. */
function keptCells(resumed: ResumedRun | undefined, retryErrors: boolean): Map<string, { errored: boolean }> {
  const cells = resumed?.finished.cells ?? new Map<string, { errored: boolean }>();
  return retryErrors ? new Map([...cells].filter(([, c]) => !c.errored)) : cells;
}

async function packPaths(scenarios: string | undefined, cwd: string): Promise<string[] | undefined> {
  if (!scenarios) return undefined;
  const abs = path.resolve(cwd, scenarios);
  const stat = await fsp.stat(abs).catch(() => undefined);
  return stat && (stat.isDirectory() || /\.ya?ml$/.test(abs)) ? [abs] : undefined;
}

function filtersOf(opts: RunCommandOptions): PlanFilters {
  return { models: opts.models, domains: opts.domains, scenarios: opts.scenarios, samples: opts.samples, shard: opts.shard };
}
