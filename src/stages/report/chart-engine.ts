/**
 * Loads the optional chart stack (chart.js + chartjs-node-canvas + the native `canvas` module, and the
 * error-bar and matrix chart types) lazily. When it cannot load, reports still work and say why charts
 * are missing. Types are declared here, not imported, so the project type-checks without the optional packages.
 */
import { createRequire } from 'node:module';

/** A chart.js configuration (kept loose: chart.js types are an optional dependency). */
export interface ChartConfig {
  type: string;
  data: unknown;
  options?: unknown;
  plugins?: unknown[];
}

interface ChartSize {
  width: number;
  height: number;
}

interface ChartEngine {
  /** Renders a chart.js configuration to a PNG. */
  render(config: ChartConfig, size: ChartSize): Promise<Buffer>;
}

export type ChartEngineLoader = () => Promise<ChartEngine>;

const CANVAS_FIX = 'install build-essential libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev, then npm rebuild canvas';
const PACKAGES_FIX = 'npm install --include=optional';

export const FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";

/** The chart types beyond chart.js's own, by package, and the classes each must register. */
const CHART_PLUGINS: Record<string, readonly string[]> = {
  'chartjs-chart-error-bars': ['BarWithErrorBarsController', 'BarWithErrorBar', 'ScatterWithErrorBarsController', 'PointWithErrorBar'],
  'chartjs-chart-matrix': ['MatrixController', 'MatrixElement'],
};

/** A JavaScript chart package (not the native canvas) is missing: the fix is an install, not a rebuild. */
class ChartPackageError extends Error {}

export type ChartEngineResult = { engine: ChartEngine } | { unavailable: string };

/** Tries the loader; on failure returns the message reports print instead of charts. */
export async function loadChartEngine(loader: ChartEngineLoader = loadNodeCanvasEngine): Promise<ChartEngineResult> {
  try {
    return { engine: await loader() };
  } catch (e) {
    const detail = (e as Error)?.message?.split('\n')[0] ?? String(e);
    if (e instanceof ChartPackageError)
      return { unavailable: `charts skipped: the optional chart packages could not load (${PACKAGES_FIX}). Cause: ${detail}` };
    return { unavailable: `charts skipped: the native canvas module could not load (${CANVAS_FIX}). Cause: ${detail}` };
  }
}

interface NodeCanvasModule {
  createCanvas(w: number, h: number): { toBuffer(mime: 'image/png'): Buffer };
}
interface ChartJsInstance {
  defaults: { font: { family: string; size: number }; color: string };
  register(...items: unknown[]): void;
}
interface ChartJsNodeCanvasModule {
  ChartJSNodeCanvas: new (o: {
    width: number;
    height: number;
    backgroundColour?: string;
    chartCallback?: (chartJs: ChartJsInstance) => void;
  }) => { renderToBuffer(config: ChartConfig, mime?: 'image/png'): Promise<Buffer> };
}

const requireHere = createRequire(import.meta.url);

/**
 * Requires a CommonJS module afresh, leaving the cache as it was. chartjs-node-canvas requires its own
 * chart.js per renderer and then evicts it from the cache; a plugin required inside chartCallback
 * then binds to that renderer's chart.js (still cached at that moment). A cached plugin would extend
 * an earlier renderer's chart.js, and an ESM import would extend the ESM chart.js: in both cases
 * the controllers would subclass a different chart.js than the one that draws.
 */
function freshRequire(name: string): Record<string, unknown> {
  const file = requireHere.resolve(name);
  const previous = requireHere.cache[file];
  delete requireHere.cache[file];
  try {
    return requireHere(file) as Record<string, unknown>;
  } finally {
    if (previous) requireHere.cache[file] = previous;
    else delete requireHere.cache[file];
  }
}

function registerChartPlugins(chartJs: ChartJsInstance): void {
  for (const [pkg, names] of Object.entries(CHART_PLUGINS)) {
    const mod = freshRequire(pkg);
    const items = names.map((n) => mod[n]);
    if (items.some((i) => i === undefined)) throw new ChartPackageError(`${pkg} does not export ${names.join(', ')}`);
    chartJs.register(...items);
  }
}

/** Fails early, with the package's name, when a chart type's package is not installed. */
function probeChartPlugins(): void {
  for (const pkg of ['chart.js', 'chartjs-node-canvas', ...Object.keys(CHART_PLUGINS)]) {
    try {
      requireHere.resolve(pkg);
    } catch (e) {
      throw new ChartPackageError(`${pkg}: ${(e as Error).message}`);
    }
  }
}

/** The real loader: dynamic imports so a missing or broken native module never breaks startup. */
async function loadNodeCanvasEngine(): Promise<ChartEngine> {
  const canvasName = 'canvas';
  const cjncName = 'chartjs-node-canvas';
  const canvasMod = (await import(canvasName)) as NodeCanvasModule & { default?: NodeCanvasModule };
  const canvas = canvasMod.default ?? canvasMod;
  // Probe the native binding now, so a broken build is reported once, up front.
  canvas.createCanvas(1, 1).toBuffer('image/png');
  probeChartPlugins();
  const cjncMod = (await import(cjncName)) as ChartJsNodeCanvasModule & { default?: ChartJsNodeCanvasModule };
  const cjnc = cjncMod.ChartJSNodeCanvas ? cjncMod : (cjncMod.default as ChartJsNodeCanvasModule);
  const renderers = new Map<string, InstanceType<ChartJsNodeCanvasModule['ChartJSNodeCanvas']>>();
  return {
    async render(config, size) {
      const key = `${size.width}x${size.height}`;
      let r = renderers.get(key);
      if (!r) {
        r = new cjnc.ChartJSNodeCanvas({
          width: size.width,
          height: size.height,
          backgroundColour: 'white',
          chartCallback: (chartJs) => {
            registerChartPlugins(chartJs);
            chartJs.defaults.font.family = FONT_FAMILY;
            chartJs.defaults.font.size = 14;
            chartJs.defaults.color = '#222222';
          },
        });
        renderers.set(key, r);
      }
      return r.renderToBuffer(config, 'image/png');
    },
  };
}
