import { describe, expect, it } from 'vitest';
import { faultRun } from '../bench/drills/fault-run.js';

describe('drill: the server hangs', () => {
  it('per-request timeouts free the slots and the run completes; errors only where attempts ran out', async () => {
    const r = await faultRun(
      { latencyMs: 10, hangRate: 0.15, seed: 11 },
      // 1 s timeout against 10 ms answers: on a loaded CI machine only hung requests reach it.
      { scenarios: 30, samples: 4, concurrency: 8, maxAttempts: 3, timeoutMs: 1000, backoffBaseMs: 10, backoffMaxMs: 50 },
    );
    expect([0, 3]).toContain(r.exitCode);
    expect(r.ledger.unique).toBe(120);
    expect(r.ledger.duplicates).toBe(0);
    expect(r.ledger.textMismatches).toBe(0);
    // Every hung request was an attempt that timed out; every attempt was one HTTP request.
    expect(r.stats.byFault.hang).toBeGreaterThan(8);
    expect(r.attempts).toBe(r.stats.requests);
    expect(r.failedAttempts).toBe(r.stats.byFault.hang);
    expect(r.maxAttemptsSeen).toBeLessThanOrEqual(3);
    expect(r.erroredBeforeMaxAttempts).toBe(0);
    for (const kind of Object.keys(r.errorKinds)) expect(kind).toBe('timeout');
    expect(r.ledger.errored).toBe(r.errorKinds.timeout ?? 0);
    // Slots are freed: with 8 slots, (hangs x 1 s + cells x 10 ms) / 8 plus slack, never "forever".
    const bound = ((r.stats.byFault.hang! * 1000 + 120 * 20) / 8) * 2 + 4000;
    expect(r.wallMs).toBeLessThan(bound);
  }, 40_000);
});

describe('drill: 30% error rate', () => {
  it('completes with every error accounted for and attempts bounded by maxAttempts', async () => {
    const r = await faultRun(
      { latencyMs: 5, errorRate: 0.3, seed: 5 },
      { scenarios: 50, samples: 6, concurrency: 16, maxAttempts: 4, backoffBaseMs: 5, backoffMaxMs: 40 },
    );
    expect([0, 3]).toContain(r.exitCode);
    expect(r.ledger.unique).toBe(300);
    expect(r.ledger.missing).toBe(0);
    expect(r.ledger.duplicates).toBe(0);
    expect(r.ledger.textMismatches).toBe(0);
    // Server side and harness side agree on every request, every 500 and every retry.
    expect(r.attempts).toBe(r.stats.requests);
    expect(r.failedAttempts).toBe(r.stats.byFault['500']);
    expect(r.stats.byFault['500']! / r.stats.requests).toBeGreaterThan(0.2);
    expect(r.maxAttemptsSeen).toBe(4);
    expect(r.erroredBeforeMaxAttempts).toBe(0);
    for (const kind of Object.keys(r.errorKinds)) expect(kind).toBe('http_500');
    expect(r.exitCode).toBe(r.ledger.errored > 0 ? 3 : 0);
  }, 40_000);
});
