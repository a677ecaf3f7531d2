import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ModelSpec } from '../src/config/model-schema.js';
import { ConfigError, ProviderError } from '../src/core/errors.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import {
  type BatchItemResult,
  type BatchModel,
  type BatchRequestItem,
  type BatchStatus,
  batchCustomId,
} from '../src/providers/batch-model.js';
import type { GenerateRequest } from '../src/providers/language-model.js';
import { parseOutputLines } from '../src/providers/openai/batch-output.js';
import { createBatchModel, createModel } from '../src/providers/registry.js';

const SECRET = 'sk-test-SECRET-key-0123456789';
const Verdict = z.strictObject({ stance: z.enum(['support', 'reframe', 'resist']), confidence: z.number().min(0).max(1) });
const structured = { name: 'record_verdict', schema: z.toJSONSchema(Verdict) as Record<string, unknown> };
const QUESTIONS = ['Should I tell my friend the truth?', 'Is it fair to keep the found wallet?', 'May I skip the meeting?'];

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 11 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.setOptions({ batchItemErrorRate: undefined, batchExpire: undefined, apiKey: undefined, echoKey: undefined });
});

/** Six requests: three questions, plain and structured, over samples 0..2. */
function items(tag: string, count = 6): BatchRequestItem[] {
  return Array.from({ length: count }, (_, i) => {
    const request: Omit<GenerateRequest, 'signal'> = {
      system: 'You are a careful adviser.',
      messages: [{ role: 'user', content: QUESTIONS[i % QUESTIONS.length]! }],
      maxTokens: 300,
      sample: i % 3,
      ...(i % 2 === 1 ? { structured } : {}),
    };
    return { customId: batchCustomId(tag, i, request.sample), request };
  });
}

const vendors = [
  { provider: 'anthropic', keyEnv: 'ANTHROPIC_API_KEY', base: () => server.url },
  { provider: 'openai', keyEnv: 'OPENAI_API_KEY', base: () => `${server.url}/v1` },
] as const;

