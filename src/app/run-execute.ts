import type { AppContext } from '../core/context.js';
import type { Manifest } from '../records/manifest.js';
import { isSyntheticAnswer, SYNTHETIC_NOTE } from '../records/synthetic.js';
import { runCells } from '../stages/run/run-loop.js';
import { closeRun } from './run-finish.js';
import type { OpenedRun } from './run-open.js';
import type { RunCommandOptions } from './run-options.js';

/**
 * Runs the cells still to do, feeding progress and hooks. Whatever happens (Ctrl-C, a storage
 * failure), the final manifest is written and the store closed before this returns or throws.
 */
export async function executeRun(run: OpenedRun, opts: RunCommandOptions, ctx: AppContext): Promise<Manifest['status']> {
  const { manifest, progress, hooks } = run;
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
      signal: ctx.signal,
      onTranscript: async (t) => {
        progress.record(t.modelId, {
          errored: t.error !== null,
          inputTokens: t.response?.usage.inputTokens ?? 0,
          outputTokens: t.response?.usage.outputTokens ?? 0,
        });
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
