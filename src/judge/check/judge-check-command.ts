import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { loadConfig } from '../../config/load-config.js';
import { EXIT } from '../../errors.js';
import type { CliContext } from '../../cli/context.js';
import { systemClock } from '../../runner/clock.js';
import { Scheduler } from '../../runner/scheduler.js';
import { buildPanel } from '../panel.js';
import { formatCheckReport } from './check-metrics.js';
import { runJudgeCheck } from './run-check.js';

export interface JudgeCheckOptions {
  config: string;
  judge?: string[] | undefined;
  json?: string | undefined;
}

/** `valuescope judge-check GOLD.jsonl`: the judge measured against gold labels. */
export async function judgeCheckCommand(goldFile: string, opts: JudgeCheckOptions, ctx: CliContext): Promise<number> {
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
  if (opts.json) await fsp.writeFile(path.resolve(ctx.cwd, opts.json), JSON.stringify(report, null, 2) + '\n', 'utf8');
  return report.errors.length > 0 ? EXIT.runErrors : EXIT.ok;
}
