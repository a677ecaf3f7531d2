import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { LoadedConfig } from '../config/load-config.js';
import type { AppContext } from '../core/context.js';
import { EXIT } from '../core/errors.js';
import { type HistoryFile, historyDrifted } from '../records/history.js';
import { HISTORY_FILES, historyFile, runFile } from '../records/run-files.js';
import { buildHistory } from '../stages/analyze/history/build-history.js';
import { historyCsv } from '../stages/analyze/history/history-csv.js';
import { loadHistorySides } from '../stages/analyze/history/history-sides.js';
import { loadChartEngine } from '../stages/report/chart-engine.js';
import { historyCharts } from '../stages/report/charts/history-lines.js';
import { changeText, metricText, runLabel, summaryText } from '../stages/report/history-format.js';
import { historyHtml } from '../stages/report/history-html.js';
import { historyMarkdown } from '../stages/report/history-markdown.js';
import { type ChartsOutcome, renderCharts } from '../stages/report/render-charts.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { maybeConfig, requireComplete, safeName, watchlistOf } from './analysis-options.js';
import { asOnlyWriter } from './lock-options.js';

export interface HistoryFlags {
  target?: string;
  out?: string;
  config?: string;
  /** Comma-separated metric keys (repeatable). */
  metrics?: string[];
  allowSuiteMismatch?: boolean;
  allowJudgeMismatch?: boolean;
  allowIncomplete?: boolean;
  /** Exit 1 when a change is flagged or the served model changed. */
  failOnDrift?: boolean;
  /** false with --no-charts. */
  charts?: boolean;
}

/** The gate's metric rules (forbid rules guard no share). */
function gateMetricRules(cfg: LoadedConfig | null): { name: string; metric: string; domain?: string | undefined }[] {
  return (cfg?.config.gate.rules ?? []).flatMap((r) => ('metric' in r ? [{ name: r.name, metric: r.metric, domain: r.domain }] : []));
}

/** --out, else `<config outDir, or ./results>/history-<target>`. */
function outDirOf(flags: HistoryFlags, cfg: LoadedConfig | null, target: string, ctx: AppContext): string {
  if (flags.out) return path.resolve(ctx.cwd, flags.out);
  const results = cfg ? path.resolve(cfg.dir, cfg.config.outDir) : path.resolve(ctx.cwd, 'results');
  return path.join(results, `history-${safeName(target)}`);
}

/** Charts of an earlier history in the same directory that this one does not draw (e.g. a metric group since dropped). */
async function removeStaleCharts(outDir: string, kept: ChartsOutcome): Promise<void> {
  const dir = runFile(outDir, 'charts');
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const keep = new Set(kept.charts.map((c) => c.file));
  for (const n of names) if (/^history-.*\.png$/.test(n) && !keep.has(n)) await fsp.rm(path.join(dir, n), { force: true });
}

function printSummary(h: HistoryFile, outDir: string, charts: ChartsOutcome, ctx: AppContext): void {
  for (const w of h.warnings) ctx.stderr.write(`warning: ${w}\n`);
  for (const c of h.comparisons) for (const w of c.warnings) ctx.stderr.write(`warning: ${runLabel(h.runs[c.to]!, c.to)}: ${w}\n`);
  const lines = [summaryText(h)];
  for (const c of h.comparisons) {
    for (const ch of c.changes.filter((x) => x.flagged))
      lines.push(
        `  flagged: ${metricText(ch.metric)}, ${runLabel(h.runs[c.from]!, c.from)} -> ${runLabel(h.runs[c.to]!, c.to)}: ${changeText(ch)}`,
      );
    if (c.modelChange)
      lines.push(`  ${c.modelChange.kind === 'model' ? 'model changed' : 'fingerprint changed'}: ${c.modelChange.message}`);
  }
  if (charts.skipped) lines.push(charts.skipped);
  const shown = path.relative(ctx.cwd, outDir) || outDir;
  const pngs = charts.charts.length > 0 ? ` and ${charts.charts.length} charts under charts/` : '';
  lines.push(`wrote ${shown}/${Object.values(HISTORY_FILES).join(', ')}${pngs}`);
  ctx.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * `valuescope history SPEC...`: one target's key metrics over runs (or baseline files) in date order,
 * consecutive runs compared as diff compares them, one BH correction over all the changes. Everything
 * is read and checked before the output directory is created; exit 0, or 1 with --fail-on-drift when
 * a change is flagged or the served model changed.
 */
export async function historyCommand(specs: readonly string[], flags: HistoryFlags, ctx: AppContext): Promise<number> {
  const cfg = await maybeConfig(flags.config, ctx);
  const { sides, warnings } = await loadHistorySides({ specs, target: flags.target, cwd: ctx.cwd, watchlist: watchlistOf(cfg) });
  const incomplete = requireComplete(
    sides.map((s) => ({ run: s.run, modelId: s.table.modelId })),
    { allowIncomplete: flags.allowIncomplete === true, cfg },
  );
  const history = buildHistory(sides, {
    alpha: cfg?.config.gate.alpha,
    allowSuiteMismatch: flags.allowSuiteMismatch === true,
    allowJudgeMismatch: flags.allowJudgeMismatch === true,
    metrics: flags.metrics,
    watchlist: watchlistOf(cfg),
    gateRules: gateMetricRules(cfg),
    warnings: [...incomplete, ...warnings],
    now: ctx.now,
  });
  const outDir = outDirOf(flags, cfg, history.target, ctx);
  const json = `${JSON.stringify(history, null, 2)}\n`;
  const csv = historyCsv(history);
  const md = historyMarkdown(history);
  await asOnlyWriter(outDir, 'history', ctx, async () => {
    const engine = flags.charts === false ? 'disabled' : await loadChartEngine();
    const charts = await renderCharts(historyCharts(history), outDir, engine);
    if (charts.skipped === null) await removeStaleCharts(outDir, charts);
    await writeFileAtomic(historyFile(outDir, 'history'), json);
    await writeFileAtomic(historyFile(outDir, 'historyCsv'), csv);
    await writeFileAtomic(historyFile(outDir, 'historyMarkdown'), md);
    await writeFileAtomic(historyFile(outDir, 'historyHtml'), historyHtml(history, charts));
    printSummary(history, outDir, charts, ctx);
  });
  if (flags.failOnDrift !== true || !historyDrifted(history)) return EXIT.ok;
  const { flagged, modelChanges } = history.summary;
  ctx.stderr.write(
    `history: ${flagged} flagged change${flagged === 1 ? '' : 's'}, ${modelChanges} served model change${modelChanges === 1 ? '' : 's'} -> exit 1 (--fail-on-drift)\n`,
  );
  return EXIT.gateFailed;
}
