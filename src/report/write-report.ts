import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { DiffFileSchema, GateResultSchema, type DiffFile, type DiffSide, type GateResult } from '../analysis/diff-types.js';
import { ProfileFileSchema, type ProfileFile } from '../analysis/profile-types.js';
import { InputError } from '../errors.js';
import { ManifestSchema } from '../runner/manifest.js';
import type { CliContext } from '../cli/context.js';
import type { Block } from './blocks.js';
import { loadChartEngine, type ChartEngineLoader } from './chart-engine.js';
import { diffReport } from './content-diff.js';
import { profileReport, type ProfilePair } from './content-profile.js';
import { diffView, sideLabels } from './diff-view.js';
import { writeHtmlPage } from './html-page.js';
import { profileView } from './profile-view.js';
import { readJsonFile } from './read-json.js';
import { planCharts, renderCharts } from './render-charts.js';
import { renderMarkdown } from './render-markdown.js';
import { streamCells, type CellSource } from './transcript-data.js';
import type { DiffView } from './view-model.js';

export interface WriteReportOptions {
  ctx: Pick<CliContext, 'cwd' | 'env'>;
  /** Output directory; defaults to the input directory. */
  out?: string;
  /** false = --no-charts. */
  charts?: boolean;
  /** Tests inject a failing loader to exercise the no-canvas path. */
  chartLoader?: ChartEngineLoader;
}

export interface ReportResult {
  kind: 'run' | 'diff';
  outDir: string;
  files: string[];
  charts: number;
  chartsSkipped: string | null;
  transcripts: number;
  notes: string[];
}

const ALPHA = 0.05;

interface Prepared {
  title: string;
  blocks: Block[];
  pairs: ProfilePair[];
  diff: DiffView | null;
  sources: CellSource[];
}

async function prepareRun(dir: string, notes: string[]): Promise<Prepared> {
  const manifest = await readJsonFile(path.join(dir, 'manifest.json'), ManifestSchema, 'the run directory is damaged; re-run or re-import it');
  const profile = await readJsonFile(path.join(dir, 'profile.json'), ProfileFileSchema, `re-create it with: valuescope profile ${dir}`);
  const hasTranscripts = await exists(path.join(dir, 'transcripts.jsonl'));
  if (!manifest && !profile && !hasTranscripts) {
    throw new InputError(`${dir} is neither a run directory (manifest.json, transcripts.jsonl, profile.json) nor a diff directory (diff.json): pass a directory written by valuescope run, profile or diff`);
  }
  const pairs = (profile?.models ?? []).map((m) => ({ profile: m, view: profileView(m, ALPHA) }));
  if (!profile) notes.push(`no profile.json in ${dir}: the report shows transcripts only; run \`valuescope judge ${dir}\` and \`valuescope profile ${dir}\` for the profile and charts`);
  const shell: ProfileFile = profile ?? emptyProfile(manifest?.runId ?? path.basename(dir), dir);
  const { title, blocks } = profileReport(shell, manifest, pairs);
  return { title, blocks: profile ? blocks : blocks.filter((b) => b.kind === 'list' || b.kind === 'para'), pairs, diff: null, sources: hasTranscripts ? [{ runDir: dir, modelId: null }] : [] };
}

function emptyProfile(runId: string, runDir: string): ProfileFile {
  return {
    v: 1, kind: 'profile', generatedAt: '', harnessVersion: '', runDir, runId, suiteHash: null,
    settings: { resamples: 0, seed: 0, level: 0.95, interval: 'cluster-bootstrap-percentile (scenarios resampled within domain)' },
    models: [], notes: [],
  };
}

/** A side's run directory as recorded in diff.json: absolute, or relative to cwd or to the diff directory. */
async function sideRunDir(side: DiffSide, dir: string, cwd: string): Promise<string | null> {
  const candidates = path.isAbsolute(side.runDir) ? [side.runDir] : [path.resolve(cwd, side.runDir), path.resolve(dir, side.runDir)];
  for (const c of candidates) if (await exists(c)) return c;
  return null;
}

