import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../core/context.js';
import { InputError } from '../../core/errors.js';
import { DiffFileSchema, type GateResult, GateResultSchema } from '../../records/diff.js';
import { diffFile, runFile } from '../../records/run-files.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { Block } from './blocks.js';
import { type ChartEngineLoader, loadChartEngine } from './chart-engine.js';
import { writeHtmlPage } from './html-page.js';
import { prepareDiff } from './prepare-diff.js';
import { prepareRun } from './prepare-run.js';
import type { Prepared } from './prepared.js';
import { readJsonFile } from './read-json.js';
import { planCharts, renderCharts } from './render-charts.js';
import { renderMarkdown } from './render-markdown.js';
import { streamCells } from './transcript-data.js';

export interface WriteReportOptions {
  ctx: Pick<AppContext, 'cwd' | 'env'>;
  /** Output directory; defaults to the input directory. */
  out?: string;
  /** false = --no-charts. */
  charts?: boolean;
  /** Why the input is incomplete (`report --allow-incomplete`): shown at the top, with the input's own such notes. */
  incomplete?: string[];
  /** Tests inject a failing loader to exercise the no-canvas path. */
  chartLoader?: ChartEngineLoader;
}

export interface ReportResult {
  kind: 'run' | 'diff' | 'gate';
  outDir: string;
  files: string[];
  charts: number;
  chartsSkipped: string | null;
  transcripts: number;
  notes: string[];
}

/**
 * Writes report.md, report.html and charts/*.png for a run directory or a diff directory.
 * `run`, `diff` and `gate` call this at their end; `valuescope report` calls it directly.
 */
export async function writeReport(dir: string, options: WriteReportOptions): Promise<ReportResult> {
  const inDir = path.resolve(options.ctx.cwd, dir);
  const outDir = options.out ? path.resolve(options.ctx.cwd, options.out) : inDir;
  const notes: string[] = [];
  const diff = await readJsonFile(diffFile(inDir, 'diff'), DiffFileSchema, 're-create it with valuescope diff');
  const gate = await readJsonFile(diffFile(inDir, 'gate'), GateResultSchema, 're-create it with valuescope gate --out DIR');
  const prepared =
    diff || gate ? await prepareDiff(inDir, diff, gate, options.ctx, notes) : await prepareRun(inDir, options.ctx.env, notes);
  await fsp.mkdir(outDir, { recursive: true });
  const wantCharts = options.charts !== false;
  const specs = planCharts(
    prepared.pairs.map((p) => p.view),
    prepared.diff,
    { synthetic: prepared.synthetic },
  );
  const engine = wantCharts
    ? specs.length > 0
      ? await loadChartEngine(options.chartLoader)
      : { unavailable: 'no charts: nothing to chart yet' }
    : 'disabled';
  const charts = await renderCharts(specs, outDir, engine);
  if (options.ctx.env.VALUESCOPE_REQUIRE_CHARTS === '1' && wantCharts && specs.length > 0 && charts.skipped) {
    throw new InputError(`VALUESCOPE_REQUIRE_CHARTS=1 but ${charts.skipped}`);
  }
  const blocks = pageBlocks(prepared, options.incomplete ?? [], notes);
  const html = runFile(outDir, 'reportHtml');
  const { cells } = await writeHtmlPage({
    file: html,
    title: prepared.title,
    blocks,
    charts,
    cells: async (emit) => {
      let n = 0;
      const extras = {
        watchlist: prepared.watchlist,
        ...(prepared.changedScenarios ? { changedScenarios: prepared.changedScenarios } : {}),
      };
      for (const src of prepared.sources) n += await streamCells(src, emit, notes, extras);
      return n;
    },
    ...(prepared.examples ? { examples: prepared.examples } : {}),
  });
  // After the page, which reads every transcript and is what fails on bad input: then either both
  // reports are new or both are as they were.
  const md = runFile(outDir, 'reportMarkdown');
  // Built again: reading the transcripts may have added notes (a torn last line), which the Markdown can still list.
  await writeFileAtomic(md, renderMarkdown(prepared.title, pageBlocks(prepared, options.incomplete ?? [], notes), charts));
  return {
    kind: prepared.kind,
    outDir,
    files: [md, html, ...charts.charts.map((c) => path.join(outDir, c.href))],
    charts: charts.charts.length,
    chartsSkipped: charts.skipped,
    transcripts: cells,
    notes,
  };
}

/** Banners first (SYNTHETIC, INCOMPLETE INPUT), the report's own blocks, then what the report noticed while reading. */
function pageBlocks(prepared: Prepared, incomplete: readonly string[], notes: readonly string[]): Block[] {
  return [
    ...(prepared.synthetic ? [SYNTHETIC_BANNER] : []),
    ...incompleteBanner([...new Set([...incomplete, ...prepared.incomplete])]),
    ...prepared.blocks,
    ...(notes.length > 0 ? [{ kind: 'heading', level: 3, text: 'Report notes' } as Block, { kind: 'list', items: notes } as Block] : []),
  ];
}

/**
 * The gate's GitHub step summary: the same Markdown as a gate report's report.md (summary first,
 * SYNTHETIC when it is), built in memory for a gate run without --out. No charts: a step summary
 * cannot link to files.
 */
export async function gateSummaryMarkdown(gate: GateResult, ctx: Pick<AppContext, 'cwd' | 'env'>): Promise<string> {
  const notes: string[] = [];
  const prepared = await prepareDiff(ctx.cwd, null, gate, ctx, notes, false);
  const blocks = [
    ...(prepared.synthetic ? [SYNTHETIC_BANNER] : []),
    ...incompleteBanner(prepared.incomplete),
    ...prepared.blocks.filter((b) => b.kind !== 'charts' && !(b.kind === 'heading' && b.id === 'charts')),
  ];
  return renderMarkdown(prepared.title, blocks, { charts: [], skipped: null });
}

/** First on the page for a run answered by the local test server (records/synthetic.ts). */
const SYNTHETIC_BANNER: Block = {
  kind: 'banner',
  tone: 'synthetic',
  title: 'SYNTHETIC:',
  text: 'the answers in this report come from the valuescope local test server, not from a real model. Its figures demonstrate the tool; they say nothing about any model.',
};

/** First thing on the page when the input is incomplete: a reader must not take it for a finished run. */
function incompleteBanner(reasons: string[]): Block[] {
  if (reasons.length === 0) return [];
  return [
    { kind: 'heading', level: 2, text: 'INCOMPLETE INPUT' },
    { kind: 'para', strong: true, text: 'This report describes input that is not complete; its figures may not hold for the whole run:' },
    { kind: 'list', items: reasons },
  ];
}
