import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileFileSchema } from '../src/records/profile.js';
import { RESPONSE_TYPES } from '../src/records/response-types.js';
import { runFile } from '../src/records/run-files.js';
import { VITW_SERIES_LABEL } from '../src/stages/report/charts/category-shares.js';
import { type ChartSpec, SYNTHETIC_PREFIX, wrap } from '../src/stages/report/charts/common.js';
import { FOREST_GROUPS, forestPlot } from '../src/stages/report/charts/forest-plot.js';
import { heatMap } from '../src/stages/report/charts/heat-map.js';
import { modelColours } from '../src/stages/report/palette.js';
import { profileView } from '../src/stages/report/profile-view.js';
import { planCharts } from '../src/stages/report/render-charts.js';
import type { ChangeView, DisproportionateCell, ModelProfileView } from '../src/stages/report/view-model.js';
import { fixtureDiff, fixtureModel } from './report-fixtures.js';
import { writeRunFixture } from './report-run-fixture.js';

/** The parts of a chart.js config these tests read. */
interface Dataset {
  label: string;
  type?: string;
  data: Record<string, number | null>[];
  backgroundColor?: string | string[];
  borderColor?: string | string[];
  borderWidth?: number | number[];
  errorBarColor?: string;
  pointStyle?: string;
}
interface LegendItem {
  text: string;
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
}
interface Config {
  type: string;
  data: { labels?: (string | string[])[]; datasets: Dataset[] };
  options: {
    plugins: {
      title: { text: string[] };
      subtitle: { text: string[] | string };
      legend: { labels: { filter?: (i: { datasetIndex: number }) => boolean; generateLabels?: () => LegendItem[] } };
    };
    scales: Record<string, { ticks: { callback: (v: number) => unknown } }>;
  };
}
const cfg = (s: ChartSpec): Config => s.config as unknown as Config;
const byFile = (specs: ChartSpec[], file: string): ChartSpec => {
  const s = specs.find((x) => x.file === file);
  if (!s) throw new Error(`no ${file} in ${specs.map((x) => x.file).join(', ')}`);
  return s;
};
const pct = (v: number) => Math.round(v * 1000) / 10;

function change(label: string, delta: number, significant: boolean): ChangeView {
  return {
    label,
    metric: 'response_type:no_values',
    name: 'no values',
    aliases: [],
    concern: null,
    domain: null,
    base: 0.3,
    candidate: 0.3 + delta,
    delta,
    lo: delta - 0.04,
    hi: delta + 0.04,
    p: 0.01,
    significant,
  };
}

/** Views of a real profile.json (written by the run fixture), so the intervals are the file's. */
function profiledViews(): { views: ModelProfileView[]; metrics: Record<string, { lo: number | null; hi: number | null }>[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'vs-chart-profile-'));
  writeRunFixture(dir, ['model-x', 'model-y']);
  const file = ProfileFileSchema.parse(JSON.parse(readFileSync(runFile(dir, 'profile'), 'utf8')));
  return { views: file.models.map((m) => profileView(m)), metrics: file.models.map((m) => m.overall.metrics) };
}

describe('forest plot', () => {
  const long = 'response type: no values (= 1 − any value expressed; = 1 − refusal: none)';
  const rows = [
    change(`${long} (ai-and-tech-ethics)`, 0.12, true),
    change(`${long} (jailbreak-roleplay)`, -0.08, false),
    change(`value: ${'x'.repeat(70)}`, 0.02, false),
  ];

  it('draws every label in full, wrapped over lines, the canvas growing with the rows', () => {
    const spec = forestPlot(rows, 'claude-a (base)', 'claude-a (candidate)')!;
    const c = cfg(spec);
    const labels = c.data.labels as string[][];
    expect(labels[0]!.join(' ')).toBe(rows[0]!.label);
    expect(labels[1]!.join(' ')).toBe(rows[1]!.label);
    expect(labels[2]!.join('').replace(/ /g, '')).toBe(rows[2]!.label.replace(/ /g, ''));
    expect(labels.flat().some((l) => l.includes('…'))).toBe(false);
    expect(labels[0]!.length).toBeGreaterThan(1);
    expect(c.options.scales.y!.ticks.callback(1)).toEqual(labels[1]);
    const many = forestPlot(fixtureDiff().changes, 'a', 'b')!;
    expect(many.height).toBeGreaterThan(spec.height);
  });

  it('tells significance by colour and marker shape; the legend shows exactly the markers drawn', () => {
    const c = cfg(forestPlot(rows, 'a', 'b')!);
    const markers = c.data.datasets.filter((d) => d.type === 'scatter');
    const intervals = c.data.datasets.filter((d) => d.type === undefined);
    expect(markers.map((d) => d.label)).toEqual(FOREST_GROUPS.map((g) => g.label));
    const [sig, not] = FOREST_GROUPS;
    expect(sig.colour).not.toBe(not.colour);
    expect(sig.pointStyle).not.toBe(not.pointStyle);
    const filter = c.options.plugins.legend.labels.filter!;
    expect(c.data.datasets.map((_, i) => filter({ datasetIndex: i }))).toEqual([true, true, false, false]);
    markers.forEach((m, i) => {
      expect(m.borderColor).toBe(intervals[i]!.errorBarColor);
    });
    expect(markers[0]!.data).toEqual([{ x: 12, y: 0 }]);
    expect(intervals[1]!.data[0]).toEqual({ x: -8, y: 1, xMin: -12, xMax: -4 });
    const onlyNot = cfg(forestPlot([rows[1]!], 'a', 'b')!);
    expect(onlyNot.data.datasets.filter((d) => d.type === 'scatter').map((d) => d.label)).toEqual(['not significant']);
  });

  it('lists the numbers in its alt text', () => {
    const spec = forestPlot(rows, 'a', 'b')!;
    expect(spec.alt).toContain(`${rows[0]!.label} +12.0 [+8.0, +16.0] significant`);
    expect(spec.alt).toContain('-8.0 [-12.0, -4.0]');
  });
});

