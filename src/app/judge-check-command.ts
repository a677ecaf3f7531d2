import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Scheduler } from '../calls/scheduler.js';
import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import { systemClock } from '../core/clock.js';
import type { AppContext } from '../core/context.js';
import { EXIT, InputError, UsageError } from '../core/errors.js';
import { runFile } from '../records/run-files.js';
import { readManifest } from '../records/run-store.js';
import { DEFAULT_BOOTSTRAP } from '../stages/judge/check/bootstrap.js';
import { type CheckReport, checkReport } from '../stages/judge/check/check-metrics.js';
import { formatCheckReport } from '../stages/judge/check/format-check.js';
import { checkRunIds, type GoldFile, readGoldFiles } from '../stages/judge/check/gold-files.js';
import { judgeGoldItems, prepareGold, scoresRun } from '../stages/judge/check/run-check.js';
import { scoreRunJudgments } from '../stages/judge/check/run-judgments.js';
import { readRunLabels } from '../stages/judge/check/run-labels.js';
import { valueKeyOf } from '../stages/judge/check/score-item.js';
import { buildPanel, type JudgePanel } from '../stages/judge/panel.js';
import { loadTaxonomy, resolveTaxonomyPath, type Taxonomy } from '../taxonomy/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export interface JudgeCheckOptions {
  config: string;
  judge?: string[] | undefined;
  json?: string | undefined;
  /**
   * A run directory: the result is recorded there (RUN/judge-check.json); gold items naming its cells
   * are scored against its judgments; without gold files its labels.jsonl is the gold.
   */
  run?: string | undefined;
  /** Write the gold as scored (several annotators combined into one label per item) as JSONL. */
  combinedOut?: string | undefined;
  seed?: number | undefined;
  resamples?: number | undefined;
}

/** Only an existing run directory (checked before any judge call): a typo must not create a folder no report reads. */
async function requireRunDir(dir: string): Promise<{ dir: string; runId: string }> {
  if (!(await fsp.stat(runFile(dir, 'manifest')).catch(() => null)))
    throw new InputError(`--run ${dir}: not a run directory (no manifest.json): pass a directory written by valuescope run or import`);
  return { dir, runId: (await readManifest(dir)).runId };
}

function panelOf(loaded: LoadedConfig, opts: JudgeCheckOptions, ctx: AppContext): Promise<JudgePanel> {
  return buildPanel({
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
}

/** The taxonomy alone, when no judge is called (the config's tree, as the judge maps with). */
function taxonomyOf(loaded: LoadedConfig, ctx: AppContext): Promise<Taxonomy> {
  const t = loaded.config.taxonomy;
  return loadTaxonomy({ path: t.path ? resolveTaxonomyPath(t.path, loaded.dir, ctx.env) : undefined, threshold: t.threshold });
}

async function readGold(goldFiles: readonly string[], run: { dir: string; runId: string } | null, ctx: AppContext): Promise<GoldFile[]> {
  if (goldFiles.length > 0) return readGoldFiles(goldFiles.map((g) => path.resolve(ctx.cwd, g)));
  if (!run) throw new UsageError('judge-check needs gold: pass GOLD.jsonl file(s), or --run RUN for a run imported with --label-column');
  return [await readRunLabels(run.dir, run.runId)];
}

/** `valuescope judge-check GOLD.jsonl...`: the judge measured against gold labels. */
export async function judgeCheckCommand(goldFiles: string[], opts: JudgeCheckOptions, ctx: AppContext): Promise<number> {
  if (opts.resamples !== undefined && opts.resamples < 1) throw new UsageError('--resamples must be at least 1 (2000 is the default)');
  const run = opts.run ? await requireRunDir(path.resolve(ctx.cwd, opts.run)) : null;
  const files = await readGold(goldFiles, run, ctx);
  if (run) checkRunIds(files, run.runId, opts.run!);
  const loaded = await loadConfig(opts.config, { env: ctx.env, cwd: ctx.cwd });
  const fromRun = scoresRun(files, run);
  // Scoring recorded judgments calls no judge: no panel, so no API key is needed.
  const panel = fromRun ? null : await panelOf(loaded, opts, ctx);
  const key = valueKeyOf(panel?.taxonomy ?? (await taxonomyOf(loaded, ctx)));
  const { items, annotators } = prepareGold(files, key);
  if (opts.combinedOut) await writeFileAtomic(path.resolve(ctx.cwd, opts.combinedOut), items.map((i) => `${JSON.stringify(i)}\n`).join(''));
  const boot = {
    ...DEFAULT_BOOTSTRAP,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.resamples !== undefined ? { resamples: opts.resamples } : {}),
  };
  const head = { goldFiles: goldFiles.length > 0 ? files.map((f) => f.file) : [], items: items.length, annotators };
  let report: CheckReport;
  if (run && fromRun) {
    const { scored, ...s } = await scoreRunJudgments(run.dir, items, key);
    report = checkReport({ ...head, ...s, source: 'run', runId: run.runId, errors: [] }, scored, boot);
  } else {
    const s = await judgeGoldItems(panel!, items, key, { now: ctx.now, signal: ctx.signal });
    report = checkReport(
      { ...head, judgeId: panel!.id, judgeModels: panel!.models, source: 'judge', runId: null, notScored: [], errors: s.errors },
      s.scored,
      boot,
    );
  }
  ctx.stdout.write(formatCheckReport(report));
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (opts.json) await fsp.writeFile(path.resolve(ctx.cwd, opts.json), json, 'utf8');
  if (run) await writeFileAtomic(runFile(run.dir, 'judgeCheck'), json);
  return report.errors.length > 0 ? EXIT.runErrors : EXIT.ok;
}