async function prepareDiff(dir: string, diff: DiffFile, cwd: string, notes: string[]): Promise<Prepared> {
  const gate: GateResult | null = await readJsonFile(path.join(dir, 'gate.json'), GateResultSchema, `re-create it with valuescope gate`);
  const view = diffView(diff, gate);
  const labels = sideLabels(diff);
  const pairs: ProfilePair[] = [];
  const sources: CellSource[] = [];
  for (const [side, label] of [[diff.base, labels.base], [diff.cand, labels.cand]] as const) {
    const runDir = await sideRunDir(side, dir, cwd);
    if (!runDir) {
      notes.push(`run directory ${side.runDir} (${label}) not found: its profile charts and transcripts are left out`);
      continue;
    }
    const profile = await readJsonFile(path.join(runDir, 'profile.json'), ProfileFileSchema, `re-create it with: valuescope profile ${runDir}`);
    const m = profile?.models.find((x) => x.modelId === side.modelId);
    if (m) pairs.push({ profile: m, view: profileView(m, ALPHA, label) });
    else notes.push(`no profile for ${side.modelId} in ${runDir}: run valuescope profile ${runDir}`);
    if (label === labels.cand && m) {
      for (const h of m.watchlist.hits) if (!view.watchlistHits.some((w) => w.value === h.value)) view.watchlistHits.push({ value: h.value, count: h.cells, cells: h.cellIds });
    }
    sources.push({ runDir, modelId: side.modelId, label });
  }
  const { title, blocks } = diffReport(diff, view, gate, pairs);
  return { title, blocks, pairs, diff: view, sources };
}

/**
 * Writes report.md, report.html and charts/*.png for a run directory or a diff directory.
 * `run`, `diff` and `gate` call this at their end; `valuescope report` calls it directly.
 */
export async function writeReport(dir: string, options: WriteReportOptions): Promise<ReportResult> {
  const inDir = path.resolve(options.ctx.cwd, dir);
  const outDir = options.out ? path.resolve(options.ctx.cwd, options.out) : inDir;
  const notes: string[] = [];
  const diff = await readJsonFile(path.join(inDir, 'diff.json'), DiffFileSchema, `re-create it with valuescope diff`);
  const prepared = diff ? await prepareDiff(inDir, diff, options.ctx.cwd, notes) : await prepareRun(inDir, notes);
  await fsp.mkdir(outDir, { recursive: true });
  const wantCharts = options.charts !== false;
  const specs = planCharts(prepared.pairs.map((p) => p.view), prepared.diff);
  const engine = wantCharts ? (specs.length > 0 ? await loadChartEngine(options.chartLoader) : { unavailable: 'no charts: nothing to chart yet' }) : 'disabled';
  const charts = await renderCharts(specs, outDir, engine);
  if (options.ctx.env.VALUESCOPE_REQUIRE_CHARTS === '1' && wantCharts && specs.length > 0 && charts.skipped) {
    throw new InputError(`VALUESCOPE_REQUIRE_CHARTS=1 but ${charts.skipped}`);
  }
  const blocks = notes.length > 0 ? [...prepared.blocks, { kind: 'heading', level: 3, text: 'Report notes' } as Block, { kind: 'list', items: notes } as Block] : prepared.blocks;
  const md = path.join(outDir, 'report.md');
  await fsp.writeFile(md, renderMarkdown(prepared.title, blocks, charts));
  const html = path.join(outDir, 'report.html');
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
  return {
    kind: diff ? 'diff' : 'run',
    outDir,
    files: [md, html, ...charts.charts.map((c) => path.join(outDir, c.href))],
    charts: charts.charts.length,
    chartsSkipped: charts.skipped,
    transcripts: cells,
    notes,
  };
}

async function exists(p: string): Promise<boolean> {
  return fsp.access(p).then(
    () => true,
    () => false,
  );
}
