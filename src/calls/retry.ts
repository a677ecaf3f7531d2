import { setMaxListeners } from 'node:events';
import { DEFAULT_MAX_RETRY_AFTER_MS } from '../config/runner-schema.js';
import { abortReason } from '../core/clock.js';
import { ProviderError } from '../core/errors.js';

/**
 * The one retry layer. Model adapters make exactly one attempt per call; cells and judge calls
 * wrap them here so backoff, retry-after and timeouts behave the same everywhere.
 */
export interface RetryPolicy {
  maxAttempts: number;
  /** First backoff ceiling; doubles each attempt (full jitter picks uniformly below it). */
  baseMs: number;
  maxMs: number;
  /** Per-attempt timeout: the attempt's signal is aborted and the attempt counts as a retryable 'timeout'. */
  timeoutMs: number;
  /**
   * Longest `retry-after` honoured (runner.maxRetryAfterMs; default 10 minutes). A server asking for
   * longer ends the retrying with an error that says so, instead of a silent wait of hours.
   */
  maxRetryAfterMs?: number | undefined;
}

export interface RetryDeps {
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Cancellable timer (Clock.timer); falls back to sleep + abort when absent. */
  timer?: ((ms: number, fn: () => void) => () => void) | undefined;
  /** Uniform in [0, 1). */
  random: () => number;
  /** Hard cancellation: no further attempts, the current one is aborted. */
  signal?: AbortSignal | undefined;
  /** Soft cancellation (first Ctrl-C): the current attempt may finish, but no further attempt starts. */
  stopRetrying?: AbortSignal | undefined;
  onRetry?: (info: { attempt: number; error: ProviderError; delayMs: number }) => void;
  /** Awaited before each attempt, outside its timeout (e.g. waiting for a rate-limit permit). */
  beforeAttempt?: (attempt: number, signal?: AbortSignal) => Promise<void>;
}

export type RetryOutcome<T> = { ok: true; value: T; attempts: number } | { ok: false; error: ProviderError; attempts: number };

