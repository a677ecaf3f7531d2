import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../src/config/model-schema.js';
import { UsageError } from '../src/core/errors.js';
import type { Scenario } from '../src/scenarios/schema.js';
import { estimatePlan } from '../src/stages/run/dry-run.js';
import { planRun } from '../src/stages/run/plan.js';
import { Progress } from '../src/stages/run/progress.js';
import { FakeClock } from './fixtures/runner-fake-clock.js';

const scenario = (id: string, domain: string): Scenario => ({
  id,
  domain,
  title: id,
  messages: [{ role: 'user', content: 'x'.repeat(400) }],
  userValues: [],
  tags: [],
  file: `${domain}/${id}.yaml`,
  hash: `h-${id}`,
});
const suite = [scenario('a-one', 'alpha'), scenario('a-two', 'alpha'), scenario('b-one', 'beta')];
const model = (id: string, extra: Partial<ModelSpec> = {}): ModelSpec => ({
  id,
  provider: 'openai',
  model: `${id}-wire`,
  maxTokens: 100,
  concurrency: 2,
  temperature: 0.7,
  ...extra,
});
const config = { models: [model('m1'), model('m2')], runner: { samples: 2 } } as Parameters<typeof planRun>[0];

describe('planRun', () => {
  it('makes model x scenario x sample cells with the model parameters', () => {
    const plan = planRun(config, suite);
    expect(plan.cells).toHaveLength(12);
    expect(plan.cells[0]).toMatchObject({ cellId: 'm1/a-one/0', sample: 0, request: { temperature: 0.7, maxTokens: 100, sample: 0 } });
    expect(new Set(plan.cells.map((c) => c.cellId)).size).toBe(12);
  });

  it('filters by model, domain, glob on id or file path, and samples', () => {
    expect(planRun(config, suite, { models: ['m2'], samples: 1 }).cells.map((c) => c.cellId)).toEqual([
      'm2/a-one/0',
      'm2/a-two/0',
      'm2/b-one/0',
    ]);
    expect(planRun(config, suite, { domains: ['beta'] }).scenarios.map((s) => s.id)).toEqual(['b-one']);
    expect(planRun(config, suite, { scenarios: '*-one' }).scenarios.map((s) => s.id)).toEqual(['a-one', 'b-one']);
    expect(planRun(config, suite, { scenarios: 'alpha/**' }).scenarios.map((s) => s.id)).toEqual(['a-one', 'a-two']);
  });

  it('rejects unknown names with the list of known ones', () => {
    expect(() => planRun(config, suite, { models: ['m9'] })).toThrow(UsageError);
    expect(() => planRun(config, suite, { models: ['m9'] })).toThrow(/config has: m1, m2/);
    expect(() => planRun(config, suite, { domains: ['gamma'] })).toThrow(/suite has: alpha, beta/);
    expect(() => planRun(config, suite, { scenarios: 'zzz*' })).toThrow(/matches no scenario/);
  });

  it('estimates tokens (chars / 4) and cost from the price table', () => {
    const plan = planRun(config, suite, { models: ['m1'], samples: 1 });
    const [row] = estimatePlan(plan, { 'm1-wire': { input: 2, output: 10 } });
    expect(row).toMatchObject({ cells: 3, inputTokens: 3 * (100 + 4), outputTokensMax: 300, outputTokensTypical: 120 });
    expect(row!.costMax).toBeCloseTo((312 * 2 + 300 * 10) / 1e6, 10);
    expect(estimatePlan(plan, {})[0]!.costTypical).toBeUndefined();
  });
});

describe('Progress', () => {
  it('prints a plain line per model periodically when not a TTY, with ETA from the current rate', async () => {
    const clock = new FakeClock();
    let out = '';
    const p = new Progress({ stream: { write: (s: string) => (out += s), isTTY: false }, clock, intervalMs: 1000 });
    p.start([{ id: 'm1', total: 10, done: 2, errors: 1, price: { input: 1, output: 2 } }]);
    for (let i = 0; i < 4; i++) p.record('m1', { errored: i === 0, inputTokens: 100_000, outputTokens: 50_000 });
    await clock.run(clock.sleep(1000));
    p.stop();
    expect(out).toBe('[progress] m1: 6/10 done, 2 errors, 600000 tokens, $0.80, ETA 1s\n');
    expect(p.totals()).toEqual({ done: 6, errors: 2, total: 10 });
  });

  it('draws live bars on a TTY', () => {
    let out = '';
    const p = new Progress({
      stream: { write: (s: string) => (out += s), isTTY: true, columns: 120 },
      clock: new FakeClock(),
      intervalMs: 1000,
    });
    p.start([
      { id: 'claude', total: 4, done: 0, errors: 0, price: undefined },
      { id: 'gpt', total: 4, done: 0, errors: 0, price: undefined },
    ]);
    p.record('gpt', { errored: false, inputTokens: 5, outputTokens: 7 });
    p.stop();
    expect(out).toMatch(/claude .*0\/4/);
    expect(out).toMatch(/gpt .*1\/4 \| errors 0 \| tokens 12 \| cost n\/a/);
  });
});
