import { type Price, pricer, priceUsage } from '../config/model-schema.js';
import { ProviderError, UsageError } from '../core/errors.js';
import type { GenerateRequest, Usage } from '../providers/language-model.js';
import { estimateInputTokens } from './estimate.js';

/** Which side of a run a call is charged to. */
export type BudgetPart = 'models' | 'judge';

/** USD spent so far, per side. */
export interface BudgetSpent {
  models: number;
  judge: number;
}

/** An attempt's share of the budget, held from before it is sent until it ends. */
export interface Reservation {
  /** Replaces the estimate with the real cost; a failed attempt (no usage) is charged nothing. */
  settle(usage: Usage | undefined): void;
}

/** The budget as one model's calls see it: what an attempt of that model may cost, checked before it is sent. */
export interface CallBudget {
  /** Holds the attempt's estimated cost, or throws the refusal (a ProviderError of kind `aborted`). */
  reserve(request: Omit<GenerateRequest, 'signal'>): Reservation;
}

/** A lane that may carry a budget (calls/scheduler.ts ModelLane); every attempt through it is charged there. */
export interface BudgetCarrier {
  readonly id: string;
  budget?: CallBudget | undefined;
}

/**
 * The money of one run, shared by the model calls and the pipelined judge's calls (`--max-cost` /
 * runner.maxCost). Before each attempt the attempt's estimated cost (estimated input plus maxTokens
 * of output, at the plain input price even when part of the prompt will be read from a cache) is
 * reserved; the attempt is refused when the money spent, the reservations of the attempts in flight
 * and this estimate together would pass the limit. After the attempt the reservation is replaced by
 * the real cost of its usage. The first refusal stops the run: `signal` aborts (no new cell starts, no
 * further attempt is made) and every later reservation is refused too. Without a limit it only counts.
 */
export class Budget {
  private readonly spentUsd: BudgetSpent;
  private reservedUsd = 0;
  private refusals = 0;
  private readonly stop = new AbortController();
  private readonly priced: (wireModel: string, usage: Usage) => number | null;

  constructor(
    /** USD; undefined: no limit, the budget only counts. */
    readonly limitUsd: number | undefined,
    readonly o: {
      prices: Readonly<Record<string, Price>>;
      /** The config the prices come from (manifest.spend and judge-summary.json record it). */
      configHash: string;
      /** Where the limit comes from, as the stop message names it: `--max-cost` or `runner.maxCost`. */
      source: string;
      /** Spend before this process (a resumed run), so the limit holds for the whole run. */
      prior?: BudgetSpent | undefined;
    },
  ) {
    this.spentUsd = { models: o.prior?.models ?? 0, judge: o.prior?.judge ?? 0 };
    this.priced = pricer(o.prices);
  }

  /** Aborted when the first attempt is refused: the run stops as after a first Ctrl-C. */
  get signal(): AbortSignal {
    return this.stop.signal;
  }

  get stopped(): boolean {
    return this.stop.signal.aborted;
  }

  /** Attempts refused (each is a cell or judge call not sent). */
  get refused(): number {
    return this.refusals;
  }

  spent(): BudgetSpent & { total: number } {
    return { ...this.spentUsd, total: this.spentUsd.models + this.spentUsd.judge };
  }

  /**
   * The budget for the calls of one wire model on one side. `batch`: its calls go through a batch
   * API, so the estimate is at the batch price. A model without a price is refused up front (the
   * run checks prices before anything is sent when a limit is set).
   */
  charge(part: BudgetPart, wireModel: string, batch: boolean): CallBudget {
    const price = this.o.prices[wireModel];
    if (!price && this.limitUsd !== undefined) {
      throw new UsageError(
        `${this.o.source} needs a price for every model it pays for: add \`${wireModel}\` under \`prices:\` in the config`,
      );
    }
    return { reserve: (request) => this.reserve(part, wireModel, price, batch, request) };
  }

  private reserve(
    part: BudgetPart,
    wireModel: string,
    price: Price | undefined,
    batch: boolean,
    request: Omit<GenerateRequest, 'signal'>,
  ): Reservation {
    const estimate = price ? estimateCost(request, price, batch) : 0;
    if (
      this.stopped ||
      (this.limitUsd !== undefined && this.spentUsd.models + this.spentUsd.judge + this.reservedUsd + estimate > this.limitUsd)
    ) {
      this.refusals++;
      if (!this.stopped) this.stop.abort(new Error('max cost reached'));
      throw new ProviderError(`not sent: the ${this.o.source} limit of ${usd(this.limitUsd ?? 0)} would be passed`, {
        kind: 'aborted',
        retryable: false,
      });
    }
    this.reservedUsd += estimate;
    let open = true;
    return {
      settle: (usage) => {
        if (!open) return;
        open = false;
        this.reservedUsd -= estimate;
        this.spentUsd[part] += usage ? (this.priced(wireModel, usage) ?? 0) : 0;
      },
    };
  }
}

/**
 * The most an attempt can cost: its input (the prompt, and the structured-output schema sent with
 * it) as estimated, all at the plain input price, plus maxTokens of output.
 */
export function estimateCost(request: Omit<GenerateRequest, 'signal'>, price: Price, batch: boolean): number {
  const schema = request.structured ? Math.ceil(JSON.stringify(request.structured.schema).length / 4) : 0;
  const inputTokens = estimateInputTokens(request) + schema;
  // A prompt marked for caching may be written to the cache, dearer than plain input on Anthropic:
  // the estimate takes the higher price for all of it, so it stays an upper bound.
  const writes = request.cachePrefix && (price.cacheWrite ?? 0) > price.input ? { cacheWriteInputTokens: inputTokens } : {};
  const counts = { inputTokens, outputTokens: request.maxTokens, cachedInputTokens: 0, ...writes };
  return priceUsage(batch ? { ...counts, batched: counts } : counts, price);
}

/** Charges every attempt through `lane` to `budget` (read by generateWithRetry in calls/model-call.ts). */
export function chargeLane(lane: BudgetCarrier, budget: CallBudget): void {
  lane.budget = budget;
}

/** "$0.0123" below a dollar (small runs and limits stay readable), "$12.34" otherwise. */
export function usd(x: number): string {
  return x > 0 && x < 1 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`;
}