export async function withRetry<T>(
  attempt: (n: number, signal: AbortSignal) => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<RetryOutcome<T>> {
  const outer = deps.signal;
  const stopped = anySignal(outer, deps.stopRetrying);
  // Created lazily: building an error (and its stack) per call is measurable on the hot path.
  let last: ProviderError | undefined;
  for (let n = 1; n <= policy.maxAttempts; n++) {
    if (stopped?.aborted) return { ok: false, error: abortedError(), attempts: n - 1 };
    if (deps.beforeAttempt) {
      try {
        await deps.beforeAttempt(n, stopped);
      } catch (e) {
        if (stopped?.aborted) return { ok: false, error: abortedError(e), attempts: n - 1 };
        return { ok: false, error: toProviderError(e), attempts: n - 1 };
      }
    }
    const result = await runAttempt(attempt, n, policy.timeoutMs, deps);
    if (result.ok) return { ok: true, value: result.value, attempts: n };
    last = result.error;
    if (stopped?.aborted && last.retryable) return { ok: false, error: abortedError(last), attempts: n };
    if (!last.retryable || n === policy.maxAttempts) return { ok: false, error: last, attempts: n };
    const tooLong = retryAfterTooLong(last, policy.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
    if (tooLong) return { ok: false, error: tooLong, attempts: n };
    const delayMs = backoffDelay(n, policy, deps.random, last.retryAfterMs);
    deps.onRetry?.({ attempt: n, error: last, delayMs });
    try {
      await deps.sleep(delayMs, stopped);
    } catch {
      return { ok: false, error: abortedError(), attempts: n };
    }
  }
  return { ok: false, error: last ?? abortedError(), attempts: policy.maxAttempts };
}

/**
 * The error that ends retrying when the server asked to wait longer than `maxMs` (an Infinity from
 * an absurd header such as `retry-after: 1e308` included), so such a wait is never silently slept
 * through nor overflows a timer into an immediate retry. The original kind, status and request id
 * are kept; the message says how long was asked and how to allow it.
 */
export function retryAfterTooLong(error: ProviderError, maxMs: number): ProviderError | undefined {
  const asked = error.retryAfterMs;
  if (asked === undefined || Number.isNaN(asked) || asked <= maxMs) return undefined;
  const seconds = Number.isFinite(asked) ? `${Math.ceil(asked / 1000)} s` : 'forever';
  return new ProviderError(
    `${error.message} — the server asked to wait ${seconds} (retry-after) before retrying, more than runner.maxRetryAfterMs (${maxMs} ms); ` +
      'gave up instead of waiting. To wait that long, raise runner.maxRetryAfterMs in the config (at most 2147483647 ms)',
    {
      kind: error.kind,
      retryable: false,
      status: error.status,
      requestId: error.requestId,
      retryAfterMs: asked,
      cause: error,
    },
  );
}

/** Full jitter (uniform in [0, min(maxMs, baseMs * 2^(n-1)))), but never shorter than the server's retry-after. */
export function backoffDelay(
  n: number,
  policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (n - 1));
  const jitter = Math.floor(random() * ceiling);
  // A NaN or negative retry-after says nothing usable: the backoff alone decides.
  return retryAfterMs !== undefined && retryAfterMs >= 0 ? Math.max(retryAfterMs, jitter) : jitter;
}

async function runAttempt<T>(
  attempt: (n: number, signal: AbortSignal) => Promise<T>,
  n: number,
  timeoutMs: number,
  deps: RetryDeps,
): Promise<{ ok: true; value: T } | { ok: false; error: ProviderError }> {
  const controller = new AbortController();
  const outer = deps.signal;
  const onOuterAbort = (): void => controller.abort(abortReason(outer!));
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  let timedOut = false;
  const onTimeout = (): void => {
    timedOut = true;
    controller.abort(new ProviderError(`no response within ${timeoutMs} ms`, { kind: 'timeout', retryable: true }));
  };
  const cancelTimer = startTimer(deps, timeoutMs, onTimeout);
  try {
    return { ok: true, value: await attempt(n, controller.signal) };
  } catch (e) {
    if (timedOut) {
      return {
        ok: false,
        error: new ProviderError(`no response within ${timeoutMs} ms (raise timeoutMs if the model is slow)`, {
          kind: 'timeout',
          retryable: true,
          cause: e,
        }),
      };
    }
    if (outer?.aborted) return { ok: false, error: abortedError(e) };
    return { ok: false, error: toProviderError(e) };
  } finally {
    cancelTimer();
    outer?.removeEventListener('abort', onOuterAbort);
  }
}

const TIMER_CANCELLED = Object.freeze({ reason: 'timer cancelled' });

function startTimer(deps: RetryDeps, ms: number, fn: () => void): () => void {
  if (deps.timer) return deps.timer(ms, fn);
  const c = new AbortController();
  deps.sleep(ms, c.signal).then(fn, () => undefined);
  // A constant reason: abort() without one would build a DOMException with a stack every time.
  return () => c.abort(TIMER_CANCELLED);
}

// Every cell of a run passes the same two signals: combine them once, not once per call
// (creating an AbortSignal is one of the costlier things on the request path in Node 20).
const combined = new WeakMap<AbortSignal, WeakMap<AbortSignal, AbortSignal>>();

function anySignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a || !b) return a ?? b;
  let inner = combined.get(a);
  if (!inner) {
    inner = new WeakMap();
    combined.set(a, inner);
  }
  let both = inner.get(b);
  if (!both) {
    both = AbortSignal.any([a, b]);
    inner.set(b, both);
    // Every attempt in flight listens on it: many listeners are the design, not a leak.
    setMaxListeners(0, both);
  }
  return both;
}

function abortedError(cause?: unknown): ProviderError {
  return new ProviderError('interrupted', { kind: 'aborted', retryable: false, cause });
}

/** Anything that is not already a ProviderError is a bug or an unexpected failure: not retried. */
function toProviderError(e: unknown): ProviderError {
  if (e instanceof ProviderError) return e;
  const err = e as Error;
  return new ProviderError(err?.message ?? String(e), { kind: 'internal', retryable: false, cause: e });
}
