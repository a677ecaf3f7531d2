import type { Budget } from '../calls/budget.js';
import type { AppContext } from '../core/context.js';
import type { Manifest } from '../records/manifest.js';
import { NO_USAGE } from '../records/spend.js';
import { isSyntheticAnswer, SYNTHETIC_NOTE } from '../records/synthetic.js';
import { runCells } from '../stages/run/run-loop.js';
import { chargeModelLanes } from './run-budget.js';
import { closeRun } from './run-finish.js';
import type { OpenedRun } from './run-open.js';
import type { RunCommandOptions } from './run-options.js';

/**
 * Runs the cells still to do, feeding progress and hooks. Whatever happens (Ctrl-C, a storage
 * failure), the final manifest is written and the store closed before this returns or throws.
 * With a budget (run-budget.ts), every model attempt is charged to it, and its stop (the max cost
 * reached) ends the loop as a first Ctrl-C does: no new cell, cells cut short are not written.
 */
export async function executeRun(
  run: OpenedRun & { budget?: Budget | undefined },
  opts: RunCommandOptions,
  ctx: AppContext,
): Promise<Manifest['status']> {
  const { manifest, progress, hooks, budget } = run;
  if (budget) chargeModelLanes(run.runtimes.values(), budget, run.loaded.config);
  let status: Manifest['status'] = 'interrupted';
  let failed = true;
  try {
    const result = await runCells({
      cells: run.todo,
      models: run.runtimes,
      store: run.store,
      cache: run.cache,
      clock: run.clock,
      random: run.random,
      now: ctx.now,
      signal: budget ? AbortSignal.any([ctx.signal, budget.signal]) : ctx.signal,
      priorFailures: run.resumed?.finished.cells,
      onTranscript: async (t) => {
        // An answer not requested for this run (response cache, --reuse-from) costs it nothing.
        progress.record(t.modelId, { errored: t.error !== null, reused: t.cached, ...(t.response?.usage ?? NO_USAGE) });
        // Reports say SYNTHETIC for a run answered by the local test server (records/synthetic.ts).
        if (t.response && isSyntheticAnswer(t.response.text) && !manifest.notes.includes(SYNTHETIC_NOTE))
          manifest.notes.push(SYNTHETIC_NOTE);
        await hooks?.onTranscript?.(t);
      },
    });
    manifest.counts.done += result.written;
    manifest.counts.errored += result.errored;
    status = result.interrupted ? 'interrupted' : manifest.counts.errored > 0 ? 'completed_with_errors' : 'completed';
    if (result.cacheHits > 0) ctx.stderr.write(`${result.cacheHits} cells answered from the response cache\n`);
    failed = false;
  } finally {
    // After a failure the first error is the one to report; otherwise a lost final manifest is one.
    await closeRun(run, status, opts, ctx, { strict: !failed });
  }
  return status;
}
