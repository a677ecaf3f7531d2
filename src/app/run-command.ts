import type { AppContext } from '../core/context.js';
import { executeRun } from './run-execute.js';
import { finishRun } from './run-finish.js';
import { openRun } from './run-open.js';
import type { RunCommandOptions } from './run-options.js';
import { prepareRun, printDryRun } from './run-prepare.js';

/**
 * `valuescope run`: load and check everything first, so invalid input writes nothing under results/;
 * then open the run directory, run the cells, and finish (final manifest, post-run chain, summary).
 */
export async function runCommand(opts: RunCommandOptions, ctx: AppContext): Promise<number> {
  const prepared = await prepareRun(opts, ctx);
  if (opts.dryRun) return printDryRun(prepared, ctx);
  const run = await openRun(prepared, opts, ctx);
  const status = await executeRun(run, opts, ctx);
  return finishRun(run, status, ctx);
}
