import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import { fromHttpStatus } from '../src/providers/provider-errors.js';
import { redactSecrets } from '../src/providers/redact.js';
import { createModel, PROVIDER_NAMES } from '../src/providers/registry.js';
import { parseRetryAfterMs } from '../src/providers/retry-after.js';

const h = (o: Record<string, string>) => new Headers(o);
const ctx = { provider: 'anthropic', model: 'm', keyEnv: 'ANTHROPIC_API_KEY', secrets: ['sk-very-secret'] };

describe('retry-after parsing', () => {
  it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
    expect(parseRetryAfterMs(h({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1500);
    expect(parseRetryAfterMs(h({ 'retry-after': '2.5' }))).toBe(2500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfterMs(h({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }), now)).toBe(7000);
    expect(parseRetryAfterMs(h({ 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfterMs(h({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfterMs(h({}))).toBeUndefined();
  });
});

describe('status mapping', () => {
  it.each([
    [400, 'bad_request', false],
    [401, 'auth', false],
    [403, 'auth', false],
    [404, 'model_not_found', false],
    [408, 'http_408', true],
    [409, 'http_409', true],
    [413, 'request_too_large', false],
    [429, 'http_429', true],
    [500, 'http_500', true],
    [503, 'http_503', true],
    [529, 'http_529', true],
  ])('HTTP %i -> %s (retryable %s)', (status, kind, retryable) => {
    const e = fromHttpStatus(ctx, status, 'echo sk-very-secret', undefined, 'req_1');
    expect([e.kind, e.retryable, e.status, e.requestId]).toEqual([kind, retryable, status, 'req_1']);
    expect(e.message).not.toContain('sk-very-secret');
  });

  it('redacts every occurrence but leaves short strings alone', () => {
    expect(redactSecrets('a sk-very-secret b sk-very-secret', ['sk-very-secret'])).toBe('a [redacted] b [redacted]');
    expect(redactSecrets('x marks', ['x'])).toBe('x marks');
  });
});

describe('registry', () => {
  it('lists the providers and rejects an unknown one with the choices', () => {
    expect(PROVIDER_NAMES).toEqual(['anthropic', 'openai', 'replay']);
    const bad = () => createModel({ id: 'a', provider: 'gemini', model: 'g', maxTokens: 1, concurrency: 1 }, { env: {}, fetch, cwd: '/' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/use one of: anthropic, openai, replay/);
  });
});
