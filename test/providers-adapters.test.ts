import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ModelSpec } from '../src/config/model-schema.js';
import { EnvironmentError, ProviderError } from '../src/core/errors.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import type { GenerateRequest, LanguageModel } from '../src/providers/language-model.js';
import { isTimeoutAbort } from '../src/providers/provider-errors.js';
import { createModel } from '../src/providers/registry.js';

const SECRET = 'sk-test-SECRET-key-0123456789';
const Judgment = z.strictObject({
  values: z.array(z.string()).min(1).max(4),
  stance: z.enum(['support', 'reframe', 'resist']),
  confidence: z.number().min(0).max(1),
  detail: z.strictObject({ refused: z.boolean(), note: z.string() }),
});
const structured = { name: 'record_judgment', schema: z.toJSONSchema(Judgment) as Record<string, unknown> };
const ask: GenerateRequest = {
  messages: [{ role: 'user', content: 'Should I tell my friend the truth about her partner?' }],
  maxTokens: 300,
  sample: 0,
};

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 7 });
});
afterAll(() => server.close());

const vendors = [
  { provider: 'anthropic', keyEnv: 'ANTHROPIC_API_KEY', base: () => server.url, overload: 529 },
  { provider: 'openai', keyEnv: 'OPENAI_API_KEY', base: () => `${server.url}/v1`, overload: 503 },
] as const;

describe.each(vendors)('$provider adapter over real HTTP', ({ provider, keyEnv, base, overload }) => {
  function model(extra: Partial<ModelSpec> = {}, env: Record<string, string> = { [keyEnv]: SECRET }): LanguageModel {
    const spec: ModelSpec = { id: 'm', provider, model: 'synthetic-model', baseURL: base(), maxTokens: 300, concurrency: 1, ...extra };
    return createModel(spec, { env, fetch: globalThis.fetch, cwd: process.cwd() });
  }
  const faulty = (fault: string): LanguageModel => model({ headers: { 'x-valuescope-fault': fault } });
  async function failure(m: LanguageModel, req: GenerateRequest = ask): Promise<ProviderError> {
    const err = await m.generate(req).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }

  it('returns text, finish reason, usage and the request id', async () => {
    const r = await model().generate(ask);
    expect(r.text).toMatch(/synthetic answer/);
    expect(r.finishReason).toBe('stop');
    expect(r.usage.inputTokens).toBeGreaterThan(5);
    expect(r.usage.outputTokens).toBeGreaterThan(10);
    expect(r.usage.cachedInputTokens).toBe(0);
    expect(r.requestId).toMatch(/^req_vs[0-9a-f]{8}$/);
    expect(r.latencyMs).toBeGreaterThan(0);
  });

  it('reports length when maxTokens cuts the answer', async () => {
    const r = await model().generate({ ...ask, maxTokens: 5 });
    expect(r.finishReason).toBe('length');
    expect(r.text.length).toBeLessThanOrEqual(20);
  });

  it('returns structured output that validates against the schema', async () => {
    for (let sample = 0; sample < 5; sample++) {
      const r = await model().generate({ ...ask, structured, sample });
      expect(Judgment.safeParse(JSON.parse(r.text)).success).toBe(true);
      expect(r.finishReason).toBe('stop');
    }
  });

  it('returns malformed or schema-invalid JSON under the badjson fault', async () => {
    for (let sample = 0; sample < 4; sample++) {
      const r = await faulty('badjson').generate({ ...ask, structured, sample });
      let ok = false;
      try {
        ok = Judgment.safeParse(JSON.parse(r.text)).success;
      } catch {
        ok = false;
      }
      expect(ok).toBe(false);
    }
  });

  it('maps 429 to a retryable error with retry-after parsed', async () => {
    server.setOptions({ retryAfterS: 3 });
    const e1 = await failure(faulty('429'));
    expect([e1.kind, e1.status, e1.retryable, e1.retryAfterMs]).toEqual(['http_429', 429, true, 3000]);
    expect(e1.requestId).toMatch(/^req_vs/);
    server.setOptions({ retryAfterMs: 250 });
    const e2 = await failure(faulty('429'));
    expect(e2.retryAfterMs).toBe(250);
    server.setOptions({ retryAfterS: undefined, retryAfterMs: undefined });
  });

  it('maps 500 and overload to retryable errors', async () => {
    const e500 = await failure(faulty('500'));
    expect([e500.kind, e500.retryable]).toEqual(['http_500', true]);
    const eOver = await failure(faulty('overload'));
    expect([eOver.kind, eOver.status, eOver.retryable]).toEqual([`http_${overload}`, overload, true]);
  });

  it('surfaces an abort of a hung request as aborted, and tells a timeout from Ctrl-C', async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    const e = await failure(faulty('hang'), { ...ask, signal: ctrl.signal });
    expect([e.kind, e.retryable, isTimeoutAbort(e)]).toEqual(['aborted', false, false]);
    const t = await failure(faulty('hang'), { ...ask, signal: AbortSignal.timeout(50) });
    expect([t.kind, t.retryable, isTimeoutAbort(t)]).toEqual(['aborted', false, true]);
  });

  it('maps a connection dropped mid-response to a retryable connection_reset', async () => {
    const e = await failure(faulty('drop'));
    expect([e.kind, e.retryable]).toEqual(['connection_reset', true]);
  });

  it('maps a refused connection to a retryable error', async () => {
    const closed = await startLocalServer();
    await closed.close();
    const e = await failure(model({ baseURL: `${closed.url}/v1` }));
    expect([e.kind, e.retryable]).toEqual(['connection_refused', true]);
  });

  it('maps 401 to an auth error that says how to fix it and never shows the key', async () => {
    server.setOptions({ apiKey: 'the-right-key-000000' });
    try {
      const e = await failure(model());
      expect([e.kind, e.status, e.retryable]).toEqual(['auth', 401, false]);
      expect(e.message).toContain(keyEnv);
      expect(e.message).toContain('apiKeyEnv');
      const everything = JSON.stringify({ m: e.message, s: e.stack, c: String(e.cause), e });
      expect(everything).not.toContain(SECRET);
    } finally {
      server.setOptions({ apiKey: undefined });
    }
  });

  it('maps 404 to a non-retryable model_not_found that says to check the model name', async () => {
    const e = await failure(faulty('404'));
    expect([e.kind, e.retryable]).toEqual(['model_not_found', false]);
    expect(e.message).toMatch(/check the model name/);
  });

  it('needs an API key for a remote server, with the fix in the message', () => {
    expect(() => model({ baseURL: 'https://api.example.com/v1' }, {})).toThrow(EnvironmentError);
    expect(() => model({ baseURL: 'https://api.example.com/v1' }, {})).toThrow(new RegExp(`set ${keyEnv}`));
    expect(() => model({ baseURL: 'https://api.example.com/v1', apiKeyEnv: 'MY_KEY' }, { MY_KEY: 'k' })).not.toThrow();
  });

  it('keeps the key out of results and metadata', async () => {
    const r = await model().generate(ask);
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });
});
