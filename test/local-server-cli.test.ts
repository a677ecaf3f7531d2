import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { AppContext } from '../src/core/context.js';

function context(signal: AbortSignal) {
  let out = '';
  let err = '';
  const ctx: AppContext = {
    cwd: process.cwd(),
    env: { VS_KEY: 'k-123456' },
    now: () => new Date(),
    fetch: globalThis.fetch,
    signal,
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
  };
  return { ctx, out: () => out, err: () => err };
}

describe('valuescope local-server', () => {
  it('prints its URL, serves with the flags given, and stops on the signal', async () => {
    const ctl = new AbortController();
    const c = context(ctl.signal);
    const done = main(
      ['local-server', '--port', '0', '--rate-429', '1', '--retry-after', '4', '--seed', '3', '--api-key-env', 'VS_KEY'],
      c.ctx,
    );
    while (!/listening on (http:\/\/127\.0\.0\.1:\d+)/.test(c.out())) await new Promise((r) => setTimeout(r, 10));
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(c.out())![1]!;
    const body = JSON.stringify({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    const noKey = await fetch(`${url}/v1/messages`, { method: 'POST', body });
    expect(noKey.status).toBe(401);
    const r = await fetch(`${url}/v1/messages`, { method: 'POST', body, headers: { 'x-api-key': 'k-123456' } });
    expect([r.status, r.headers.get('retry-after')]).toEqual([429, '4']);
    ctl.abort();
    expect(await done).toBe(0);
    expect(c.out()).toMatch(/stopped after 2 requests \(1 answered 429\)/);
  });

  it('rejects an out-of-range rate with a usage error', async () => {
    const c = context(new AbortController().signal);
    expect(await main(['local-server', '--error-rate', '1.5'], c.ctx)).toBe(2);
    expect(c.err()).toMatch(/errorRate must be between 0 and 1/);
  });
});
