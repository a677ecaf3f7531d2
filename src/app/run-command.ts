import type { AppContext } from '../core/context.js';
import { withRunFlags } from './run-batch.js';
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
  const c = prepared.ctx;
  try {
    // The dry run prices what the run would do: --batch included.
    if (opts.dryRun) return await printDryRun(withRunFlags(prepared, opts), c);
    const run = await openRun(prepared, opts, c);
    let finished = false;
    try {
      const status = await executeRun(run, opts, c);
      const code = await finishRun(run, status, c);
      finished = true;
      return code;
    } finally {
      // Released last: the pipelined judge's drain and the final manifest write happen under the lock,
      // and a failed run first stops its judge (nothing may write once another process can).
      if (!finished) await run.hooks?.abort?.().catch(() => undefined);
      await run.store.close().catch(() => undefined);
    }
  } catch (e) {
    // The CLI boundary prints the message: it must not carry a secret either.
    if (e instanceof Error) e.message = prepared.scrub(e.message);
    throw e;
  }
}
