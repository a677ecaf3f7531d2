import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';

const servers: LocalServer[] = [];
async function start(opts: Parameters<typeof startLocalServer>[0] = {}): Promise<LocalServer> {
  const s = await startLocalServer(opts);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const anthropicBody = (model = 'claude-x') =>
  JSON.stringify({ model, max_tokens: 200, messages: [{ role: 'user', content: 'Hello there' }] });
const openaiBody = (model = 'gpt-x') => JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello there' }] });
const post = (s: LocalServer, path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${s.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('local server', () => {
  it('binds 127.0.0.1 only and refuses other hosts', async () => {
    const s = await start();
    expect(new URL(s.url).hostname).toBe('127.0.0.1');
    expect(s.port).toBeGreaterThan(0);
    await expect(startLocalServer({ host: '0.0.0.0' })).rejects.toBeInstanceOf(UsageError);
  });

  it('sends the vendors’ error bodies and request-id headers', async () => {
    const s = await start({ retryAfterS: 2, retryAfterMs: 1500 });
    const a529 = await post(s, '/v1/messages', anthropicBody(), { 'x-valuescope-fault': '529' });
    expect(a529.status).toBe(529);
    expect(a529.headers.get('request-id')).toMatch(/^req_vs/);
    expect(await a529.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: expect.any(String) } });
    const a429 = await post(s, '/v1/messages', anthropicBody(), { 'x-valuescope-fault': '429' });
    expect([a429.headers.get('retry-after'), a429.headers.get('retry-after-ms')]).toEqual(['2', '1500']);
    expect(((await a429.json()) as { error: { type: string } }).error.type).toBe('rate_limit_error');
    const o429 = await post(s, '/v1/chat/completions', openaiBody(), { 'x-valuescope-fault': '429' });
    expect(o429.headers.get('x-request-id')).toMatch(/^req_vs/);
    expect(await o429.json()).toEqual({
      error: { message: expect.any(String), type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
    const o500 = await post(s, '/v1/chat/completions', openaiBody(), { 'x-valuescope-fault': '500' });
    expect(((await o500.json()) as { error: { type: string } }).error.type).toBe('server_error');
    const bad = await post(s, '/v1/messages', '{not json');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });

  it('enforces rpm per model with a sliding window and an exact retry-after', async () => {
    let now = 1_000_000;
    const s = await start({ rpm: 3, now: () => now });
    const codes = async (model: string, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await post(s, '/v1/messages', anthropicBody(model))).status);
      return out;
    };
    expect(await codes('a', 4)).toEqual([200, 200, 200, 429]);
    expect(await codes('b', 1)).toEqual([200]);
    now += 30_000;
    const r = await post(s, '/v1/messages', anthropicBody('a'));
    expect([r.status, r.headers.get('retry-after-ms'), r.headers.get('retry-after')]).toEqual([429, '30000', '30']);
    now += 30_000;
    expect(await codes('a', 4)).toEqual([200, 200, 200, 429]);
    const st = s.stats();
    expect(st.sent429).toBe(3);
    expect(st.byFault).toEqual({ rpm: 3 });
    expect(st.byModel).toEqual({ a: 9, b: 1 });
  });

  it('draws faults deterministically from the seed, near the configured rates', async () => {
    const run = async () => {
      const s = await start({ seed: 42, rate429: 0.2, errorRate: 0.1 });
      const out: number[] = [];
      for (let i = 0; i < 200; i++) out.push((await post(s, '/v1/chat/completions', openaiBody())).status);
      return { out, stats: s.stats() };
    };
    const first = await run();
    const second = await run();
    expect(second.out).toEqual(first.out);
    const n429 = first.out.filter((c) => c === 429).length;
    const n500 = first.out.filter((c) => c === 500).length;
    expect(n429).toBeGreaterThan(20);
    expect(n429).toBeLessThan(60);
    expect(n500).toBeGreaterThan(7);
    expect(n500).toBeLessThan(35);
    expect(first.stats.byFault).toEqual({ '429': n429, '500': n500 });
  });

  it('counts in /_stats and clears with /_reset', async () => {
    const s = await start();
    await post(s, '/v1/messages', anthropicBody('m1'));
    await post(s, '/v1/chat/completions', openaiBody('m2'), { 'x-valuescope-fault': '500' });
    const stats = (await (await fetch(`${s.url}/_stats`)).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({
      requests: 2,
      byPath: { '/v1/messages': 1, '/v1/chat/completions': 1 },
      byModel: { m1: 1, m2: 1 },
      byFault: { '500': 1 },
      inFlight: 0,
    });
    expect((await fetch(`${s.url}/_reset`, { method: 'POST' })).status).toBe(200);
    expect(s.stats()).toMatchObject({ requests: 0, byPath: {}, byFault: {} });
  });

  it('applies latency, hangs until the client gives up, and drops mid-body', async () => {
    const s = await start({ latencyMs: 60 });
    const t0 = performance.now();
    await (await post(s, '/v1/messages', anthropicBody())).json();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    const hung = post(s, '/v1/messages', anthropicBody(), { 'x-valuescope-fault': 'hang' });
    const outcome = await Promise.race([hung.then(() => 'answered'), new Promise((r) => setTimeout(() => r('still waiting'), 300))]);
    expect(outcome).toBe('still waiting');
    expect(s.stats().inFlight).toBe(1);
    const dropped = await post(s, '/v1/chat/completions', openaiBody(), { 'x-valuescope-fault': 'drop' });
    expect(dropped.status).toBe(200);
    await expect(dropped.text()).rejects.toThrow();
    void hung.catch(() => undefined);
  });

  it('requires the configured API key', async () => {
    const s = await start({ apiKey: 'right-key-123456' });
    expect((await post(s, '/v1/messages', anthropicBody(), { 'x-api-key': 'wrong' })).status).toBe(401);
    expect((await post(s, '/v1/messages', anthropicBody(), { 'x-api-key': 'right-key-123456' })).status).toBe(200);
    expect((await post(s, '/v1/chat/completions', openaiBody(), { authorization: 'Bearer right-key-123456' })).status).toBe(200);
  });

  it('uses the structuredResponder hook for structured requests', async () => {
    const seen: string[] = [];
    const s = await start({
      structuredResponder: (r) => {
        seen.push(`${r.name}:${r.model}`);
        return { verdict: 'ok' };
      },
    });
    const body = JSON.stringify({
      model: 'gpt-x',
      messages: [{ role: 'user', content: 'judge this' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'verdict', schema: { type: 'object', properties: { verdict: { type: 'string' } } }, strict: true },
      },
    });
    const r = (await (await post(s, '/v1/chat/completions', body)).json()) as { choices: { message: { content: string } }[] };
    expect(JSON.parse(r.choices[0]!.message.content)).toEqual({ verdict: 'ok' });
    expect(seen).toEqual(['verdict:gpt-x']);
  });
});