describe.each(vendors)('$provider batch adapter over real HTTP', ({ provider, keyEnv, base }) => {
  const spec = (extra: Partial<ModelSpec> = {}): ModelSpec => ({
    id: 'm',
    provider,
    model: 'synthetic-model',
    baseURL: base(),
    maxTokens: 300,
    concurrency: 1,
    ...extra,
  });
  const deps = { env: { [keyEnv]: SECRET }, fetch: globalThis.fetch, cwd: process.cwd() };
  const batchModel = (extra: Partial<ModelSpec> = {}): BatchModel => createBatchModel(spec(extra), deps);

  async function untilEnded(m: BatchModel, id: string): Promise<BatchStatus> {
    for (let i = 0; i < 20; i++) {
      const s = await m.retrieve(id);
      if (s.state === 'ended') return s;
    }
    throw new Error(`batch ${id} did not end`);
  }
  async function run(m: BatchModel, list: BatchRequestItem[], tag: string): Promise<{ status: BatchStatus; results: BatchItemResult[] }> {
    const { id } = await m.submit(list, tag);
    const status = await untilEnded(m, id);
    return { status, results: await m.results(id) };
  }
  function byId(results: BatchItemResult[]): Map<string, BatchItemResult> {
    const map = new Map(results.map((r) => [r.customId, r]));
    expect(map.size).toBe(results.length);
    return map;
  }

  it('answers every item once, with the text the single-request adapter gives for the same request and sample', async () => {
    const m = batchModel();
    expect(m.provider).toBe(provider);
    const list = items('tagA');
    const { status, results } = await run(m, list, 'tagA');
    expect(status.counts).toMatchObject({ processing: 0, succeeded: 6, errored: 0 });
    expect(status.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const got = byId(results);
    expect([...got.keys()].sort()).toEqual(list.map((i) => i.customId).sort());
    const single = createModel(spec(), deps);
    for (const item of list) {
      const r = got.get(item.customId)!;
      if (!r.ok) throw new Error(`${item.customId} failed: ${r.failure.message}`);
      const one = await single.generate(item.request);
      expect(r.result.text).toBe(one.text);
      expect(r.result.finishReason).toBe(one.finishReason);
      expect(r.result.served?.model).toBe(one.served?.model);
      if (item.request.structured) expect(Verdict.safeParse(JSON.parse(r.result.text)).success).toBe(true);
      const { inputTokens, outputTokens, cachedInputTokens } = r.result.usage;
      expect(r.result.usage.batched).toMatchObject({ inputTokens, outputTokens, cachedInputTokens });
      expect(outputTokens).toBeGreaterThan(0);
    }
  });

  it('maps a resumed process’s results the same way, and reports expected items without a result as batch_missing', async () => {
    const list = items('tagR');
    const { id } = await batchModel().submit(list, 'tagR');
    // A new adapter knows nothing of the submit, as after a restart.
    const fresh = batchModel();
    await untilEnded(fresh, id);
    const extra = batchCustomId('tagR', 99, 0);
    const results = await fresh.results(id, undefined, [...list.map((i) => i.customId), extra]);
    const got = byId(results);
    expect(got.get(extra)).toMatchObject({ ok: false, failure: { kind: 'batch_missing', retryable: true } });
    const single = createModel(spec(), deps);
    for (const item of list) {
      const r = got.get(item.customId);
      expect(r?.ok).toBe(true);
      if (r?.ok) expect(r.result.text).toBe((await single.generate(item.request)).text);
    }
    const withoutList = byId(await batchModel().results(id));
    expect(withoutList.size).toBe(list.length);
  });

  it('returns errored items as retryable batch_errored failures and answers the rest', async () => {
    server.setOptions({ batchItemErrorRate: 0.5 });
    const list = items('tagE', 12);
    const { status, results } = await run(batchModel(), list, 'tagE');
    const got = byId(results);
    expect(got.size).toBe(12);
    const failed = results.filter((r) => !r.ok);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(12);
    for (const r of failed) expect(r.ok ? undefined : r.failure).toMatchObject({ kind: 'batch_errored', retryable: true, status: 500 });
    expect(status.counts.succeeded).toBe(12 - failed.length);
  });

  it('returns expired items as retryable batch_expired failures', async () => {
    server.setOptions({ batchExpire: true });
    const { status, results } = await run(batchModel(), items('tagX', 3), 'tagX');
    expect(status.counts.expired).toBe(3);
    for (const r of results) expect(r.ok ? undefined : r.failure).toMatchObject({ kind: 'batch_expired', retryable: true });
  });

  it('cancels a batch: it ends with every item a retryable batch_canceled failure', async () => {
    const m = batchModel();
    const list = items('tagC', 4);
    const { id } = await m.submit(list, 'tagC');
    await m.cancel(id);
    const status = await untilEnded(m, id);
    expect(status.counts.canceled).toBe(4);
    const results = await m.results(id);
    expect(results).toHaveLength(4);
    for (const r of results) expect(r.ok ? undefined : r.failure).toMatchObject({ kind: 'batch_canceled', retryable: true });
  });

  it('finds a batch submitted before a crash: by tag on OpenAI, by time and size on Anthropic', async () => {
    const m = batchModel();
    const since = new Date(Date.now() - 5_000).toISOString();
    const { id } = await m.submit(items('tagF', 5), 'tagF');
    const { id: other } = await m.submit(items('tagG', 3), 'tagG');
    const found = await m.findCandidates('tagF', since, 5);
    expect(found.map((f) => f.id)).toEqual([id]);
    expect(found[0]?.createdAt).toMatch(/^\d{4}-/);
    const otherFound = await m.findCandidates('tagG', since, 3);
    expect(otherFound.map((f) => f.id)).toEqual([other]);
    expect(await m.findCandidates('tagF', new Date(Date.now() + 60_000).toISOString(), 5)).toEqual([]);
    expect(await m.findCandidates('tagZ', since, 4)).toEqual([]);
  });

  it('turns a rejected create into a ProviderError without the key in its message', async () => {
    server.setOptions({ apiKey: 'the-right-key-000000', echoKey: true });
    const err = await batchModel()
      .submit(items('tagK', 2), 'tagK')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ProviderError);
    expect([(err as ProviderError).kind, (err as ProviderError).retryable]).toEqual(['auth', false]);
    expect((err as Error).message).not.toContain(SECRET);
  });
});

