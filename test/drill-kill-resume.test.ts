import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { killResumeDrill } from '../bench/drills/kill-resume.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('drill: kill -9 at random points, then --resume', () => {
  it("ends with every cell exactly once and the server's exact text, after 3 kills in a row", async () => {
    const r = await killResumeDrill({
      repo,
      kills: 3,
      scenarios: 40,
      samples: 6,
      concurrency: 6,
      latencyMs: 40,
      minDelayMs: 0,
      maxDelayMs: 700,
      seed: 7,
    });
    expect(r.finalExitCode, r.finalStderr).toBe(0);
    expect(r.ledger.missing).toBe(0);
    expect(r.ledger.duplicates).toBe(0);
    expect(r.ledger.unique).toBe(240);
    expect(r.ledger.textMismatches).toBe(0);
    expect(r.ledger.tornBytes).toBe(0);
    expect(r.ledger.errored).toBe(0);
    // At least one kill must have hit the run mid-way, or the drill proved nothing.
    expect(r.midRunKills).toBe(3);
    // Finished cells are never requested again: the only extra requests are the ones in flight at each kill.
    expect(r.extraRequests).toBeGreaterThanOrEqual(0);
    expect(r.extraRequests).toBeLessThanOrEqual(3 * 6);
  }, 60_000);

  it('judging while the run goes: after 3 kills and resume, every cell AND every judgment exactly once, profile and report written', async () => {
    const r = await killResumeDrill({
      repo,
      kills: 3,
      scenarios: 40,
      samples: 6,
      concurrency: 6,
      latencyMs: 40,
      minDelayMs: 0,
      maxDelayMs: 700,
      seed: 8,
      judge: true,
    });
    expect(r.finalExitCode, r.finalStderr).toBe(0);
    expect(r.ledger.unique).toBe(240);
    expect(r.ledger.duplicates).toBe(0);
    expect(r.midRunKills).toBe(3);
    expect(r.judgments).toEqual({
      lines: 240,
      unique: 240,
      duplicates: 0,
      unjudged: 0,
      foreign: 0,
      profileWritten: true,
      reportWritten: true,
    });
  }, 90_000);
});
