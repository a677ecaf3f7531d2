import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelay, type RetryPolicy, retryAfterTooLong, withRetry } from '../src/calls/retry.js';
import { ConfigSchema } from '../src/config/schema.js';
import { ProviderError } from '../src/core/errors.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { parseRetryAfterMs } from '../src/providers/retry-after.js';
import { FakeClock } from './fixtures/runner-fake-clock.js';
import { makeProject, readTranscripts, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

const policy: RetryPolicy = { maxAttempts: 5, baseMs: 100, maxMs: 1000, timeoutMs: 10_000 };
const rateLimited = (retryAfterMs: number | undefined): ProviderError =>
  new ProviderError('rate limit exceeded', { kind: 'http_429', status: 429, retryable: true, requestId: 'req_1', retryAfterMs });
const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });
const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('retry-after parsing', () => {
  it('reads seconds, milliseconds and HTTP dates', () => {
    expect(parseRetryAfterMs(headers({ 'retry-after': '3' }), NOW)).toBe(3000);
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '3' }), NOW)).toBe(250);
    expect(parseRetryAfterMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), NOW)).toBe(30_000);
    expect(parseRetryAfterMs(headers({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }), NOW)).toBe(0);
  });

  it('turns absurd values into "too long" (never a small number) or into nothing', () => {
    // Huge: far above any cap, so the retry layer gives up instead of overflowing a timer.
    for (const v of ['1e308', '99999999999999', 'Fri, 31 Dec 9999 23:59:59 GMT']) {
      const ms = parseRetryAfterMs(headers({ 'retry-after': v }), NOW)!;
      expect(ms).toBeGreaterThan(2_147_483_647);
      expect(retryAfterTooLong(rateLimited(ms), 600_000)).toBeInstanceOf(ProviderError);
    }
    expect(parseRetryAfterMs(headers({ 'retry-after-ms': '1e308' }), NOW)).toBeGreaterThan(2_147_483_647);
    // Meaningless: ignored, the backoff alone decides.
    for (const v of ['-5', 'NaN', 'soon', '']) expect(parseRetryAfterMs(headers({ 'retry-after': v }), NOW), v).toBeUndefined();
  });
});

describe('retry-after cap in the retry layer', () => {
  it('gives up at once with a clear error when the server asks to wait longer than maxRetryAfterMs', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const out = await clock.run(
      withRetry(
        async () => {
          calls++;
          throw rateLimited(86_400_000);
        },
        policy,
        { sleep: clock.sleep, random: () => 0.5 },
      ),
    );
    expect(calls).toBe(1);
    expect(clock.now()).toBe(0);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.attempts).toBe(1);
    expect([out.error.kind, out.error.status, out.error.requestId, out.error.retryable]).toEqual(['http_429', 429, 'req_1', false]);
    expect(out.error.message).toContain('asked to wait 86400 s');
    expect(out.error.message).toContain('runner.maxRetryAfterMs (600000 ms)');
    expect(out.error.message).toMatch(/raise runner\.maxRetryAfterMs/);
  });

  it('treats an infinite retry-after as too long, never as an immediate retry', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const out = await clock.run(
      withRetry(
        async () => {
          calls++;
          throw rateLimited(Number.POSITIVE_INFINITY);
        },
        policy,
        { sleep: clock.sleep, random: () => 0.5 },
      ),
    );
    expect(calls).toBe(1);
    expect(out).toMatchObject({ ok: false, attempts: 1 });
    if (!out.ok) expect(out.error.message).toContain('asked to wait forever');
  });

  it('waits a retry-after up to the cap, and a raised cap allows a longer one', async () => {
    for (const [asked, cap] of [
      [600_000, undefined],
      [3_600_000, 3_600_000],
    ] as const) {
      const clock = new FakeClock();
      const out = await clock.run(
        withRetry(
          async (n) => {
            if (n === 1) throw rateLimited(asked);
            return n;
          },
          { ...policy, maxRetryAfterMs: cap },
          { sleep: clock.sleep, random: () => 0.5 },
        ),
      );
      expect(out).toEqual({ ok: true, value: 2, attempts: 2 });
      expect(clock.now()).toBe(asked);
    }
  });

  it('ignores a NaN or negative retry-after instead of sleeping 0 or NaN', () => {
    expect(backoffDelay(1, policy, () => 0.5, Number.NaN)).toBe(50);
    expect(backoffDelay(1, policy, () => 0.5, -1000)).toBe(50);
    expect(retryAfterTooLong(rateLimited(Number.NaN), 1000)).toBeUndefined();
  });

  it('runner.maxRetryAfterMs defaults to 10 minutes and is bounded like every timer', () => {
    const base = { models: [{ id: 'm', provider: 'openai', model: 'x', maxTokens: 10 }] };
    expect(ConfigSchema.parse(base).runner.maxRetryAfterMs).toBe(600_000);
    expect(ConfigSchema.parse({ ...base, runner: { maxRetryAfterMs: 3_600_000 } }).runner.maxRetryAfterMs).toBe(3_600_000);
    expect(ConfigSchema.safeParse({ ...base, runner: { maxRetryAfterMs: 2 ** 31 } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ ...base, runner: { maxRetryAfterMs: -1 } }).success).toBe(false);
  });
});

describe('retry-after cap in a run against the local server', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer({ seed: 5 });
  });
  afterAll(() => server.close());

  for (const header of ['86400', 'Fri, 31 Dec 9999 23:59:59 GMT', '1e308']) {
    it(`retry-after: ${header} ends each cell after one attempt with the reason, in well under a second per cell`, async () => {
      server.setOptions({ rate429: 1, retryAfterHeader: header });
      server.reset();
      const project = await makeProject({ server, runner: { maxAttempts: 4, maxRetryAfterMs: 60_000 } });
      const started = Date.now();
      const r = await runCli(['run', '--no-judge', '--samples', '1', '--scenarios', 'moral-*'], { cwd: project });
      server.setOptions({ rate429: 0, retryAfterHeader: undefined });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(r.code).toBe(3);
      const [runDir] = await runDirs(project);
      const transcripts = await readTranscripts(runDir!);
      expect(transcripts.length).toBeGreaterThan(0);
      // One request per cell: no retry, and none fired at once by an overflowing timer.
      expect(server.stats().requests).toBe(transcripts.length);
      for (const t of transcripts) {
        expect(t.attempts).toBe(1);
        expect(t.error?.kind).toBe('http_429');
        expect(t.error?.message).toContain('more than runner.maxRetryAfterMs (60000 ms)');
      }
    });
  }
});
