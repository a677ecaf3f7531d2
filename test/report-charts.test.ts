import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileFileSchema } from '../src/records/profile.js';
import { runFile } from '../src/records/run-files.js';
import { type ChartConfig, loadChartEngine } from '../src/stages/report/chart-engine.js';
import { profileView } from '../src/stages/report/profile-view.js';
import { planCharts, renderCharts } from '../src/stages/report/render-charts.js';
import { fixtureDiff, fixtureModel } from './report-fixtures.js';
import { writeRunFixture } from './report-run-fixture.js';

const requireCharts = process.env.VALUESCOPE_REQUIRE_CHARTS === '1';

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('charts', async () => {
  const engine = await loadChartEngine();
  const available = 'engine' in engine;
  if (!available && requireCharts) it('canvas must load when VALUESCOPE_REQUIRE_CHARTS=1', () => expect.fail(engine.unavailable));
  if (!available && !requireCharts) it.skip(`skipped: ${'unavailable' in engine ? engine.unavailable : ''}`, () => undefined);

  it.runIf(available)('renders every planned chart as a PNG of the planned size', async () => {
    const out = process.env.VALUESCOPE_CHART_OUT ?? mkdtempSync(path.join(tmpdir(), 'vs-charts-'));
    const models = [fixtureModel('claude-a', 0), fixtureModel('claude-b', 1)];
    const specs = planCharts(models, fixtureDiff());
    const result = await renderCharts(specs, out, engine);
    expect(result.skipped).toBeNull();
    expect(result.charts.map((c) => c.file)).toEqual([
      'forest-plot.png',
      'category-shares.png',
      'response-types.png',
      'response-types-claude-a.png',
      'response-types-claude-b.png',
      'top-values.png',
      'heat-map-claude-a.png',
      'heat-map-claude-b.png',
    ]);
    for (const [i, c] of result.charts.entries()) {
      expect(pngSize(c.png)).toEqual({ width: specs[i]!.width, height: specs[i]!.height });
      expect(c.png.length).toBeGreaterThan(10_000);
      expect(c.alt.length).toBeGreaterThan(40);
    }
  });

  it.runIf(available)('renders the charts of a real profile.json, with intervals, marked synthetic', async () => {
    const out = process.env.VALUESCOPE_CHART_OUT
      ? path.join(process.env.VALUESCOPE_CHART_OUT, 'profiled')
      : mkdtempSync(path.join(tmpdir(), 'vs-charts-'));
    const run = mkdtempSync(path.join(tmpdir(), 'vs-charts-run-'));
    writeRunFixture(run, ['model-x', 'model-y']);
    const file = ProfileFileSchema.parse(JSON.parse(readFileSync(runFile(run, 'profile'), 'utf8')));
    const specs = planCharts(
      file.models.map((m) => profileView(m)),
      null,
      { synthetic: true },
    );
    const result = await renderCharts(specs, out, engine);
    expect(result.charts.map((c) => c.file)).toEqual(
      expect.arrayContaining(['category-responses.png', 'response-types.png', 'top-values.png']),
    );
    for (const [i, c] of result.charts.entries()) {
      expect(pngSize(c.png)).toEqual({ width: specs[i]!.width, height: specs[i]!.height });
      expect(c.png.length).toBeGreaterThan(10_000);
      expect(c.title.startsWith('SYNTHETIC — ')).toBe(true);
    }
  });

  it.runIf(available)('draws error bars and matrices through the registered plugin chart types', async () => {
    if (!('engine' in engine)) return;
    const size = { width: 400, height: 300 };
    const bars = (withIntervals: boolean): ChartConfig => ({
      type: 'barWithErrorBars',
      data: {
        labels: ['a', 'b'],
        datasets: [
          { label: 'm', backgroundColor: '#0072B2', data: [{ y: 40, ...(withIntervals ? { yMin: 20, yMax: 70 } : {}) }, { y: 60 }] },
        ],
      },
      options: { responsive: false, animation: false, scales: { y: { min: 0, max: 100 } } },
    });
    const [plain, whiskered] = [await engine.engine.render(bars(false), size), await engine.engine.render(bars(true), size)];
    expect(pngSize(whiskered)).toEqual(size);
    expect(whiskered.equals(plain)).toBe(false);
    // A renderer of another size loads its own chart.js: the plugins must be registered on that one too.
    const matrix = await engine.engine.render(
      { type: 'matrix', data: { datasets: [{ label: 'm', data: [{ x: 0, y: 0 }], backgroundColor: '#08519C', width: 40, height: 40 }] } },
      { width: 320, height: 240 },
    );
    expect(pngSize(matrix)).toEqual({ width: 320, height: 240 });
    await expect(engine.engine.render({ type: 'noSuchChartType', data: { datasets: [{ data: [1] }] } }, size)).rejects.toThrow();
  });
});

describe('charts without canvas', () => {
  it('reports why and how to fix, renders nothing', async () => {
    const engine = await loadChartEngine(async () => {
      throw new Error("Cannot find module 'canvas'");
    });
    expect('unavailable' in engine && engine.unavailable).toContain(
      'charts skipped: the native canvas module could not load (install build-essential libcairo2-dev',
    );
    const result = await renderCharts(planCharts([fixtureModel('m', 0)], null), mkdtempSync(path.join(tmpdir(), 'vs-nocanvas-')), engine);
    expect(result.charts).toEqual([]);
    expect(result.skipped).toContain('npm rebuild canvas');
  });
});
