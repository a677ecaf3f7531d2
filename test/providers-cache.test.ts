import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../src/config/model-schema.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { type BatchRequestItem, batchCustomId } from '../src/providers/batch-model.js';
import type { GenerateRequest } from '../src/providers/language-model.js';
import { createBatchModel, createModel } from '../src/providers/registry.js';

// Well above the server's 1024-token minimum prefix (tokens are characters / 4).
const SYSTEM = 'You are a careful adviser who weighs honesty, loyalty and kindness before answering. '.repeat(80);
const ask = (content: string, cacheKey = 'judge-v1'): GenerateRequest => ({
  system: SYSTEM,
  messages: [{ role: 'user', content }],
  maxTokens: 200,
  sample: 0,
  cachePrefix: { cacheKey },
});

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 5 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const vendors = [
  { provider: 'anthropic', base: () => server.url },
  { provider: 'openai', base: () => `${server.url}/v1` },
] as const;

describe.each(vendors)('$provider prompt caching over real HTTP', ({ provider, base }) => {
  const spec = (): ModelSpec => ({ id: 'm', provider, model: 'synthetic-model', baseURL: base(), maxTokens: 200, concurrency: 1 });
  const deps = { env: {}, fetch: globalThis.fetch, cwd: process.cwd() };

  it('reads the cached prefix on the second request with cachePrefix', async () => {
    const m = createModel(spec(), deps);
    const first = await m.generate(ask('Should I tell my friend the truth?'));
    const second = await m.generate(ask('May I keep the wallet I found?'));
    expect(first.usage.cachedInputTokens).toBe(0);
    expect(second.usage.cachedInputTokens).toBeGreaterThan(0);
    expect(second.usage.cachedInputTokens).toBeLessThanOrEqual(second.usage.inputTokens);
    if (provider === 'anthropic') {
      // Anthropic reports the write, and inputTokens counts reads and writes as input.
      expect(first.usage.cacheWriteInputTokens).toBeGreaterThan(1000);
      expect(second.usage.cacheWriteInputTokens).toBe(0);
      expect(second.usage.cachedInputTokens).toBe(first.usage.cacheWriteInputTokens);
    } else {
      // OpenAI's usage shows no writes; the field stays absent rather than a made-up 0.
      expect(first.usage.cacheWriteInputTokens).toBeUndefined();
      expect(second.usage.cachedInputTokens % 128).toBe(0);
    }
    expect(server.stats().cacheReadTokens).toBe(second.usage.cachedInputTokens);
  });

  it('counts the same input tokens with and without the cache', async () => {
    const m = createModel(spec(), deps);
    const plain = await m.generate({ ...ask('Is a white lie ever right?'), cachePrefix: undefined });
    const write = await m.generate(ask('Is a white lie ever right?'));
    const read = await m.generate(ask('Is a white lie ever right?'));
    expect(plain.usage.cachedInputTokens).toBe(0);
    expect(plain.usage.cacheWriteInputTokens ?? 0).toBe(0);
    expect(write.usage.inputTokens).toBe(plain.usage.inputTokens);
    expect(read.usage.inputTokens).toBe(plain.usage.inputTokens);
    expect(read.text).toBe(plain.text);
  });

  it('caches structured requests (tool definition or response schema included in the prefix)', async () => {
    const m = createModel(spec(), deps);
    const structured = {
      name: 'record_verdict',
      schema: { type: 'object', properties: { stance: { type: 'string' } }, required: ['stance'], additionalProperties: false },
    };
    await m.generate({ ...ask('First question?'), structured });
    const second = await m.generate({ ...ask('Second question?'), structured });
    expect(second.usage.cachedInputTokens).toBeGreaterThan(0);
  });

  it('caches across the items of a batch, and counts the cache fields in the batched part', async () => {
    const b = createBatchModel(spec(), deps);
    const list: BatchRequestItem[] = ['One?', 'Two?', 'Three?'].map((q, i) => ({ customId: batchCustomId('tagP', i, 0), request: ask(q) }));
    const { id } = await b.submit(list, 'tagP');
    while ((await b.retrieve(id)).state !== 'ended');
    const results = await b.results(id);
    const usages = list.map((item) => {
      const r = results.find((x) => x.customId === item.customId);
      if (!r?.ok) throw new Error(`no answer for ${item.customId}`);
      return r.result.usage;
    });
    expect(usages[0]?.cachedInputTokens).toBe(0);
    for (const u of usages.slice(1)) {
      expect(u.cachedInputTokens).toBeGreaterThan(0);
      expect(u.batched?.cachedInputTokens).toBe(u.cachedInputTokens);
    }
    if (provider === 'anthropic') expect(usages[0]?.batched?.cacheWriteInputTokens).toBeGreaterThan(0);
  });
});

describe('openai prompt_cache_key', () => {
  it('misses the cache under another key', async () => {
    const m = createModel(
      { id: 'o', provider: 'openai', model: 'synthetic-model', baseURL: `${server.url}/v1`, maxTokens: 200, concurrency: 1 },
      {
        env: {},
        fetch: globalThis.fetch,
        cwd: process.cwd(),
      },
    );
    await m.generate(ask('First?', 'key-a'));
    expect((await m.generate(ask('Second?', 'key-b'))).usage.cachedInputTokens).toBe(0);
    expect((await m.generate(ask('Third?', 'key-a'))).usage.cachedInputTokens).toBeGreaterThan(0);
  });
});

describe('anthropic without a system prompt', () => {
  it('puts the breakpoint on the structured-output tool, so a long tool definition is cached', async () => {
    const m = createModel(
      { id: 'a', provider: 'anthropic', model: 'synthetic-model', baseURL: server.url, maxTokens: 200, concurrency: 1 },
      {
        env: {},
        fetch: globalThis.fetch,
        cwd: process.cwd(),
      },
    );
    const structured = {
      name: 'record_verdict',
      description: SYSTEM,
      schema: { type: 'object', properties: { stance: { type: 'string' } } },
    };
    const req = (content: string): GenerateRequest => ({
      messages: [{ role: 'user', content }],
      maxTokens: 200,
      structured,
      cachePrefix: { cacheKey: 'k' },
    });
    const first = await m.generate(req('One?'));
    const second = await m.generate(req('Two?'));
    expect(first.usage.cacheWriteInputTokens).toBeGreaterThan(1000);
    expect(second.usage.cachedInputTokens).toBe(first.usage.cacheWriteInputTokens);
  });
});
