import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Scheduler } from '../calls/scheduler.js';
import { loadConfig } from '../config/load-config.js';
import { systemClock } from '../core/clock.js';
import type { AppContext } from '../core/context.js';
import { EXIT } from '../core/errors.js';
import { formatCheckReport } from '../stages/judge/check/check-metrics.js';
import { runJudgeCheck } from '../stages/judge/check/run-check.js';
import { buildPanel } from '../stages/judge/panel.js';

export interface JudgeCheckOptions {
  config: string;
  judge?: string[] | undefined;
  json?: string | undefined;
}

/** `valuescope judge-check GOLD.jsonl`: the judge measured against gold labels. */
export async function judgeCheckCommand(goldFile: string, opts: JudgeCheckOptions, ctx: AppContext): Promise<number> {
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
  if (opts.json) await fsp.writeFile(path.resolve(ctx.cwd, opts.json), `${JSON.stringify(report, null, 2)}\n`, 'utf8');
  return report.errors.length > 0 ? EXIT.runErrors : EXIT.ok;
}
