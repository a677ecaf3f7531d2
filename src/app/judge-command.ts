import { existsSync } from 'node:fs';
import path from 'node:path';
import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import type { AppContext } from '../core/context.js';
import { EXIT } from '../core/errors.js';
import { hasJournaledBatches } from '../records/batch-journal.js';
import { RUN_FILES, runFile } from '../records/run-files.js';
import { readManifest } from '../records/run-store.js';
import { judgeRun } from '../stages/judge/judge-run.js';
import { formatJudgeSummary, writeJudgeSpend } from '../stages/judge/judge-summary.js';
import { selfJudgingWarnings } from '../stages/judge/self-judging.js';
import { asOnlyWriterOf } from './lock-options.js';
import { scrubbedContext } from './secrets.js';

export interface JudgeCommandOptions {
  config: string;
  judge?: string[] | undefined;
  force?: boolean | undefined;
  /** `--batch`: judge.mode batch for this pass. */
  batch?: boolean | undefined;
}

/** `valuescope judge RUN_DIR`. Exit 3 when some cells could not be judged (or the judging was interrupted). */
export async function judgeCommand(runDir: string, opts: JudgeCommandOptions, outer: AppContext): Promise<number> {
  const file = await loadConfig(opts.config, { env: outer.env, cwd: outer.cwd });
  // Flags resolved into the config once, so everything below sees the mode really used. A run
  // whose judge batched before keeps batching: asking synchronously would pay again for its batches.
  const journaled = !opts.force && (await hasJournaledBatches(runFile(path.resolve(outer.cwd, runDir), 'judgeBatches')));
  if (journaled && !opts.batch && file.config.judge.mode !== 'batch')
    outer.stderr.write(
      `valuescope: judging in batch mode: this run's judge has batches in flight (${RUN_FILES.judgeBatches}); they are reattached\n`,
    );
  const batch = opts.batch === true || journaled;
  const loaded: LoadedConfig = batch ? { ...file, config: { ...file.config, judge: { ...file.config.judge, mode: 'batch' } } } : file;
  const { ctx: c, scrubber } = scrubbedContext(outer, loaded.config);
  try {
    return await judgeWith(runDir, opts, loaded, c, (t) => scrubber.scrub(t));
  } catch (e) {
    if (e instanceof Error) e.message = scrubber.scrub(e.message);
    throw e;
  }
}

async function judgeWith(
  runDir: string,
  opts: JudgeCommandOptions,
  loaded: LoadedConfig,
  ctx: AppContext,
  scrub: (t: string) => string,
): Promise<number> {
  const dir = path.resolve(ctx.cwd, runDir);
  // Judgments copied without their run have no manifest; a manifest that is there must be readable.
  const manifest = existsSync(runFile(dir, 'manifest')) ? await readManifest(dir) : null;
  const summary = await asOnlyWriterOf(dir, 'judge', ctx, async () =>
    // judge-summary.json gets the judge's spend at this config's prices, written under the same lock.
    writeJudgeSpend(
      dir,
      await judgeRun({
        runDir: dir,
        config: loaded.config,
        dir: loaded.dir,
        names: opts.judge,
        force: opts.force === true,
        ctx,
        scrub,
        onPanel: (panel) => {
          for (const w of selfJudgingWarnings(panel.specs, manifest?.models ?? [])) ctx.stderr.write(`warning: ${w}\n`);
        },
      }),
      { prices: loaded.config.prices, configHash: loaded.hash },
    ),
  );
  ctx.stdout.write(formatJudgeSummary(summary));
  if (ctx.signal.aborted) {
    ctx.stderr.write(`Judging interrupted. Continue with:\n  valuescope judge ${runDir}\n`);
    return EXIT.runErrors;
  }
  return summary.errors > 0 ? EXIT.runErrors : EXIT.ok;
}