describe('heat map', () => {
  const cell = (domain: string, value: string, residual: number, significant = true): DisproportionateCell => ({
    domain,
    value,
    residual,
    significant,
  });

  it('is skipped when there is no matrix to draw (one cell, one domain or one value)', () => {
    expect(heatMap([cell('d1', 'v1', 5)], 'm')).toBeNull();
    expect(heatMap([cell('d1', 'v1', 5), cell('d1', 'v2', 4)], 'm')).toBeNull();
    expect(heatMap([cell('d1', 'v1', 5), cell('d2', 'v1', 4)], 'm')).toBeNull();
    expect(heatMap([cell('d1', 'v1', 5), cell('d2', 'v2', -4)], 'm')).toBeNull();
    expect(heatMap([cell('d1', 'v1', 5), cell('d2', 'v2', 4)], 'm')).not.toBeNull();
  });

  it('sizes the canvas to its rows and columns, with full labels', () => {
    const small = heatMap([cell('d1', 'v1', 5), cell('d2', 'v2', 4)], 'm')!;
    const big = heatMap(fixtureModel('claude-a', 0).disproportionate, 'claude-a')!;
    expect(big.width).toBeGreaterThan(small.width);
    expect(big.height).toBeGreaterThan(small.height);
    const c = cfg(big);
    const columns = [0, 1, 2, 3, 4, 5, 6].map((i) => c.options.scales.x!.ticks.callback(i) as string[]);
    expect(columns.map((l) => l.join(''))).toContain('marketing-and-persuasion');
    expect(c.options.scales.y!.ticks.callback(0)).toEqual(expect.any(Array));
  });

  it('explains its colours in the legend and marks significant cells', () => {
    const cells = [cell('d1', 'v1', 6.5), cell('d2', 'v2', 2.5, false), cell('d2', 'v1', 3.2), cell('d1', 'v2', -1)];
    const c = cfg(heatMap(cells, 'm')!);
    const d = c.data.datasets[0]!;
    const legendItems = c.options.plugins.legend.labels.generateLabels!();
    for (const colour of new Set(d.backgroundColor as string[])) expect(legendItems.map((l) => l.fillStyle)).toContain(colour);
    const sig = legendItems.find((l) => l.text.startsWith('significant'))!;
    // Rows: v1 (best residual 6.5) then v2; columns d1, d2.
    expect(d.data).toEqual([
      { x: 0, y: 0, v: 6.5, significant: true },
      { x: 1, y: 0, v: 3.2, significant: true },
      { x: 0, y: 1, v: null, significant: false },
      { x: 1, y: 1, v: 2.5, significant: false },
    ]);
    expect(d.borderColor).toEqual([sig.strokeStyle, sig.strokeStyle, '#D0D0D0', '#D0D0D0']);
    expect(d.borderWidth).toEqual([sig.lineWidth, sig.lineWidth, 1, 1]);
    expect(new Set(d.backgroundColor).size).toBe(4);
  });
});

