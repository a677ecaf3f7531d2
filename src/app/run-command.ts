import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ResponseCache } from '../calls/response-cache.js';
import { Scheduler } from '../calls/scheduler.js';
import { loadConfig } from '../config/load-config.js';
import type { ModelSpec } from '../config/model-schema.js';
import type { Config } from '../config/schema.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { AppContext } from '../core/context.js';
import { EXIT, UsageError } from '../core/errors.js';
import { HARNESS_VERSION } from '../core/version.js';
import { createModel } from '../providers/registry.js';
import type { Manifest } from '../records/manifest.js';
import { newRunId, RunStore } from '../records/run-store.js';
import type { Transcript } from '../records/transcript.js';
import { loadSuite } from '../scenarios/load-suite.js';
import { estimatePlan, formatPlan } from '../stages/run/dry-run.js';
import { buildCells, type PlanFilters, planRun, type RunPlan } from '../stages/run/plan.js';
import { Progress } from '../stages/run/progress.js';
import { checkResumable, manifestModelOf } from '../stages/run/resume-check.js';
import { type ModelRuntime, runCells } from '../stages/run/run-loop.js';

export interface RunCommandOptions {
  config?: string | undefined;
  models?: string[] | undefined;
  domains?: string[] | undefined;
  scenarios?: string | undefined;
  samples?: number | undefined;
  out?: string | undefined;
  resume?: string | undefined;
  cache: boolean;
  dryRun: boolean;
  judge: boolean;
  /** Write profile.json and the report once every cell is judged (default true). */
  report?: boolean | undefined;
  /** Pipelined judging (or any consumer of fresh transcripts); called once the run directory exists. */
  hooks?: RunHooksFactory | undefined;
  clock?: Clock | undefined;
  random?: (() => number) | undefined;
}

export interface RunHooks {
  onTranscript?: (t: Transcript) => void | Promise<void>;
  /** Awaited after the loop ends (also when interrupted), before the exit code is decided. */
  finish?: (outcome: { status: Manifest['status']; signal: AbortSignal }) => Promise<void>;
}

export type RunHooksFactory = (run: {
  dir: string;
  manifest: Manifest;
  config: Config;
  configDir: string;
  judge: boolean;
  report?: boolean;
  ctx: AppContext;
}) => Promise<RunHooks | undefined>;

