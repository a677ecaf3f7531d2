import type { Clock } from '../core/clock.js';
import { abortReason } from '../core/clock.js';

export interface RateLimits {
  /** Requests per window (per minute with the default window). */
  rpm?: number | undefined;
  /** Input + output tokens per window. */
  tpm?: number | undefined;
  /** Window length; 60 000 ms in production, shorter in tests. */
  windowMs?: number;
  /**
   * Extra wait added to the window, so requests that leave together but arrive at the server a
   * few milliseconds apart never push the server's own sliding window over its limit.
   */
  marginMs?: number;
}

/** Returned by `acquire`; report the real token use once the call has finished. */
export interface Permit {
  settle(actualTokens: number): void;
}

const NO_OP_PERMIT: Permit = { settle: () => undefined };

interface Entry {
  t: number;
  tokens: number;
}

interface Waiter {
  tokens: number;
  resolve: (p: Permit) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal | undefined;
  onAbort?: () => void;
}

/**
 * Sliding-window log limiter: admits a request only when, counting it, the last `windowMs`
 * hold at most `rpm` requests and at most `tpm` tokens. Unlike a bucket that starts full, no
 * window of that length ever exceeds the limit. A request occupies its slot from admission until
 * `windowMs` after it *finished*: the server stamps its arrival somewhere in between, so however
 * late a request reaches the server (cold connections, a busy event loop), the server's own sliding
 * window never sees more than `rpm`. The price is a rate of rpm per (window + latency). Waiters are
 * served first-in, first-out.
 */
export class RateLimiter {
  /** Finished requests, oldest first; they leave the window `span` after they finished. */
  private readonly settled: Entry[] = [];
  private inFlight = 0;
  private inFlightTokens = 0;
  private readonly waiters: Waiter[] = [];
  private readonly rpm: number;
  private readonly tpm: number;
  private readonly span: number;
  private timerAbort: AbortController | undefined;
  private timerAt = Infinity;

  constructor(
    limits: RateLimits,
    private readonly clock: Clock,
  ) {
    this.rpm = limits.rpm ? Math.max(1, Math.floor(limits.rpm)) : Infinity;
    this.tpm = limits.tpm ?? Infinity;
    const windowMs = limits.windowMs ?? 60_000;
    this.span = windowMs + (limits.marginMs ?? Math.min(1000, Math.ceil(windowMs * 0.01)));
  }

  get limited(): boolean {
    return this.rpm !== Infinity || this.tpm !== Infinity;
  }

  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (!this.limited) return Promise.resolve(NO_OP_PERMIT);
    return new Promise<Permit>((resolve, reject) => {
      const w: Waiter = { tokens: Math.max(0, estimatedTokens), resolve, reject, signal };
      if (signal) {
        w.onAbort = () => {
          const i = this.waiters.indexOf(w);
          if (i !== -1) this.waiters.splice(i, 1);
          reject(abortReason(signal));
          this.pump();
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.waiters.push(w);
      this.pump();
    });
  }

  private pump(): void {
    const now = this.clock.now();
    this.prune(now);
    while (this.waiters.length > 0) {
      const head = this.waiters[0]!;
      const wakeAt = this.admitAt(head.tokens, now);
      if (wakeAt > now) {
        // Infinity: only a request in flight finishing can make room; settle() pumps again.
        if (wakeAt !== Infinity) this.arm(wakeAt);
        return;
      }
      this.waiters.shift();
      if (head.onAbort) head.signal?.removeEventListener('abort', head.onAbort);
      this.inFlight++;
      this.inFlightTokens += head.tokens;
      const reserved = head.tokens;
      let done = false;
      head.resolve({
        settle: (actual) => {
          if (done) return;
          done = true;
          this.inFlight--;
          this.inFlightTokens -= reserved;
          this.settled.push({ t: this.clock.now(), tokens: Math.max(0, actual) });
          this.pump();
        },
      });
    }
  }

  /** Earliest time the request could be admitted (<= now: at once; Infinity: when something in flight finishes). */
  private admitAt(tokens: number, now: number): number {
    let at = now;
    const count = this.settled.length + this.inFlight;
    if (count >= this.rpm) {
      const mustExpire = count - this.rpm + 1;
      at = mustExpire > this.settled.length ? Infinity : Math.max(at, this.settled[mustExpire - 1]!.t + this.span);
    }
    if (this.tpm !== Infinity && count > 0) {
      let used = this.inFlightTokens;
      for (const e of this.settled) used += e.tokens;
      // Let the oldest finished requests expire until this one fits; one larger than tpm waits for an empty window.
      let i = 0;
      while (used + tokens > this.tpm && (i < this.settled.length || this.inFlight > 0)) {
        if (i >= this.settled.length) return Infinity;
        used -= this.settled[i]!.tokens;
        at = Math.max(at, this.settled[i]!.t + this.span);
        i++;
      }
    }
    return at;
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.settled.length && this.settled[drop]!.t + this.span <= now) drop++;
    if (drop > 0) this.settled.splice(0, drop);
  }

  private arm(at: number): void {
    if (this.timerAbort && this.timerAt <= at) return;
    this.timerAbort?.abort();
    const ctl = new AbortController();
    this.timerAbort = ctl;
    this.timerAt = at;
    this.clock.sleep(at - this.clock.now(), ctl.signal).then(
      () => {
        if (this.timerAbort !== ctl) return;
        this.timerAbort = undefined;
        this.timerAt = Infinity;
        this.pump();
      },
      () => undefined,
    );
  }
}
