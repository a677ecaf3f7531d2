import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach } from 'vitest';
import { type LocalServer, startLocalServer } from '../../src/devtools/local-server/server.js';

/**
 * A fresh local server per test (closed after each): `start(options)`; and the two official SDK
 * clients pointed at one, with no SDK retries so every request the test makes is one the server sees.
 */
export function localServersPerTest(): (opts?: Parameters<typeof startLocalServer>[0]) => Promise<LocalServer> {
  const servers: LocalServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (opts = {}) => {
    const s = await startLocalServer(opts);
    servers.push(s);
    return s;
  };
}

export const anthropicClientOf = (s: LocalServer): Anthropic => new Anthropic({ baseURL: s.url, apiKey: 'test-key', maxRetries: 0 });
export const openaiClientOf = (s: LocalServer): OpenAI => new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'test-key', maxRetries: 0 });
