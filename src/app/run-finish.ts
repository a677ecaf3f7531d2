import { type Budget, usd } from '../calls/budget.js';
import { pricer } from '../config/model-schema.js';
import type { AppContext } from '../core/context.js';
import { EXIT } from '../core/errors.js';
import type { Manifest } from '../records/manifest.js';
import { RUN_FILES } from '../records/run-files.js';
import { priceSpend, type Spend, spendTotals, tallyJudgeSpend, tallyModelSpend } from '../records/spend.js';
import { budgetStopText } from './run-budget.js';
import type { OpenedRun } from './run-open.js';
import type { RunCommandOptions } from './run-options.js';

type FinishingRun = OpenedRun & { budget?: Budget | undefined };

/**
 * Stops the progress display, writes the final manifest (with the run's spend) and closes the
 * transcript log; says how to resume an interrupted run (one stopped by its max cost says so at
 * the end, in finishRun). The run's lock stays held until runCommand releases it, after the judge
 * has drained and the manifest got its last spend: no second writer can start before then.
 */
export async function closeRun(
  run: FinishingRun,
  status: Manifest['status'],
  opts: RunCommandOptions,
  ctx: AppContext,
  o: { strict: boolean },
): Promise<void> {
  const { manifest, store } = run;
  run.progress.stop();
  manifest.status = status;
  manifest.finishedAt = status === 'interrupted' ? null : ctx.now().toISOString();
  if (run.budget?.stopped) manifest.notes = [...manifest.notes, stopNote(run.budget)];
  // The spend is derived from the files: failing to read them costs the figures, not the manifest.
  await recordSpend(run).catch(warnSpendLost(ctx));
  let lost: unknown;
  await store.writeManifest(manifest).catch((e: unknown) => {
    lost = e;
  });
  await store.closeLog().catch(() => undefined);
  await run.journal?.close().catch(() => undefined);
  // Not strict when the run already failed: that error is reported, and the transcripts are the
  // source of truth on resume. Otherwise a run whose final manifest is lost did not finish cleanly.
  if (lost !== undefined && o.strict) throw lost;
  if (status === 'interrupted' && !run.budget?.stopped)
    ctx.stderr.write(
      `Run interrupted. Continue it with:\n  valuescope run --resume ${run.runRel}${opts.config ? ` --config ${opts.config}` : ''}\n`,
    );
}

/**
 * manifest.spend from the run's files (records/spend.ts): every transcript line, and the judgments
 * written so far, at the prices of the config the run uses now.
 */
async function recordSpend(run: FinishingRun): Promise<void> {
  const dir = run.store.dir;
  const tally = { models: await tallyModelSpend(dir), judge: await tallyJudgeSpend(dir) };
  run.manifest.spend = priceSpend(tally, pricer(run.loaded.config.prices), run.loaded.hash);
}

/** After the run is closed: the post-run chain (hooks), the per-model and judge summary with the spend, and the exit code. */
export async function finishRun(run: FinishingRun, status: Manifest['status'], ctx: AppContext): Promise<number> {
  const { manifest } = run;
  const after = await run.hooks?.finish?.({ status, signal: ctx.signal });
  // The judge went on after the store closed: its spend joins the manifest once it is done.
  if (run.hooks)
    await recordSpend(run)
      .then(() => run.store.writeManifest(manifest))
      .catch(warnSpendLost(ctx));
  for (const line of run.progress.lines()) ctx.stdout.write(`${line}\n`);
  if (manifest.spend) ctx.stdout.write(spendText(manifest.spend));
  ctx.stdout.write(
    `Run ${manifest.runId}: ${status}, ${manifest.counts.done}/${manifest.counts.planned} cells, ${manifest.counts.errored} errored -> ${run.runRel}\n`,
  );
  if (run.budget?.stopped) {
    const notSent = manifest.counts.planned - manifest.counts.done;
    ctx.stderr.write(budgetStopText(run.budget, { notSent, runRel: run.runRel }));
  }
  if (status === 'interrupted' || after?.incomplete) return EXIT.runErrors;
  return manifest.counts.errored > 0 ? EXIT.runErrors : EXIT.ok;
}

function warnSpendLost(ctx: AppContext): (e: unknown) => void {
  return (e) => ctx.stderr.write(`warning: the run's spend could not be recorded in ${RUN_FILES.manifest} (${(e as Error).message})\n`);
}

function stopNote(budget: Budget): string {
  const s = budget.spent();
  return `stopped by ${budget.o.source} at ${usd(s.total)} of ${usd(budget.limitUsd ?? 0)} (models ${usd(s.models)}, judge ${usd(s.judge)})`;
}

/** "spend (whole run, config prices; cached and reused answers $0): models $0.12, judge $0.03, total $0.15". */
function spendText(s: Spend): string {
  const t = spendTotals(s);
  const part = (x: number | null, lines: Spend['models']): string =>
    x !== null
      ? usd(x)
      : `no price for ${Object.entries(lines)
          .filter(([, l]) => l.costUsd === null)
          .map(([k]) => k)
          .join(', ')}`;
  const total = t.models !== null && t.judge !== null ? `, total ${usd(t.models + t.judge)}` : '';
  return `spend (whole run, at the config's prices; cached and reused answers $0): models ${part(t.models, s.models)}, judge ${part(t.judge, s.judge)}${total}\n`;
}
