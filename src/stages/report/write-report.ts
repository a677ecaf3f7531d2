import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../core/context.js';
import { InputError } from '../../core/errors.js';
import { DiffFileSchema, GateResultSchema } from '../../records/diff.js';
import { diffFile, runFile } from '../../records/run-files.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { Block } from './blocks.js';
import { type ChartEngineLoader, loadChartEngine } from './chart-engine.js';
import { writeHtmlPage } from './html-page.js';
import { prepareDiff } from './prepare-diff.js';
import { prepareRun } from './prepare-run.js';
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
  const prepared = diff || gate ? await prepareDiff(inDir, diff, gate, options.ctx.cwd, notes) : await prepareRun(inDir, notes);
  await fsp.mkdir(outDir, { recursive: true });
  const wantCharts = options.charts !== false;
  const specs = planCharts(
    prepared.pairs.map((p) => p.view),
    prepared.diff,
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
  const blocks = [
    ...incompleteBanner([...new Set([...(options.incomplete ?? []), ...prepared.incomplete])]),
    ...prepared.blocks,
    ...(notes.length > 0 ? [{ kind: 'heading', level: 3, text: 'Report notes' } as Block, { kind: 'list', items: notes } as Block] : []),
  ];
  const html = runFile(outDir, 'reportHtml');
  const { cells } = await writeHtmlPage({
    file: html,
    title: prepared.title,
    blocks,
    charts,
    cells: async (emit) => {
      let n = 0;
      for (const src of prepared.sources) n += await streamCells(src, emit, notes);
      return n;
    },
  });
  // After the page, which reads every transcript and is what fails on bad input: then either both
  // reports are new or both are as they were.
  const md = runFile(outDir, 'reportMarkdown');
  await writeFileAtomic(md, renderMarkdown(prepared.title, blocks, charts));
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

/** First thing on the page when the input is incomplete: a reader must not take it for a finished run. */
function incompleteBanner(reasons: string[]): Block[] {
  if (reasons.length === 0) return [];
  return [
    { kind: 'heading', level: 2, text: 'INCOMPLETE INPUT' },
    { kind: 'para', strong: true, text: 'This report describes input that is not complete; its figures may not hold for the whole run:' },
    { kind: 'list', items: reasons },
  ];
}
