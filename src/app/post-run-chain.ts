import path from 'node:path';
import { readEffective } from '../records/effective-records.js';
import { RUN_FILES, runFile } from '../records/run-files.js';
import { TranscriptSchema } from '../records/transcript.js';
import { formatJudgeSummary } from '../stages/judge/judge-summary.js';
import { createJudgePipeline, type JudgePipeline } from '../stages/judge/pipeline.js';
import { selfJudgingWarnings } from '../stages/judge/self-judging.js';
import type { RunHooks, RunHooksFactory } from './run-options.js';

/**
 * Pipelined judging for `valuescope run`: every finished transcript is handed to the judge while
 * the run goes on; the summary is printed when the run ends. Built before the first cell runs, so a
 * missing judge key or a judge that differs from the run's earlier judgments fails the run early.
 */
export const judgeRunHooks: RunHooksFactory = async (run): Promise<RunHooks | undefined> => {
  if (!run.judge || !run.config.judge.pipelined) return undefined;
  const pipeline = await createJudgePipeline({ runDir: run.dir, config: run.config, dir: run.configDir, ctx: run.ctx, scrub: run.scrub });
  const rel = path.relative(run.ctx.cwd, run.dir) || run.dir;
  run.ctx.stderr.write(`Judging as transcripts arrive with ${pipeline.panel.id} [${pipeline.panel.models.join(', ')}]\n`);
  for (const w of selfJudgingWarnings(pipeline.panel.specs, run.manifest.models)) run.ctx.stderr.write(`warning: ${w}\n`);
  // A resumed run judges the cells written before it stopped but never judged, alongside the new ones.
  // Its failure (the pipeline's own) is kept, not left unhandled, and rethrown at finish.
  const catchUp = submitUnjudged(run.dir, pipeline, run.ctx.signal).then(
    () => undefined,
    (e: unknown) => ({ failed: e }),
  );
  return {
    onTranscript: (t) => pipeline.submit(t),
    finish: async ({ status }) => {
      const caught = await catchUp;
      if (caught) throw caught.failed;
      const summary = await pipeline.drain();
      run.ctx.stdout.write(formatJudgeSummary(summary));
      if (status === 'interrupted' || summary.cells < run.manifest.counts.done) {
        run.ctx.stderr.write(`Judge the remaining cells with:\n  valuescope judge ${rel}\n`);
        return { incomplete: true };
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
