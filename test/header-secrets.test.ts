import { describe, expect, it } from 'vitest';
import { scrubbedContext } from '../src/app/secrets.js';
import { parseConfigText } from '../src/config/load-config.js';
import { headersHashOf, isCredentialHeader } from '../src/config/model-target.js';
import type { AppContext } from '../src/core/context.js';

/**
 * Headers are either credentials (counted by name, scrubbed from every byte written) or settings that
 * can change answers (hashed by value into cache keys and resume checks, never scrubbed as words).
 */
describe('credential headers, by name', () => {
  it('tells credentials from routing headers by whole name parts', () => {
    for (const n of ['Authorization', 'Helicone-Auth', 'X-Api-Key', 'api-key', 'X-Auth-Token', 'Cookie', 'x-portkey-virtual-key'])
      expect(isCredentialHeader(n), n).toBe(true);
    for (const n of ['x-portkey-provider', 'x-portkey-config', 'cf-aig-cache-key', 'anthropic-beta', 'x-team', 'x-session-affinity'])
      expect(isCredentialHeader(n), n).toBe(false);
  });

  it('a routing header that picks another provider changes the hash (cache key, resume check)', () => {
    expect(headersHashOf({ 'x-portkey-provider': 'openai' })).not.toBe(headersHashOf({ 'x-portkey-provider': 'anthropic' }));
    expect(headersHashOf({ 'X-Api-Key': 'a' })).toBe(headersHashOf({ 'x-api-key': 'b' }));
  });
});

describe('what is scrubbed from output', () => {
  const config = (headers: string) => {
    const text = `models:\n  - id: assistant\n    provider: openai\n    model: x\n    variants:\n      research: { headers: { ${headers} } }\n`;
    const { config: c, problems } = parseConfigText('config.yaml', text, {}, '/');
    expect(problems).toEqual([]);
    return c!;
  };
  const ctx = { env: {}, stdout: { write: () => {} }, stderr: { write: () => {} } } as unknown as AppContext;

  it('never a plain header value: a variant named after it keeps its id and the text its words', () => {
    const { scrubber } = scrubbedContext(ctx, config('x-team: research'));
    expect(scrubber.scrub('assistant@research/s1/0: a research proposal')).toBe('assistant@research/s1/0: a research proposal');
  });

  it('a credential header value, and a token-like word in any header', () => {
    const token = 'tok0123456789abcdefghij';
    const { scrubber } = scrubbedContext(ctx, config(`Helicone-Auth: "Bearer short1", x-route: "Bearer ${token}"`));
    expect(scrubber.scrub(`key Bearer short1 and ${token}`)).not.toMatch(/short1|tok0123/);
  });
});
