import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChartEngine } from '../src/stages/report/chart-engine.js';
import { planCharts, renderCharts } from '../src/stages/report/render-charts.js';
import { fixtureDiff, fixtureModel } from './report-fixtures.js';

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
