import path from 'node:path';
import { type Budget, chargeLane } from '../calls/budget.js';
import { Scheduler } from '../calls/scheduler.js';
import type { Config } from '../config/schema.js';
import { systemClock } from '../core/clock.js';
import { readEffective } from '../records/effective-records.js';
import { RUN_FILES, runFile } from '../records/run-files.js';
import { TranscriptSchema } from '../records/transcript.js';
import { formatJudgeSummary, writeJudgeSpend } from '../stages/judge/judge-summary.js';
import type { JudgePanel } from '../stages/judge/panel.js';
import { createJudgePipeline, type JudgePipeline } from '../stages/judge/pipeline.js';
import { selfJudgingWarnings } from '../stages/judge/self-judging.js';
import type { Progress } from '../stages/run/progress.js';
import { contentHash } from '../util/hash.js';
import type { RunHooks, RunHooksFactory } from './run-options.js';

/**
 * Pipelined judging for `valuescope run`: every finished transcript is handed to the judge while
 * the run goes on; the summary is printed when the run ends. Built before the first cell runs, so a
 * missing judge key or a judge that differs from the run's earlier judgments fails the run early.
 */
export const judgeRunHooks: RunHooksFactory = async (run: HookedRun): Promise<RunHooks | undefined> => {
  if (!run.judge || !run.config.judge.pipelined) return undefined;
  // Its own scheduler, as the pipeline would make, so the judge's lanes can carry the run's budget.
  const scheduler = new Scheduler({ clock: systemClock });
  // Stopped with the run (Ctrl-C), or by abort() when the run fails: the judge must not outlive the run's lock.
  const stop = new AbortController();
  const ctx = { ...run.ctx, signal: AbortSignal.any([run.ctx.signal, stop.signal]) };
  const pipeline = await createJudgePipeline({
    ...{ runDir: run.dir, config: run.config, dir: run.configDir, ctx, scrub: run.scrub, scheduler },
    batchRegistry: run.batchRegistry,
    onJudged: (j) => {
      if (j.error?.kind !== 'no_response') run.progress?.recordJudgment({ errored: j.error !== null, usage: j.usage });
    },
  });
  meterJudge(run, pipeline.panel, scheduler);
  const rel = path.relative(run.ctx.cwd, run.dir) || run.dir;
  run.ctx.stderr.write(`Judging as transcripts arrive with ${pipeline.panel.id} [${pipeline.panel.models.join(', ')}]\n`);
  for (const w of selfJudgingWarnings(pipeline.panel.specs, run.manifest.models)) run.ctx.stderr.write(`warning: ${w}\n`);
  // A resumed run judges the cells written before it stopped but never judged, alongside the new ones.
  // Its failure (the pipeline's own) is kept, not left unhandled, and rethrown at finish.
  const catchUp = submitUnjudged(run.dir, pipeline, ctx.signal).then(
    () => undefined,
    (e: unknown) => ({ failed: e }),
  );
  return {
    onTranscript: (t) => pipeline.submit(t),
    abort: async () => {
      stop.abort();
      await catchUp;
      await pipeline.drain().catch(() => undefined);
    },
    finish: async ({ status }) => {
      const caught = await catchUp;
      if (caught) throw caught.failed;
      const summary = await writeJudgeSpend(run.dir, await pipeline.drain(), pricingOf(run));
      run.ctx.stdout.write(formatJudgeSummary(summary));
      if (status === 'interrupted' || summary.cells < run.manifest.counts.done) {
        run.ctx.stderr.write(`Judge the remaining cells with:\n  valuescope judge ${rel}\n`);
        return { incomplete: true };
      }
      if (run.manifest.shard) {
        // A shard's profile would describe part of the run: profile and report the merged run instead.
        const { index, count } = run.manifest.shard;
        run.ctx.stdout.write(
          `shard ${index}/${count} judged; profile and report the merged run (valuescope merge SHARD_DIRS... --out DIR)\n`,
        );
        return { incomplete: summary.errors > 0 };
      }
      // Every cell is judged: finish the stage chain so the run directory is ready to read.
      const { writeRunProfile } = await import('./profile-command.js');
      const { gate, watchlist } = run.config;
      const file = await writeRunProfile(run.dir, { resamples: gate.resamples, seed: gate.seed, watchlist, now: run.ctx.now });
      run.ctx.stdout.write(`wrote ${path.relative(run.ctx.cwd, file) || file} and ${RUN_FILES.profileCsv}\n`);
      if (run.report !== false) await (await import('./report-command.js')).autoReport(run.dir, run.ctx);
      return { incomplete: summary.errors > 0 };
    },
  };
};

/** What the run shares with its judge besides the factory's fields: the budget and the progress display. */
type HookedRun = Parameters<RunHooksFactory>[0] & { budget?: Budget | undefined; progress?: Progress | undefined };

/**
 * Charges the judge's calls to the run's budget (through the lanes the panel took from `scheduler`)
 * and gives the progress display its judge row, priced when the panel calls one priced model.
 */
function meterJudge(run: HookedRun, panel: JudgePanel, scheduler: Scheduler): void {
  const batch = run.config.judge.mode === 'batch';
  for (const spec of panel.specs) {
    if (!run.budget) break;
    // lane() hands back the lanes the panel already made for this judge model: its own (judge calls,
    // and taxonomy placement, never batched) and in batch mode the one stages/judge/judge-batch.ts made.
    chargeLane(scheduler.lane(spec.id, { concurrency: spec.concurrency }), run.budget.charge('judge', spec.model, false));
    if (batch) chargeLane(scheduler.lane(`${spec.id}#batch`, { concurrency: 1 }), run.budget.charge('judge', spec.model, true));
  }
  const wires = [...new Set(panel.specs.map((s) => s.model))];
  const price = wires.length === 0 ? 'free' : wires.length === 1 ? run.config.prices[wires[0]!] : undefined;
  run.progress?.startJudge(`judge ${panel.id}`, price);
}

function pricingOf(run: HookedRun): { prices: Config['prices']; configHash: string } {
  return run.budget
    ? { prices: run.budget.o.prices, configHash: run.budget.o.configHash }
    : { prices: run.config.prices, configHash: contentHash(run.config) };
}

/**
 * Hands every cell already in the run (its effective transcript) to the pipeline, which skips the
 * cells already judged and re-attempts the judgments that failed.
 */
async function submitUnjudged(dir: string, pipeline: JudgePipeline, signal: AbortSignal): Promise<void> {
  for await (const { value } of readEffective(runFile(dir, 'transcripts'), TranscriptSchema)) {
    if (signal.aborted) return;
    await pipeline.submit(value);
  }
}
