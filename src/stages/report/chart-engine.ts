/**
 * Loads the optional chart stack (chart.js + chartjs-node-canvas + the native `canvas` module)
 * lazily. When it cannot load, reports still work and say why charts are missing.
 * Types are declared here, not imported, so the project type-checks without the optional packages.
 */

/** A chart.js configuration (kept loose: chart.js types are an optional dependency). */
export interface ChartConfig {
  type: string;
  data: unknown;
  options?: unknown;
  plugins?: unknown[];
}

/** The subset of CanvasRenderingContext2D the hand-drawn charts use. */
export interface Canvas2D {
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
  save(): void;
  restore(): void;
  translate(x: number, y: number): void;
  rotate(angle: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
}

interface ChartSize {
  width: number;
  height: number;
}

interface ChartEngine {
  /** Renders a chart.js configuration to a PNG. */
  render(config: ChartConfig, size: ChartSize): Promise<Buffer>;
  /** Draws directly on a white canvas (charts chart.js has no type for, e.g. heat maps) and returns a PNG. */
  draw(size: ChartSize, paint: (ctx: Canvas2D) => void): Buffer;
}

export type ChartEngineLoader = () => Promise<ChartEngine>;

const CANVAS_FIX = 'install build-essential libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev, then npm rebuild canvas';

export const FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";

export type ChartEngineResult = { engine: ChartEngine } | { unavailable: string };

/** Tries the loader; on failure returns the message reports print instead of charts. */
export async function loadChartEngine(loader: ChartEngineLoader = loadNodeCanvasEngine): Promise<ChartEngineResult> {
  try {
    return { engine: await loader() };
  } catch (e) {
    const detail = (e as Error)?.message?.split('\n')[0] ?? String(e);
    return { unavailable: `charts skipped: the native canvas module could not load (${CANVAS_FIX}). Cause: ${detail}` };
  }
}

interface NodeCanvasModule {
  createCanvas(w: number, h: number): { getContext(kind: '2d'): Canvas2D; toBuffer(mime: 'image/png'): Buffer };
}
interface ChartJsNodeCanvasModule {
  ChartJSNodeCanvas: new (o: {
    width: number;
    height: number;
    backgroundColour?: string;
    chartCallback?: (chartJs: { defaults: { font: { family: string; size: number }; color: string } }) => void;
  }) => { renderToBuffer(config: ChartConfig, mime?: 'image/png'): Promise<Buffer> };
}

/** The real loader: dynamic imports so a missing or broken native module never breaks startup. */
async function loadNodeCanvasEngine(): Promise<ChartEngine> {
  const canvasName = 'canvas';
  const cjncName = 'chartjs-node-canvas';
  const canvasMod = (await import(canvasName)) as NodeCanvasModule & { default?: NodeCanvasModule };
  const canvas = canvasMod.default ?? canvasMod;
  const cjncMod = (await import(cjncName)) as ChartJsNodeCanvasModule & { default?: ChartJsNodeCanvasModule };
  const cjnc = cjncMod.ChartJSNodeCanvas ? cjncMod : (cjncMod.default as ChartJsNodeCanvasModule);
  // Probe the native binding now, so a broken build is reported once, up front.
  canvas.createCanvas(1, 1).toBuffer('image/png');
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
            chartJs.defaults.font.family = FONT_FAMILY;
            chartJs.defaults.font.size = 14;
            chartJs.defaults.color = '#222222';
          },
        });
        renderers.set(key, r);
      }
      return r.renderToBuffer(config, 'image/png');
    },
    draw(size, paint) {
      const c = canvas.createCanvas(size.width, size.height);
      const ctx = c.getContext('2d');
      ctx.fillStyle = 'white';
      ctx.fillRect(0, 0, size.width, size.height);
      paint(ctx);
      return c.toBuffer('image/png');
    },
  };
}