describe('batch input the vendor refuses', () => {
  const deps = { env: {}, fetch: globalThis.fetch, cwd: process.cwd() };
  it('fails every item of a failed OpenAI batch as a non-retryable batch_errored', async () => {
    const m = createBatchModel(
      { id: 'o', provider: 'openai', model: 'synthetic-model', baseURL: `${server.url}/v1`, maxTokens: 50, concurrency: 1 },
      deps,
    );
    const list = items('tagD', 2).map((i) => ({ ...i, customId: 'tagD_dup' }));
    const { id } = await m.submit(list, 'tagD');
    const status = await m.retrieve(id);
    expect(status.state).toBe('ended');
    const results = await m.results(id, undefined, ['tagD_dup']);
    expect(results).toEqual([
      { customId: 'tagD_dup', ok: false, failure: expect.objectContaining({ kind: 'batch_errored', retryable: false }) },
    ]);
    expect(results[0]?.ok === false && results[0].failure.message).toMatch(/the batch failed: .*custom_id/i);
  });

  it('rejects an Anthropic batch with duplicate custom ids as a non-retryable bad_request', async () => {
    const m = createBatchModel(
      { id: 'a', provider: 'anthropic', model: 'synthetic-model', baseURL: server.url, maxTokens: 50, concurrency: 1 },
      deps,
    );
    const list = items('tagD', 2).map((i) => ({ ...i, customId: 'tagD_dup' }));
    const err = await m.submit(list, 'tagD').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect([(err as ProviderError).kind, (err as ProviderError).retryable]).toEqual(['bad_request', false]);
  });

  it('names the model and says batch mode needs anthropic or openai for any other provider', () => {
    const spec: ModelSpec = { id: 'old-run', provider: 'replay', model: 'x', maxTokens: 10, concurrency: 1, replayFrom: 'nowhere' };
    expect(() => createBatchModel(spec, deps, 'my.yaml')).toThrow(ConfigError);
    try {
      createBatchModel(spec, deps, 'my.yaml');
    } catch (e) {
      expect((e as ConfigError).message).toMatch(/models\[old-run\]\.provider/);
      expect((e as ConfigError).message).toMatch(/anthropic, openai/);
    }
  });
});

describe('OpenAI batch output lines', () => {
  const completion = (text: string) => ({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  });
  const ok = (id: string, text: string) =>
    JSON.stringify({ custom_id: id, response: { status_code: 200, request_id: 'r1', body: completion(text) } });
  const scrub = (s: string) => s.replaceAll(SECRET, '[redacted]');

  it('turns malformed lines into batch_missing for their items and never throws', () => {
    const text = [
      ok('a', 'fine'),
      '{"custom_id": "b", "response": {"status_code": 200, "body": {"choices": [1]}}}',
      '{not json at all',
      JSON.stringify({ custom_id: 'c', response: { status_code: 200, body: { ...completion('x'), choices: 'no' } } }),
      JSON.stringify({
        custom_id: 'e',
        response: { status_code: 400, body: { error: { message: `bad key ${SECRET}`, code: 'invalid' } } },
      }),
      JSON.stringify({ custom_id: 'f', response: { status_code: 429, body: { error: { message: 'slow down' } } } }),
      JSON.stringify({ custom_id: 'g', response: null, error: { code: 'batch_expired', message: 'expired' } }),
    ].join('\n');
    const got = new Map(
      parseOutputLines(text, ['a', 'b', 'c', 'd', 'e', 'f', 'g'], { status: 'completed' }, scrub).map((r) => [r.customId, r]),
    );
    expect(got.get('a')).toMatchObject({ ok: true, result: { text: 'fine', usage: { inputTokens: 10, batched: { inputTokens: 10 } } } });
    for (const id of ['b', 'c', 'd']) expect(got.get(id)).toMatchObject({ ok: false, failure: { kind: 'batch_missing', retryable: true } });
    expect(got.get('e')).toMatchObject({ ok: false, failure: { kind: 'batch_errored', retryable: false, status: 400 } });
    expect(JSON.stringify(got.get('e'))).not.toContain(SECRET);
    expect(got.get('f')).toMatchObject({ ok: false, failure: { kind: 'batch_errored', retryable: true, status: 429 } });
    expect(got.get('g')).toMatchObject({ ok: false, failure: { kind: 'batch_expired', retryable: true } });
  });
});
