import PQueue from 'p-queue';
import type { Clock } from '../core/clock.js';
import { RateLimiter } from './rate-limiter.js';

export interface LaneLimits {
  concurrency: number;
  rpm?: number | undefined;
  tpm?: number | undefined;
}

/**
 * One model's lane: a concurrency queue plus its own rate limiter, so every model runs at its own
 * limits and a slow or throttled provider never holds back the others.
 */
export class ModelLane {
  readonly queue: PQueue;
  readonly limiter: RateLimiter;

  constructor(
    readonly id: string,
    limits: LaneLimits,
    clock: Clock,
    windowMs?: number,
  ) {
    this.queue = new PQueue({ concurrency: limits.concurrency });
    this.limiter = new RateLimiter({ rpm: limits.rpm, tpm: limits.tpm, ...(windowMs !== undefined ? { windowMs } : {}) }, clock);
  }

  /** Runs `task` when a concurrency slot is free. The limiter is taken per HTTP attempt (see callModel). */
  run<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.add(task);
  }

  get pending(): number {
    return this.queue.pending + this.queue.size;
  }
}

export class Scheduler {
  private readonly lanes = new Map<string, ModelLane>();

  /** `windowMs` shortens the rate-limit window (tests); production uses one minute. */
  constructor(private readonly deps: { clock: Clock; windowMs?: number }) {}

  /** The lane for `id`, created with `limits` on first use. */
  lane(id: string, limits: LaneLimits): ModelLane {
    let lane = this.lanes.get(id);
    if (!lane) {
      lane = new ModelLane(id, limits, this.deps.clock, this.deps.windowMs);
      this.lanes.set(id, lane);
    }
    return lane;
  }

  async onIdle(): Promise<void> {
    await Promise.all([...this.lanes.values()].map((l) => l.queue.onIdle()));
  }
}
