import type { AppContext } from '../core/context.js';
import { EXIT, UsageError } from '../core/errors.js';
import type { LocalServerOptions } from '../devtools/local-server/options.js';
import { startLocalServer } from '../devtools/local-server/server.js';

/** Flags as commander parsed them: the option names, except `--retry-after` (seconds) and `--api-key-env`. */
export type LocalServerFlags = Omit<LocalServerOptions, 'retryAfterS' | 'apiKey' | 'structuredResponder' | 'now' | 'host'> & {
  retryAfter?: number;
  apiKeyEnv?: string;
};

/** Runs the server until ctx.signal aborts (Ctrl-C), then prints the counters and exits 0. */
export async function runLocalServerCommand(flags: LocalServerFlags, ctx: AppContext): Promise<number> {
  const { retryAfter, apiKeyEnv, ...same } = flags;
  const options: LocalServerOptions = { ...same, ...(retryAfter !== undefined ? { retryAfterS: retryAfter } : {}) };
  if (apiKeyEnv !== undefined) {
    const key = ctx.env[apiKeyEnv];
    if (!key) throw new UsageError(`--api-key-env ${apiKeyEnv}: that environment variable is empty; set it to the key clients must send`);
    options.apiKey = key;
  }
  const server = await startLocalServer(options);
  ctx.stdout.write(
    `valuescope local server listening on ${server.url}\n` +
      `  Anthropic: baseURL ${server.url}    OpenAI-compatible: baseURL ${server.url}/v1\n` +
      `  counters: GET ${server.url}/_stats   (Ctrl-C to stop; answers are synthetic)\n`,
  );
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  const stats = server.stats();
  await server.close();
  ctx.stdout.write(`local server stopped after ${stats.requests} requests (${stats.sent429} answered 429)\n`);
  return EXIT.ok;
}
