import type { AppContext } from '../core/context.js';
import { EXIT } from '../core/errors.js';
import type { Manifest } from '../records/manifest.js';
import type { OpenedRun } from './run-open.js';
import type { RunCommandOptions } from './run-options.js';

/** Stops the progress display, writes the final manifest and closes the store; says how to resume an interrupted run. */
export async function closeRun(
  run: OpenedRun,
  status: Manifest['status'],
  opts: RunCommandOptions,
  ctx: AppContext,
  o: { strict: boolean },
): Promise<void> {
  const { manifest, store } = run;
  run.progress.stop();
  manifest.status = status;
  manifest.finishedAt = status === 'interrupted' ? null : ctx.now().toISOString();
  let lost: unknown;
  await store.writeManifest(manifest).catch((e: unknown) => {
    lost = e;
  });
  await store.close().catch(() => undefined);
  // Not strict when the run already failed: that error is reported, and the transcripts are the
  // source of truth on resume. Otherwise a run whose final manifest is lost did not finish cleanly.
  if (lost !== undefined && o.strict) throw lost;
  if (status === 'interrupted')
    ctx.stderr.write(
      `Run interrupted. Continue it with:\n  valuescope run --resume ${run.runRel}${opts.config ? ` --config ${opts.config}` : ''}\n`,
    );
}

/** After the run is closed: the post-run chain (hooks), the per-model summary, and the exit code. */
export async function finishRun(run: OpenedRun, status: Manifest['status'], ctx: AppContext): Promise<number> {
  const { manifest } = run;
  const after = await run.hooks?.finish?.({ status, signal: ctx.signal });
  for (const line of run.progress.lines()) ctx.stdout.write(`${line}\n`);
  ctx.stdout.write(
    `Run ${manifest.runId}: ${status}, ${manifest.counts.done}/${manifest.counts.planned} cells, ${manifest.counts.errored} errored -> ${run.runRel}\n`,
  );
  if (status === 'interrupted' || after?.incomplete) return EXIT.runErrors;
  return manifest.counts.errored > 0 ? EXIT.runErrors : EXIT.ok;
}