/** `valuescope run`: load and check everything first, so invalid input writes nothing under results/. */
export async function runCommand(opts: RunCommandOptions, ctx: AppContext): Promise<number> {
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const loaded = await loadConfig(opts.config ?? 'config.yaml', { env: ctx.env, cwd: ctx.cwd });
  const { config } = loaded;
  let resumed: Awaited<ReturnType<typeof RunStore.open>> | undefined;
  if (opts.resume) resumed = await RunStore.open(path.resolve(ctx.cwd, opts.resume));
  // `--scenarios DIR|FILE` loads a custom pack instead of the config's suite; any other value is a filter glob.
  const pack = resumed ? resumed.manifest.suitePaths : await packPaths(opts.scenarios, ctx.cwd);
  const suite = await loadSuite(pack ?? config.suite, { cwd: pack ? ctx.cwd : loaded.dir });

  let plan: RunPlan;
  const notes: string[] = [];
  if (opts.resume) {
    if (opts.models || opts.domains || opts.scenarios || opts.samples !== undefined || opts.out) {
      await resumed?.store.close();
      throw new UsageError('--resume repeats the original plan: drop --models, --domains, --scenarios, --samples and --out');
    }
    if (!resumed) throw new UsageError('--resume needs a run directory');
    const ok = checkResumable(resumed.manifest, {
      configHash: loaded.hash,
      configFile: loaded.file,
      models: config.models,
      suiteHash: suite.hash,
      scenarios: suite.scenarios,
    });
    notes.push(...ok.notes);
    plan = {
      models: ok.specs,
      scenarios: ok.scenarios,
      samples: resumed.manifest.samples,
      cells: buildCells(ok.specs, ok.scenarios, resumed.manifest.samples),
    };
  } else {
    plan = planRun(config, suite.scenarios, { ...filtersOf(opts), scenarios: pack ? undefined : opts.scenarios });
  }
  const finished = resumed?.finished.cells ?? new Map<string, { errored: boolean }>();
  const todo = plan.cells.filter((c) => !finished.has(c.cellId));

  if (opts.dryRun) {
    ctx.stdout.write(formatPlan({ ...plan, cells: todo }, estimatePlan({ ...plan, cells: todo }, config.prices)));
    if (resumed) await resumed.store.close();
    return EXIT.ok;
  }

  // Adapters are built before anything is written, so a missing API key fails cleanly.
  const scheduler = new Scheduler({ clock, windowMs: config.runner.rateWindowMs });
  const runtimes = new Map<string, ModelRuntime>();
  for (const spec of plan.models) runtimes.set(spec.id, runtimeOf(spec, config, scheduler, ctx, loaded.file));

  const manifest: Manifest = resumed?.manifest ?? {
    v: 1,
    runId: newRunId(ctx.now(), random),
    status: 'running',
    startedAt: ctx.now().toISOString(),
    finishedAt: null,
    harnessVersion: HARNESS_VERSION,
    configHash: loaded.hash,
    suiteHash: suite.hash,
    ...(pack ? { suitePaths: pack } : {}),
    scenarios: Object.fromEntries(plan.scenarios.map((s) => [s.id, s.hash])),
    samples: plan.samples,
    models: plan.models.map(manifestModelOf),
    counts: { planned: plan.cells.length, done: 0, errored: 0 },
    notes: [],
  };
  const priorErrored = [...finished.values()].filter((c) => c.errored).length;
  manifest.status = 'running';
  manifest.finishedAt = null;
  manifest.counts = { planned: plan.cells.length, done: finished.size, errored: priorErrored };
  if (resumed) manifest.notes = [...manifest.notes, `resumed at ${ctx.now().toISOString()} with ${todo.length} cells to do`, ...notes];

  const outDir = opts.out ? path.resolve(ctx.cwd, opts.out) : path.resolve(loaded.dir, config.outDir);
  const store = resumed ? resumed.store : await RunStore.create(outDir, manifest);
  if (resumed) await store.writeManifest(manifest);
  const runRel = path.relative(ctx.cwd, store.dir) || store.dir;
  ctx.stderr.write(
    `${resumed ? 'Resuming' : 'Starting'} run ${manifest.runId} in ${runRel}: ${todo.length} of ${plan.cells.length} cells to do${resumed?.finished.tornBytes ? ` (dropped a torn last line of ${resumed.finished.tornBytes} bytes)` : ''}\n`,
  );

  let hooks: RunHooks | undefined;
  try {
    hooks = opts.hooks
      ? await opts.hooks({ dir: store.dir, manifest, config, configDir: loaded.dir, judge: opts.judge, report: opts.report !== false, ctx })
      : undefined;
  } catch (e) {
    // The run directory exists but nothing ran: leave it resumable rather than "running" forever.
    await store.writeManifest({ ...manifest, status: 'interrupted' }).catch(() => undefined);
    await store.close().catch(() => undefined);
    ctx.stderr.write(`Nothing was sent. Once fixed, continue with: valuescope run --resume ${runRel}\n`);
    throw e;
  }
  const progress = new Progress({ stream: ctx.stderr, clock, intervalMs: config.runner.progressIntervalMs });
  progress.start(
    plan.models.map((m) => {
      const mine = plan.cells.filter((c) => c.modelId === m.id);
      const prior = mine.filter((c) => finished.has(c.cellId));
      return {
        id: m.id,
        total: mine.length,
        done: prior.length,
        errors: prior.filter((c) => finished.get(c.cellId)?.errored).length,
        price: config.prices[m.model],
      };
    }),
  );

  let status: Manifest['status'] = 'interrupted';
  try {
    const result = await runCells({
      cells: todo,
      models: runtimes,
      store,
      cache: opts.cache ? new ResponseCache(path.resolve(loaded.dir, config.cacheDir)) : undefined,
      clock,
      random,
      now: ctx.now,
      signal: ctx.signal,
      onTranscript: async (t) => {
        progress.record(t.modelId, {
          errored: t.error !== null,
          inputTokens: t.response?.usage.inputTokens ?? 0,
          outputTokens: t.response?.usage.outputTokens ?? 0,
        });
        await hooks?.onTranscript?.(t);
      },
      onWarning: (m) => ctx.stderr.write(`warning: ${m}\n`),
    });
    manifest.counts.done += result.written;
    manifest.counts.errored += result.errored;
    status = result.interrupted ? 'interrupted' : manifest.counts.errored > 0 ? 'completed_with_errors' : 'completed';
    if (result.cacheHits > 0) ctx.stderr.write(`${result.cacheHits} cells answered from the response cache\n`);
  } finally {
    progress.stop();
    manifest.status = status;
    manifest.finishedAt = status === 'interrupted' ? null : ctx.now().toISOString();
    // Best effort when storage itself failed: the transcripts are the source of truth on resume.
    await store.writeManifest(manifest).catch(() => undefined);
    await store.close().catch(() => undefined);
    if (status === 'interrupted')
      ctx.stderr.write(
        `Run interrupted. Continue it with:\n  valuescope run --resume ${runRel}${opts.config ? ` --config ${opts.config}` : ''}\n`,
      );
  }
  await hooks?.finish?.({ status, signal: ctx.signal });
  for (const line of progress.lines()) ctx.stdout.write(`${line}\n`);
  ctx.stdout.write(
    `Run ${manifest.runId}: ${status}, ${manifest.counts.done}/${manifest.counts.planned} cells, ${manifest.counts.errored} errored -> ${runRel}\n`,
  );
  if (status === 'interrupted') return EXIT.runErrors;
  return manifest.counts.errored > 0 ? EXIT.runErrors : EXIT.ok;
}

async function packPaths(scenarios: string | undefined, cwd: string): Promise<string[] | undefined> {
  if (!scenarios) return undefined;
  const abs = path.resolve(cwd, scenarios);
  const stat = await fsp.stat(abs).catch(() => undefined);
  return stat && (stat.isDirectory() || /\.ya?ml$/.test(abs)) ? [abs] : undefined;
}

function filtersOf(opts: RunCommandOptions): PlanFilters {
  return { models: opts.models, domains: opts.domains, scenarios: opts.scenarios, samples: opts.samples };
}

function runtimeOf(spec: ModelSpec, config: Config, scheduler: Scheduler, ctx: AppContext, configFile: string): ModelRuntime {
  return {
    spec,
    model: createModel(spec, { env: ctx.env, fetch: ctx.fetch, cwd: ctx.cwd }, configFile),
    lane: scheduler.lane(spec.id, { concurrency: spec.concurrency, rpm: spec.rpm, tpm: spec.tpm }),
    policy: {
      maxAttempts: spec.maxAttempts ?? config.runner.maxAttempts,
      baseMs: config.runner.backoff.baseMs,
      maxMs: config.runner.backoff.maxMs,
      timeoutMs: spec.timeoutMs ?? config.runner.timeoutMs,
    },
  };
}
