import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { runFile } from '../../records/run-files.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { ChartEngineResult } from './chart-engine.js';
import { categoryResponsesChart, categorySharesChart } from './charts/category-shares.js';
import { type ChartSpec, markSynthetic } from './charts/common.js';
import { forestPlot } from './charts/forest-plot.js';
import { heatMap } from './charts/heat-map.js';
import { responseTypesByDomainCharts, responseTypesChart } from './charts/response-types.js';
import { topValuesChart } from './charts/top-values.js';
import { modelColours } from './palette.js';
import type { ChangeView, DiffView, ModelProfileView } from './view-model.js';

interface RenderedChart {
  file: string;
  /** Path relative to the report directory, e.g. "charts/top-values.png". */
  href: string;
  title: string;
  alt: string;
  png: Buffer;
}

export interface ChartsOutcome {
  charts: RenderedChart[];
  /** Why charts are missing (canvas could not load, or --no-charts). */
  skipped: string | null;
}

export interface PlanOptions {
  /** The figures come from synthetic answers (demo, local server): every chart title says so. */
  synthetic?: boolean | undefined;
}

/**
 * The forest plot's rows: each overall quantity before any per-domain one (the tables' "each quantity
 * once" order), significant first within each, then by size.
 */
function overallFirst(changes: readonly ChangeView[]): ChangeView[] {
  const rank = (c: ChangeView) => (c.domain === null ? 0 : 2) + (c.significant ? 0 : 1);
  return [...changes].filter((c) => c.p !== undefined).sort((a, b) => rank(a) - rank(b) || Math.abs(b.delta) - Math.abs(a.delta));
}

/** Which charts a report has: the profile charts for every model, plus the forest plot for a diff. */
export function planCharts(models: readonly ModelProfileView[], diff: DiffView | null, options: PlanOptions = {}): ChartSpec[] {
  const colours = modelColours(models.map((m) => m.modelId));
  const specs: (ChartSpec | null)[] = [];
  if (diff) specs.push(forestPlot(overallFirst(diff.changes), diff.baseLabel, diff.candidateLabel));
  if (models.length > 0) specs.push(categorySharesChart(models, colours), categoryResponsesChart(models, colours));
  specs.push(responseTypesChart(models, colours), ...responseTypesByDomainCharts(models));
  specs.push(topValuesChart(models, colours));
  for (const m of models) specs.push(heatMap(m.disproportionate, m.modelId));
  const planned = specs.filter((s): s is ChartSpec => s !== null);
  return options.synthetic ? planned.map(markSynthetic) : planned;
}

/** Renders the planned charts into `<outDir>/charts/`. */
export async function renderCharts(
  specs: readonly ChartSpec[],
  outDir: string,
  engine: ChartEngineResult | 'disabled',
): Promise<ChartsOutcome> {
  if (engine === 'disabled') return { charts: [], skipped: 'charts skipped: --no-charts was given' };
  if ('unavailable' in engine) return { charts: [], skipped: engine.unavailable };
  const dir = runFile(outDir, 'charts');
  await fsp.mkdir(dir, { recursive: true });
  const charts: RenderedChart[] = [];
  for (const spec of specs) {
    const size = { width: spec.width, height: spec.height };
    const png = await engine.engine.render(spec.config, size);
    await writeFileAtomic(path.join(dir, spec.file), png);
    charts.push({ file: spec.file, href: `charts/${spec.file}`, title: spec.title, alt: spec.alt, png });
  }
  return { charts, skipped: null };
}
