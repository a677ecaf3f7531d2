import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/calls/rate-limiter.js';
import { Scheduler } from '../src/calls/scheduler.js';
import { FakeClock } from './fixtures/runner-fake-clock.js';

/** Largest number of events inside any window [t, t + windowMs). */
function maxInWindow(times: number[], windowMs: number, weights?: number[]): number {
  let best = 0;
  for (let i = 0; i < times.length; i++) {
    let sum = 0;
    for (let j = i; j < times.length && times[j]! < times[i]! + windowMs; j++) sum += weights ? weights[j]! : 1;
    best = Math.max(best, sum);
  }
  return best;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('RateLimiter', () => {
  it('never admits more than rpm requests in any sliding window, even in a burst', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ rpm: 10, windowMs: 60_000, marginMs: 0 }, clock);
    const admitted: number[] = [];
    const all = Promise.all(
      Array.from({ length: 55 }, () =>
        limiter.acquire(1).then((permit) => {
          admitted.push(clock.now());
          permit.settle(1);
        }),
      ),
    );
    await clock.run(all);
    expect(admitted).toHaveLength(55);
    expect(maxInWindow(admitted, 60_000)).toBe(10);
    // Fully used: 55 requests at 10 per minute need 5 more windows after the first burst.
    expect(admitted.at(-1)).toBe(5 * 60_000);
  });

  it('keeps rpm with concurrent workers holding requests for random durations', async () => {
    const clock = new FakeClock();
    const rand = lcg(42);
    const limiter = new RateLimiter({ rpm: 37, windowMs: 60_000 }, clock);
    const admitted: number[] = [];
    const worker = async (): Promise<void> => {
      for (let i = 0; i < 20; i++) {
        const permit = await limiter.acquire(100);
        admitted.push(clock.now());
        await clock.sleep(rand() * 5000);
        permit.settle(80);
      }
    };
    await clock.run(Promise.all(Array.from({ length: 16 }, worker)));
    expect(admitted).toHaveLength(320);
    expect(maxInWindow(admitted, 60_000)).toBeLessThanOrEqual(37);
  });

  it('keeps tokens per window under tpm, using actual usage once settled', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ tpm: 1000, windowMs: 1000, marginMs: 0 }, clock);
    const times: number[] = [];
    const used: number[] = [];
    const worker = async (): Promise<void> => {
      for (let i = 0; i < 10; i++) {
        const permit = await limiter.acquire(300); // reserve prompt + maxTokens
        times.push(clock.now());
        await clock.sleep(50);
        permit.settle(100); // the answer was short
        used.push(100);
      }
    };
    await clock.run(Promise.all(Array.from({ length: 4 }, worker)));
    expect(maxInWindow(times, 1000, used)).toBeLessThanOrEqual(1000);
    // Settling to the real usage frees room: far faster than 40 x 300 tokens at 1000 per second would allow.
    expect(clock.now()).toBeLessThan(12 * 1000 * 0.5);
  });

  it('admits a request larger than tpm once the window is empty instead of blocking forever', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ tpm: 100, windowMs: 1000, marginMs: 0 }, clock);
    const p1 = await limiter.acquire(50);
    p1.settle(50);
    await clock.run(limiter.acquire(500));
    expect(clock.now()).toBe(1000);
  });

  it('holds a slot until the request finished: a slow request delays the next window', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ rpm: 2, windowMs: 1000, marginMs: 0 }, clock);
    const a = await limiter.acquire(1);
    const b = await limiter.acquire(1);
    const third = limiter.acquire(1).then(() => clock.now());
    const driver = clock
      .sleep(300)
      .then(() => a.settle(1))
      .then(() => clock.sleep(200))
      .then(() => b.settle(1));
    const [at] = await clock.run(Promise.all([third, driver]));
    expect(at).toBe(1300); // a finished at 300, so its slot frees at 1300
  });

  it('releases a waiter when its signal aborts', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ rpm: 1, windowMs: 1000 }, clock);
    await limiter.acquire(1);
    const ctl = new AbortController();
    const waiting = limiter.acquire(1, ctl.signal);
    ctl.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });

  it('is free when no limit is set', async () => {
    const limiter = new RateLimiter({}, new FakeClock());
    expect(limiter.limited).toBe(false);
    await Promise.all(Array.from({ length: 1000 }, () => limiter.acquire(1e9)));
  });
});

describe('Scheduler', () => {
  it('runs each model lane at its own concurrency', async () => {
    const clock = new FakeClock();
    const scheduler = new Scheduler({ clock });
    const a = scheduler.lane('a', { concurrency: 3 });
    const b = scheduler.lane('b', { concurrency: 1 });
    expect(scheduler.lane('a', { concurrency: 99 })).toBe(a);
    const peak = { a: 0, b: 0 };
    const now = { a: 0, b: 0 };
    const task = (k: 'a' | 'b') => async (): Promise<void> => {
      now[k]++;
      peak[k] = Math.max(peak[k], now[k]);
      await clock.sleep(100);
      now[k]--;
    };
    const jobs = [...Array.from({ length: 9 }, () => a.run(task('a'))), ...Array.from({ length: 3 }, () => b.run(task('b')))];
    await clock.run(Promise.all(jobs));
    expect(peak).toEqual({ a: 3, b: 1 });
    // Lanes are independent: both finish at 300 ms, the slow lane does not hold back the other.
    expect(clock.now()).toBe(300);
  });
});
