import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Scheduler } from '../calls/scheduler.js';
import { loadConfig } from '../config/load-config.js';
import { systemClock } from '../core/clock.js';
import type { AppContext } from '../core/context.js';
import { EXIT, InputError } from '../core/errors.js';
import { runFile } from '../records/run-files.js';
import { formatCheckReport } from '../stages/judge/check/check-metrics.js';
import { runJudgeCheck } from '../stages/judge/check/run-check.js';
import { buildPanel } from '../stages/judge/panel.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export interface JudgeCheckOptions {
  config: string;
  judge?: string[] | undefined;
  json?: string | undefined;
  /** A run directory to record the result in (RUN/judge-check.json), for its reports' provenance. */
  run?: string | undefined;
}

/** Only an existing run directory (checked before any judge call): a typo must not create a folder no report reads. */
async function requireRunDir(dir: string): Promise<void> {
  if (!(await fsp.stat(runFile(dir, 'manifest')).catch(() => null)))
    throw new InputError(`--run ${dir}: not a run directory (no manifest.json): pass a directory written by valuescope run or import`);
}

/** `valuescope judge-check GOLD.jsonl`: the judge measured against gold labels. */
export async function judgeCheckCommand(goldFile: string, opts: JudgeCheckOptions, ctx: AppContext): Promise<number> {
  const runDir = opts.run ? path.resolve(ctx.cwd, opts.run) : null;
  if (runDir) await requireRunDir(runDir);
  const loaded = await loadConfig(opts.config, { env: ctx.env, cwd: ctx.cwd });
  const panel = await buildPanel({
    config: loaded.config,
    dir: loaded.dir,
    names: opts.judge,
    env: ctx.env,
    fetch: ctx.fetch,
    signal: ctx.signal,
    scheduler: new Scheduler({ clock: systemClock }),
    clock: systemClock,
    random: Math.random,
  });
  const report = await runJudgeCheck(path.resolve(ctx.cwd, goldFile), panel, { now: ctx.now, signal: ctx.signal });
  ctx.stdout.write(formatCheckReport(report));
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (opts.json) await fsp.writeFile(path.resolve(ctx.cwd, opts.json), json, 'utf8');
  if (runDir) await writeFileAtomic(runFile(runDir, 'judgeCheck'), json);
  return report.errors.length > 0 ? EXIT.runErrors : EXIT.ok;
}
