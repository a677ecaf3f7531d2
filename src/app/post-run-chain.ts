import path from 'node:path';
import { formatJudgeSummary } from '../stages/judge/judge-summary.js';
import { createJudgePipeline } from '../stages/judge/pipeline.js';
import { selfJudgingWarnings } from '../stages/judge/self-judging.js';
import type { RunHooks, RunHooksFactory } from './run-options.js';

/**
 * Pipelined judging for `valuescope run`: every finished transcript is handed to the judge while
 * the run goes on; the summary is printed when the run ends. Built before the first cell runs, so a
 * missing judge key or a judge that differs from the run's earlier judgments fails the run early.
 */
export const judgeRunHooks: RunHooksFactory = async (run): Promise<RunHooks | undefined> => {
  if (!run.judge || !run.config.judge.pipelined) return undefined;
  const pipeline = await createJudgePipeline({ runDir: run.dir, config: run.config, dir: run.configDir, ctx: run.ctx });
  const rel = path.relative(run.ctx.cwd, run.dir) || run.dir;
  run.ctx.stderr.write(`Judging as transcripts arrive with ${pipeline.panel.id} [${pipeline.panel.models.join(', ')}]\n`);
  for (const w of selfJudgingWarnings(pipeline.panel.specs, run.manifest.models)) run.ctx.stderr.write(`warning: ${w}\n`);
  return {
    onTranscript: (t) => pipeline.submit(t),
    finish: async ({ status }) => {
      const summary = await pipeline.drain();
      run.ctx.stdout.write(formatJudgeSummary(summary));
      if (status === 'interrupted' || summary.cells < run.manifest.counts.done) {
        run.ctx.stderr.write(`Judge the remaining cells with:\n  valuescope judge ${rel}\n`);
        return;
      }
      // Every cell is judged: finish the stage chain so the run directory is ready to read.
      const { writeRunProfile } = await import('./profile-command.js');
      const { gate, watchlist } = run.config;
      const file = await writeRunProfile(run.dir, { resamples: gate.resamples, seed: gate.seed, watchlist, now: run.ctx.now });
      run.ctx.stdout.write(`wrote ${path.relative(run.ctx.cwd, file) || file}\n`);
      if (run.report !== false) await (await import('./report-command.js')).autoReport(run.dir, run.ctx);
    },
  };
};
