import { describe, expect, it } from 'vitest';
import { judgeCostBench } from '../bench/judge-cost.js';

describe('judge input cost per transcript at list prices (issue #14 goal, figures from the local server usage)', () => {
  it('prompt caching cuts it by >= 60% and caching + batch by >= 75%, on both vendors, over the full suite', async () => {
    const vendors = await judgeCostBench();
    expect(vendors.map((v) => v.vendor)).toEqual(['anthropic', 'openai']);
    for (const v of vendors) {
      expect(v.plain.transcripts).toBe(228);
      // Plain: nothing read from or written to a cache, nothing batched.
      expect(v.plain.cacheReadTokens + v.plain.cacheWriteTokens + v.plain.batchedInputTokens).toBe(0);
      // Cached: every call after the first reads the static prefix.
      expect(v.cached.cacheReadTokens).toBeGreaterThan(0.5 * v.cached.inputTokens);
      expect(v.cachedBatch.batchedInputTokens).toBe(v.cachedBatch.inputTokens);
      expect(v.cachedReduction, `${v.vendor} cached`).toBeGreaterThanOrEqual(0.6);
      expect(v.cachedBatchReduction, `${v.vendor} cached + batch`).toBeGreaterThanOrEqual(0.75);
    }
    const anthropic = vendors[0]!;
    // Anthropic bills the first write above the input price: it shows up, once per cache lifetime.
    expect(anthropic.cached.cacheWriteTokens).toBeGreaterThan(0);
  }, 120_000);
});