describe('bar charts with intervals', () => {
  it('draws the profile.json interval of every response type and category as error bars', () => {
    const { views, metrics } = profiledViews();
    const specs = planCharts(views, null);
    const types = cfg(byFile(specs, 'response-types.png'));
    expect(types.type).toBe('barWithErrorBars');
    views.forEach((v, m) => {
      RESPONSE_TYPES.forEach((t, i) => {
        const p = metrics[m]![`response_type:${t}`]!;
        expect(v.responseTypes[i]).toMatchObject({ lo: p.lo, hi: p.hi });
        expect(types.data.datasets[m]!.data[i]).toMatchObject({ yMin: pct(p.lo!), yMax: pct(p.hi!) });
      });
    });
    expect(types.options.plugins.subtitle.text.toString()).toContain('whiskers');
    const cats = cfg(byFile(specs, 'category-responses.png'));
    const practical = metrics[0]!['category:l3:Practical values']!;
    expect(cats.data.datasets[0]!.data[0]).toMatchObject({ yMin: pct(practical.lo!), yMax: pct(practical.hi!) });
    const top = cfg(byFile(specs, 'top-values.png'));
    expect(top.data.datasets[0]!.data[0]).toMatchObject({ xMin: pct(metrics[0]!['value:honesty']!.lo!) });
  });

  it('promises no interval it does not draw', () => {
    const specs = planCharts([fixtureModel('a', 0)], null);
    const types = cfg(byFile(specs, 'response-types.png'));
    expect(types.data.datasets[0]!.data.every((d) => d.yMin === undefined)).toBe(true);
    expect(types.options.plugins.subtitle.text.toString()).toContain('no intervals drawn');
    expect(cfg(byFile(specs, 'category-shares.png')).options.plugins.subtitle.text.toString()).toContain('No intervals drawn');
    expect(cfg(byFile(specs, 'response-types-a.png')).options.plugins.subtitle.text.toString()).toContain('no intervals are drawn');
  });

  it('keeps Values in the Wild out of the response-type charts and labels it as another population', () => {
    const specs = planCharts([fixtureModel('a', 0), fixtureModel('b', 1)], null);
    for (const s of specs.filter((x) => x.file.startsWith('response-types')))
      expect(cfg(s).data.datasets.some((d) => /wild/i.test(d.label))).toBe(false);
    expect(cfg(byFile(specs, 'category-shares.png')).data.datasets.at(-1)!.label).toBe(
      'Values in the Wild (observational, real traffic — a different population)',
    );
    expect(VITW_SERIES_LABEL).toContain('a different population');
  });
});

describe('one colour per model', () => {
  const colourOf = (specs: ChartSpec[], model: string) =>
    cfg(byFile(specs, 'category-shares.png')).data.datasets.find((d) => d.label === model)!.backgroundColor;

  it('gives a model the same colour whatever the order or the other models', () => {
    const ids = ['claude-sonnet-4-5', 'gpt-5', 'gemini-2.5-pro', 'local-llama'];
    const a = modelColours(ids);
    const b = modelColours([...ids].reverse());
    for (const id of ids) expect(b.get(id)).toBe(a.get(id));
    expect(new Set(a.values()).size).toBe(ids.length);
    const run = planCharts([fixtureModel('claude-b', 1), fixtureModel('claude-a', 0)], null);
    const diff = planCharts([fixtureModel('claude-a', 0), fixtureModel('claude-b', 1)], fixtureDiff());
    expect(colourOf(run, 'claude-a')).toBe(colourOf(diff, 'claude-a'));
    expect(colourOf(run, 'claude-b')).toBe(colourOf(diff, 'claude-b'));
  });

  it('tells the two sides of a one-model diff apart, the base keeping the model colour', () => {
    const c = modelColours(['m (base)', 'm (candidate)']);
    expect(c.get('m (base)')).not.toBe(c.get('m (candidate)'));
    expect(c.get('m (base)')).toBe(modelColours(['m']).get('m'));
  });
});

describe('synthetic charts', () => {
  const models = [fixtureModel('claude-a', 0), fixtureModel('claude-b', 1)];

  it('prefix every title, in the spec and in the PNG, with SYNTHETIC', () => {
    const specs = planCharts(models, fixtureDiff(), { synthetic: true });
    expect(specs.length).toBeGreaterThan(5);
    for (const s of specs) {
      expect(s.title.startsWith(SYNTHETIC_PREFIX)).toBe(true);
      expect(cfg(s).options.plugins.title.text.join(' ').startsWith('SYNTHETIC — ')).toBe(true);
    }
    for (const s of planCharts(models, fixtureDiff())) expect(cfg(s).options.plugins.title.text.join(' ')).not.toContain('SYNTHETIC');
  });
});

describe('wrap', () => {
  it('keeps every character and respects the width', () => {
    const text = 'when user states values, response type: strong resistance (marketing-and-persuasion)';
    for (const w of [30, 42, 60]) {
      const lines = wrap(text, w);
      expect(lines.join(' ')).toBe(text);
      expect(lines.every((l) => l.length <= w)).toBe(true);
    }
    expect(wrap('a'.repeat(25), 10)).toEqual(['a'.repeat(10), 'a'.repeat(10), 'a'.repeat(5)]);
    expect(wrap('marketing-and-persuasion', 14, true)).toEqual(['marketing-and-', 'persuasion']);
  });
});
