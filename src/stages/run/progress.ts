import cliProgress from 'cli-progress';
import { type Price, priceUsage } from '../../config/model-schema.js';
import type { Clock } from '../../core/clock.js';
import type { OutputStream } from '../../core/context.js';
import { addUsage, NO_USAGE, splitText, type UsageLike, type UsageRecord } from '../../records/spend.js';

/** Tokens and money of one row: what this process's requests used; answers not requested cost $0. */
interface Spent {
  usage: UsageRecord;
  /** Cells (or judgments) answered without a request: response cache, --reuse-from, judge cache. */
  reused: number;
  /** undefined: no price in the config; 'free': nothing to pay (the lexical judge). */
  price: Price | 'free' | undefined;
}

interface ModelCounters extends Spent {
  id: string;
  total: number;
  done: number;
  /** Cells already finished before this process started (resume): excluded from the rate. */
  preDone: number;
  errors: number;
  bar?: cliProgress.SingleBar;
}

interface JudgeCounters extends Spent {
  label: string;
  judged: number;
  errors: number;
  bar?: cliProgress.SingleBar | undefined;
}

export interface ProgressOptions {
  stream: OutputStream;
  clock: Clock;
  /** Period of the plain lines when the stream is not a TTY. */
  intervalMs: number;
}

/** A finished cell as the display counts it: its usage (absent without an answer) and whether it was requested. */
export type CellProgress = { errored: boolean; reused?: boolean | undefined } & UsageLike;

/**
 * Per-model progress, and the judge's when it judges as the run goes: a live multi-bar on a TTY, a
 * plain line per row every `intervalMs` otherwise (CI logs). Counts, tokens and cost are exact (cost
 * at the config's prices); ETA assumes the current rate holds.
 */
export class Progress {
  private readonly models = new Map<string, ModelCounters>();
  private judge: JudgeCounters | undefined;
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
    for (const m of models) {
      const c: ModelCounters = { ...m, preDone: m.done, usage: NO_USAGE, reused: 0 };
      this.models.set(m.id, c);
    }
    for (const c of this.models.values()) if (this.multi) c.bar = this.multi.create(c.total, c.done, this.payload(c));
    if (this.judge) this.judgeBar(this.judge);
    if (!tty) this.tick();
  }

  /**
   * Adds the judge's row (before or after start): `price` of its one model, 'free' for the lexical
   * judge, undefined when unknown (no price, or a panel of several models).
   */
  startJudge(label: string, price: Price | 'free' | undefined): void {
    this.judge = { label, judged: 0, errors: 0, usage: NO_USAGE, reused: 0, price };
    this.judgeBar(this.judge);
  }

  private judgeBar(j: JudgeCounters): void {
    j.bar = this.multi?.create(0, j.judged, this.judgePayload(j), {
      format: '{model} judged {value} | judge errors {errors} | tokens {tokens} | {cost}',
    });
  }

  record(modelId: string, cell: CellProgress): void {
    const c = this.models.get(modelId);
    if (!c) return;
    c.done++;
    if (cell.errored) c.errors++;
    if (cell.reused) c.reused++;
    else c.usage = addUsage(c.usage, cell);
    c.bar?.update(c.done, this.payload(c));
  }

  /** One judgment line: `errored` for a judge failure (a cell without an answer is not one); no tokens and no error: from the judge's cache. */
  recordJudgment(j: { errored: boolean; usage: UsageLike }): void {
    const c = this.judge;
    if (!c) return;
    c.judged++;
    if (j.errored) c.errors++;
    if (!j.errored && j.usage.inputTokens + j.usage.outputTokens === 0 && c.price !== 'free') c.reused++;
    c.usage = addUsage(c.usage, j.usage);
    c.bar?.update(c.judged, this.judgePayload(c));
  }

  stop(): void {
    this.ticker?.abort();
    this.multi?.stop();
  }

  /** One line per model (and the judge), as printed periodically without a TTY and once at the end. */
  lines(): string[] {
    const elapsed = (this.options.clock.now() - this.startedAt) / 1000;
    const rows = [...this.models.values()].map((c) => {
      const fresh = c.done - c.preDone;
      const rate = elapsed > 0 ? fresh / elapsed : 0;
      const left = c.total - c.done;
      const eta = left === 0 ? 'done' : rate > 0 ? `ETA ${formatSeconds(left / rate)}` : 'ETA ?';
      return `${c.id}: ${c.done}/${c.total} done, ${c.errors} errors, ${spentText(c, 'reused')}, ${eta}`;
    });
    const j = this.judge;
    if (j) rows.push(`${j.label}: ${j.judged} judged, ${j.errors} judge errors, ${spentText(j, 'from the judge cache')}`);
    return rows;
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

  private width(): number {
    return Math.max(...[...this.models.keys(), this.judge?.label ?? ''].map((k) => k.length));
  }

  private payload(c: ModelCounters): Record<string, string | number> {
    return { model: c.id.padEnd(this.width()), errors: c.errors, tokens: tokensText(c.usage), cost: costText(c) };
  }

  private judgePayload(c: JudgeCounters): Record<string, string | number> {
    return { model: c.label.padEnd(this.width()), errors: c.errors, tokens: tokensText(c.usage), cost: costText(c) };
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

/** "600000" or "600000 (plain 500000, cache read 100000)"; `unit` goes after the count. */
function tokensText(u: UsageRecord, unit = ''): string {
  const split = splitText(u);
  return `${u.inputTokens + u.outputTokens}${unit}${split ? ` (${split})` : ''}`;
}

function costText(s: Spent): string {
  if (s.price === 'free') return '$0.00';
  if (!s.price) return 'cost n/a';
  return `$${priceUsage(s.usage, s.price).toFixed(2)}`;
}

/** "600000 tokens, $0.80" with ", 3 reused ($0)" when some answers cost nothing. */
function spentText(s: Spent, reusedWord: string): string {
  const reused = s.reused > 0 ? `, ${s.reused} ${reusedWord} ($0)` : '';
  return `${tokensText(s.usage, ' tokens')}, ${costText(s)}${reused}`;
}

function formatSeconds(s: number): string {
  if (s < 90) return `${Math.round(s)}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}
