import { describe, expect, it } from 'vitest';
import { backoffDelay, type RetryPolicy, withRetry } from '../src/calls/retry.js';
import { ProviderError, type ProviderErrorKind } from '../src/core/errors.js';
import { FakeClock } from './fixtures/runner-fake-clock.js';

const policy: RetryPolicy = { maxAttempts: 5, baseMs: 100, maxMs: 1000, timeoutMs: 10_000 };
const err = (kind: ProviderErrorKind, retryable: boolean, retryAfterMs?: number): ProviderError =>
  new ProviderError(kind, { kind, retryable, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });

describe('withRetry', () => {
  it('retries retryable errors with full-jitter exponential backoff', async () => {
    const clock = new FakeClock();
    const starts: number[] = [];
    const delays: number[] = [];
    const out = await clock.run(
      withRetry(
        async (n) => {
          starts.push(clock.now());
          if (n < 4) throw err('http_500', true);
          return 'ok';
        },
        policy,
        { sleep: clock.sleep, random: () => 0.5, onRetry: (i) => delays.push(i.delayMs) },
      ),
    );
    expect(out).toEqual({ ok: true, value: 'ok', attempts: 4 });
    expect(delays).toEqual([50, 100, 200]);
    expect(starts).toEqual([0, 50, 150, 350]);
  });

  it('caps the backoff at maxMs', () => {
    expect(backoffDelay(20, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(1, policy, () => 0)).toBe(0);
  });

  it('never waits less than retry-after', async () => {
    const clock = new FakeClock();
    const starts: number[] = [];
    const out = await clock.run(
      withRetry(
        async (n) => {
          starts.push(clock.now());
          if (n === 1) throw err('http_429', true, 1000);
          return n;
        },
        policy,
        { sleep: clock.sleep, random: () => 0.9 },
      ),
    );
    expect(out.ok).toBe(true);
    expect(starts).toEqual([0, 1000]);
    expect(backoffDelay(5, policy, () => 0.99, 20)).toBe(990);
  });

  it('does not retry non-retryable errors', async () => {
    let calls = 0;
    const out = await withRetry(
      async () => {
        calls++;
        throw err('bad_request', false);
      },
      policy,
      { sleep: new FakeClock().sleep, random: () => 0 },
    );
    expect(calls).toBe(1);
    expect(out).toMatchObject({ ok: false, attempts: 1, error: { kind: 'bad_request' } });
  });

  it('returns the last error with its cause once attempts run out', async () => {
    const clock = new FakeClock();
    const out = await clock.run(
      withRetry(
        async (n) => {
          throw err(n === 5 ? 'http_529' : 'http_500', true);
        },
        policy,
        { sleep: clock.sleep, random: () => 0.5 },
      ),
    );
    expect(out).toMatchObject({ ok: false, attempts: 5, error: { kind: 'http_529' } });
  });

  it('times out a hung attempt by aborting its signal, and retries it', async () => {
    const clock = new FakeClock();
    const out = await clock.run(
      withRetry(
        (n, signal) =>
          n === 1
            ? new Promise<string>((_r, reject) =>
                signal.addEventListener('abort', () => reject(new ProviderError('aborted', { kind: 'aborted', retryable: false }))),
              )
            : Promise.resolve('second'),
        { ...policy, timeoutMs: 3000 },
        { sleep: clock.sleep, random: () => 0 },
      ),
    );
    expect(out).toEqual({ ok: true, value: 'second', attempts: 2 });
    expect(clock.now()).toBe(3000);
  });

  it('reports kind timeout when every attempt hangs', async () => {
    const clock = new FakeClock();
    const out = await clock.run(
      withRetry(
        (_n, signal) => new Promise<never>((_r, reject) => signal.addEventListener('abort', () => reject(new Error('abort')))),
        { ...policy, maxAttempts: 2, timeoutMs: 500 },
        { sleep: clock.sleep, random: () => 0 },
      ),
    );
    expect(out).toMatchObject({ ok: false, attempts: 2, error: { kind: 'timeout', retryable: true } });
  });

  it('stops at once when the outer signal aborts during backoff', async () => {
    const clock = new FakeClock();
    const ctl = new AbortController();
    let calls = 0;
    const p = withRetry(
      async () => {
        calls++;
        setImmediate(() => ctl.abort());
        throw err('http_500', true);
      },
      { ...policy, baseMs: 60_000, maxMs: 60_000 },
      { sleep: clock.sleep, random: () => 0.99, signal: ctl.signal },
    );
    const out = await clock.run(p);
    expect(calls).toBe(1);
    expect(out).toMatchObject({ ok: false, error: { kind: 'aborted' } });
    expect(clock.now()).toBe(0);
  });

  it('stopRetrying lets the attempt in flight finish but starts no other', async () => {
    const stop = new AbortController();
    const ok = await withRetry(
      async () => {
        stop.abort();
        return 'finished';
      },
      policy,
      { sleep: new FakeClock().sleep, random: () => 0, stopRetrying: stop.signal },
    );
    expect(ok).toEqual({ ok: true, value: 'finished', attempts: 1 });
    let calls = 0;
    const stop2 = new AbortController();
    const failed = await withRetry(
      async () => {
        calls++;
        stop2.abort();
        throw err('http_500', true);
      },
      policy,
      { sleep: new FakeClock().sleep, random: () => 0, stopRetrying: stop2.signal },
    );
    expect(calls).toBe(1);
    expect(failed).toMatchObject({ ok: false, error: { kind: 'aborted' } });
  });

  it('wraps unexpected exceptions as non-retryable internal errors', async () => {
    const out = await withRetry(
      async () => {
        throw new TypeError('boom');
      },
      policy,
      { sleep: new FakeClock().sleep, random: () => 0 },
    );
    expect(out).toMatchObject({ ok: false, attempts: 1, error: { kind: 'internal', message: 'boom' } });
  });
});
