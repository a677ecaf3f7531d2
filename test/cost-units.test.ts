import { describe, expect, it } from 'vitest';
import { Budget, estimateCost } from '../src/calls/budget.js';
import { pricer, priceUsage } from '../src/config/model-schema.js';
import { isAbortedCall } from '../src/core/errors.js';
import { addUsage, priceSpend, splitText } from '../src/records/spend.js';
import { formatJudgeSummary, type JudgeSummary } from '../src/stages/judge/judge-summary.js';
import { tokens } from '../src/stages/report/provenance-format.js';
import { Progress } from '../src/stages/run/progress.js';
import { FakeClock } from './fixtures/runner-fake-clock.js';

const SONNET = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 };

describe('priceUsage: the one formula', () => {
  it('prices plain input, cache reads, cache writes and output each at its price (USD per million tokens)', () => {
    // 700k plain x $3 + 200k read x $0.30 + 100k written x $3.75 + 500k out x $15 = 2.1 + 0.06 + 0.375 + 7.5
    const u = { inputTokens: 1_000_000, outputTokens: 500_000, cachedInputTokens: 200_000, cacheWriteInputTokens: 100_000 };
    expect(priceUsage(u, SONNET)).toBeCloseTo(10.035, 12);
    // Without cache prices, reads and writes cost the input price: 1M x $3 + 500k x $15.
    expect(priceUsage(u, { input: 3, output: 15 })).toBeCloseTo(10.5, 12);
  });

  it('takes the batch multiplier (default 0.5) off the batched part only', () => {
    const batched = { inputTokens: 400_000, outputTokens: 100_000, cachedInputTokens: 0 };
    const u = { inputTokens: 1_000_000, outputTokens: 500_000, cachedInputTokens: 200_000, cacheWriteInputTokens: 100_000, batched };
    // The batched part alone is 400k x $3 + 100k x $15 = $2.70; half of it is saved.
    expect(priceUsage(u, SONNET)).toBeCloseTo(10.035 - 1.35, 12);
    expect(priceUsage(u, { ...SONNET, batch: 0.4 })).toBeCloseTo(10.035 - 2.7 * 0.6, 12);
  });

  it('prices by wire model name, null without a price', () => {
    const price = pricer({ 'claude-sonnet-5-5': SONNET });
    expect(price('claude-sonnet-5-5', { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(3, 12);
    expect(price('gpt-x', { inputTokens: 1, outputTokens: 1 })).toBeNull();
  });

  it('sums usages with their cache writes and batched parts, and names the non-plain parts', () => {
    const a = { inputTokens: 100, outputTokens: 10, cachedInputTokens: 60 };
    const b = {
      inputTokens: 50,
      outputTokens: 5,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 40,
      batched: { inputTokens: 50, outputTokens: 5 },
    };
    const s = addUsage(a, b);
    expect(s).toEqual({
      inputTokens: 150,
      outputTokens: 15,
      cachedInputTokens: 60,
      cacheWriteInputTokens: 40,
      batched: { inputTokens: 50, outputTokens: 5, cachedInputTokens: 0 },
    });
    expect(splitText(s)).toBe('plain 50, cache read 60, cache write 40, batched 55');
    expect(splitText(a)).toBe('plain 40, cache read 60');
    expect(splitText({ inputTokens: 9, outputTokens: 1 })).toBe('');
  });

  it("a judge panel of two models is unpriced in reports, and at most its dearest model's price for a budget", () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 0 };
    const tally = {
      models: new Map(),
      judge: new Map([
        [
          'anthropic:claude-sonnet-5-5+openai:gpt-x',
          { models: ['anthropic:claude-sonnet-5-5', 'openai:gpt-x'], requests: 2, reused: 0, usage },
        ],
      ]),
    };
    const price = pricer({ 'claude-sonnet-5-5': SONNET, 'gpt-x': { input: 1.25, output: 10 } });
    const key = 'anthropic:claude-sonnet-5-5+openai:gpt-x';
    expect(priceSpend(tally, price, 'h').judge[key]?.costUsd).toBeNull();
    // 1M input tokens at the dearer $3: an upper bound, never $0 for a resumed run's budget.
    expect(priceSpend(tally, price, 'h', { panels: 'at-most' }).judge[key]?.costUsd).toBeCloseTo(3, 12);
    const unpriced = pricer({ 'claude-sonnet-5-5': SONNET });
    expect(priceSpend(tally, unpriced, 'h', { panels: 'at-most' }).judge[key]?.costUsd).toBeNull();
  });
});

describe('Budget', () => {
  // 400 characters = 100 tokens, plus 4 of framing; maxTokens 1,000 out; at $1,000 per million: $1.104.
  const request = { messages: [{ role: 'user' as const, content: 'x'.repeat(400) }], maxTokens: 1000 };
  const price = { input: 1000, output: 1000 };

  it('estimates an attempt at its whole input and maxTokens of output, at the batch price in batch mode', () => {
    expect(estimateCost(request, price, false)).toBeCloseTo(1.104, 12);
    expect(estimateCost(request, price, true)).toBeCloseTo(0.552, 12);
    const structured = { ...request, structured: { name: 'x', schema: { type: 'object', title: 'abcd' } } };
    // The schema is sent too: 32 characters of JSON = 8 tokens more.
    expect(estimateCost(structured, price, false)).toBeCloseTo(1.112, 12);
    // A prompt marked for caching is reserved at the cache-write price when that is dearer: 104 x $1,250/M + $1.
    const cached = { ...request, cachePrefix: { cacheKey: 'k' } };
    expect(estimateCost(cached, { ...price, cacheWrite: 1250 }, false)).toBeCloseTo(1.13, 12);
    expect(estimateCost(cached, { ...price, cacheWrite: 0 }, false)).toBeCloseTo(1.104, 12);
  });

  it('refuses an attempt when spent + in flight + its estimate would pass the limit, then refuses everything', () => {
    const budget = new Budget(3.5, { prices: { m: price }, configHash: 'h', source: '--max-cost', prior: { models: 0.2, judge: 0.1 } });
    const calls = budget.charge('models', 'm', false);
    const first = calls.reserve(request); // 0.3 + 1.104
    calls.reserve(request); // 0.3 + 2.208 = 2.508: still under 3.5
    // A third in flight would make 3.612.
    expect(() => calls.reserve(request)).toThrow(/not sent: the --max-cost limit of \$3\.50 would be passed/);
    expect(budget.stopped).toBe(true);
    expect(budget.signal.aborted).toBe(true);
    // The real usage replaces the estimate: 100 in + 50 out at $1,000 per million.
    first.settle({ inputTokens: 100, outputTokens: 50, cachedInputTokens: 0 });
    first.settle({ inputTokens: 100, outputTokens: 50, cachedInputTokens: 0 });
    expect(budget.spent()).toEqual({ models: expect.closeTo(0.35, 12), judge: 0.1, total: expect.closeTo(0.45, 12) });
    // Once stopped, even an attempt that would fit now is refused: the run is winding down.
    let refusal: unknown;
    try {
      budget.charge('judge', 'm', false).reserve({ ...request, maxTokens: 1 });
    } catch (e) {
      refusal = e;
    }
    expect(isAbortedCall(refusal)).toBe(true);
    expect(budget.refused).toBe(2);
  });

  it('without a limit only counts, and needs a price only with a limit', () => {
    const counting = new Budget(undefined, { prices: {}, configHash: 'h', source: 'runner.maxCost' });
    counting.charge('models', 'unpriced', false).reserve(request).settle({ inputTokens: 5, outputTokens: 5, cachedInputTokens: 0 });
    expect(counting.stopped).toBe(false);
    expect(counting.spent().total).toBe(0);
    const limited = new Budget(1, { prices: {}, configHash: 'h', source: 'runner.maxCost' });
    expect(() => limited.charge('models', 'unpriced', false)).toThrow(/runner\.maxCost needs a price .*add `unpriced` under `prices:`/);
  });
});

describe('progress and summaries', () => {
  it('prints model rows with the token split and reused cells at $0, and a judge row', async () => {
    const clock = new FakeClock();
    let out = '';
    const p = new Progress({ stream: { write: (s: string) => (out += s), isTTY: false }, clock, intervalMs: 1000 });
    p.startJudge('judge default@1', SONNET);
    p.start([{ id: 'm1', total: 4, done: 0, errors: 0, price: SONNET }]);
    p.record('m1', { errored: false, inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 500_000 });
    // A reused answer is counted, not paid: its tokens do not enter this run's figures.
    p.record('m1', { errored: false, reused: true, inputTokens: 9_000_000, outputTokens: 9_000_000, cachedInputTokens: 0 });
    p.recordJudgment({ errored: false, usage: { inputTokens: 100_000, outputTokens: 100_000, cachedInputTokens: 0 } });
    p.recordJudgment({ errored: false, usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 } });
    p.recordJudgment({ errored: true, usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 } });
    await clock.run(clock.sleep(1000));
    p.stop();
    // 500k plain x $3 + 500k read x $0.30 = $1.65; judge 100k x $3 + 100k x $15 = $1.80.
    expect(out).toBe(
      '[progress] m1: 2/4 done, 0 errors, 1000000 tokens (plain 500000, cache read 500000), $1.65, 1 reused ($0), ETA 1s\n' +
        '[progress] judge default@1: 3 judged, 1 judge errors, 200000 tokens, $1.80, 1 from the judge cache ($0)\n',
    );
  });

  it('draws a judge bar next to the model bars on a TTY', () => {
    let out = '';
    const p = new Progress({
      stream: { write: (s: string) => (out += s), isTTY: true, columns: 160 },
      clock: new FakeClock(),
      intervalMs: 1000,
    });
    p.startJudge('judge default@1', 'free');
    p.start([{ id: 'm1', total: 2, done: 0, errors: 0, price: undefined }]);
    p.record('m1', { errored: false, inputTokens: 5, outputTokens: 7 });
    p.recordJudgment({ errored: false, usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 } });
    p.stop();
    expect(out).toMatch(/m1 +\[.*\] 1\/2 \| errors 0 \| tokens 12 \| cost n\/a/);
    expect(out).toMatch(/judge default@1 judged 1 \| judge errors 0 \| tokens 0 \| \$0\.00/);
  });

  it('prints the judge summary with its tokens split and its cost from judge-summary spend', () => {
    const usage = { inputTokens: 1200, outputTokens: 300, cachedInputTokens: 1000 };
    const line = { requests: 4, reused: 2, usage, costUsd: 0.0042 };
    const s = {
      judgeId: 'default@1',
      judgeModels: ['anthropic:x'],
      cells: 6,
      judged: 6,
      noResponse: 0,
      errors: 0,
      errorKinds: {},
      usage,
    } as const;
    const summary = {
      v: 1,
      judgeHash: 'h',
      ...s,
      judgeModels: [...s.judgeModels],
      coverage: { ai: cov(), human: cov(), all: cov() },
      reliability: { raters: 1, cells: 0, responseTypeAlpha: null, refusalAlpha: null, aiValuesJaccard: null, humanValuesJaccard: null },
      spend: { judge: { 'anthropic:x': line }, pricedWithConfigHash: 'h' },
    } as unknown as JudgeSummary;
    expect(formatJudgeSummary(summary)).toContain(
      "judge tokens: 1200 in (plain 200, cache read 1000), 300 out; cost $0.0042 at the config's prices; 2 cells judged from the judge cache ($0)",
    );
    const unpriced = { ...summary, spend: { judge: { 'anthropic:x': { ...line, costUsd: null } }, pricedWithConfigHash: 'h' } };
    expect(formatJudgeSummary(unpriced)).toContain('cost unknown: no price for anthropic:x');
  });

  it('shows the report provenance tokens split by plain, cache read, cache write and batched', () => {
    expect(tokens({ input: 12_345, output: 3_456, cachedInput: 0 })).toBe('12,345 in / 3,456 out');
    expect(
      tokens({
        input: 12_345,
        output: 3_456,
        cachedInput: 1_024,
        cacheWrite: 200,
        batched: { input: 5_000, output: 1_000, cachedInput: 0 },
      }),
    ).toBe('12,345 in (plain 11,121, cache read 1,024, cache write 200) / 3,456 out; batched 5,000 in / 1,000 out');
  });
});

function cov() {
  return { total: 0, exact: 0, lexical: 0, judge: 0, unmapped: 0, share: 1 };
}
