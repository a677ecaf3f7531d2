import cliProgress from 'cli-progress';
import { type Price, priceTokens } from '../../config/model-schema.js';
import type { Clock } from '../../core/clock.js';
import type { OutputStream } from '../../core/context.js';

interface ModelCounters {
  id: string;
  total: number;
  done: number;
  /** Cells already finished before this process started (resume): excluded from the rate. */
  preDone: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  price: Price | undefined;
  bar?: cliProgress.SingleBar;
}

export interface ProgressOptions {
  stream: OutputStream;
  clock: Clock;
  /** Period of the plain lines when the stream is not a TTY. */
  intervalMs: number;
}

/**
 * Per-model progress: a live multi-bar on a TTY, a plain line per model every `intervalMs`
 * otherwise (CI logs). Counts, tokens and cost are exact; ETA assumes the current rate holds.
 */
export class Progress {
  private readonly models = new Map<string, ModelCounters>();
  private multi: cliProgress.MultiBar | undefined;
  private ticker: AbortController | undefined;
  private startedAt = 0;

  constructor(private readonly options: ProgressOptions) {}

  start(models: { id: string; total: number; done: number; errors: number; price: Price | undefined }[]): void {
    this.startedAt = this.options.clock.now();
    const tty = this.options.stream.isTTY === true;
    if (tty) {
      this.multi = new cliProgress.MultiBar(
        {
          stream: this.options.stream as unknown as NodeJS.WritableStream,
          format: '{model} [{bar}] {value}/{total} | errors {errors} | tokens {tokens} | {cost} | ETA {eta_formatted}',
          hideCursor: true,
          clearOnComplete: false,
          barsize: 24,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
    }
    const width = Math.max(...models.map((m) => m.id.length));
    for (const m of models) {
      const c: ModelCounters = { ...m, preDone: m.done, inputTokens: 0, outputTokens: 0 };
      if (this.multi) c.bar = this.multi.create(m.total, m.done, this.payload(c, width));
      this.models.set(m.id, c);
    }
    if (!tty) this.tick();
  }

  record(modelId: string, cell: { errored: boolean; inputTokens: number; outputTokens: number }): void {
    const c = this.models.get(modelId);
    if (!c) return;
    c.done++;
    if (cell.errored) c.errors++;
    c.inputTokens += cell.inputTokens;
    c.outputTokens += cell.outputTokens;
    c.bar?.update(c.done, this.payload(c, Math.max(...[...this.models.keys()].map((k) => k.length))));
  }

  stop(): void {
    this.ticker?.abort();
    this.multi?.stop();
  }

  /** One line per model, as printed periodically without a TTY and once at the end. */
  lines(): string[] {
    const elapsed = (this.options.clock.now() - this.startedAt) / 1000;
    return [...this.models.values()].map((c) => {
      const fresh = c.done - c.preDone;
      const rate = elapsed > 0 ? fresh / elapsed : 0;
      const left = c.total - c.done;
      const eta = left === 0 ? 'done' : rate > 0 ? `ETA ${formatSeconds(left / rate)}` : 'ETA ?';
      return `${c.id}: ${c.done}/${c.total} done, ${c.errors} errors, ${c.inputTokens + c.outputTokens} tokens, ${formatCost(c)}, ${eta}`;
    });
  }

  totals(): { done: number; errors: number; total: number } {
    let done = 0,
      errors = 0,
      total = 0;
    for (const c of this.models.values()) {
      done += c.done;
      errors += c.errors;
      total += c.total;
    }
    return { done, errors, total };
  }

  private payload(c: ModelCounters, width: number): Record<string, string | number> {
    return { model: c.id.padEnd(width), errors: c.errors, tokens: c.inputTokens + c.outputTokens, cost: formatCost(c) };
  }

  private tick(): void {
    const ctl = new AbortController();
    this.ticker = ctl;
    const loop = async (): Promise<void> => {
      for (;;) {
        await this.options.clock.sleep(this.options.intervalMs, ctl.signal);
        for (const line of this.lines()) this.options.stream.write(`[progress] ${line}\n`);
      }
    };
    loop().catch(() => undefined);
  }
}

function formatCost(c: ModelCounters): string {
  if (!c.price) return 'cost n/a';
  return `$${priceTokens({ input: c.inputTokens, output: c.outputTokens }, c.price).toFixed(2)}`;
}

function formatSeconds(s: number): string {
  if (s < 90) return `${Math.round(s)}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}
