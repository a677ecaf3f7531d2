import { EXIT, UsageError } from '../errors.js';
import type { CliContext } from '../cli/context.js';
import { startLocalServer } from './server.js';
import type { LocalServerOptions } from './options.js';

/** Flags as commander parsed them (camelCase of the long flag names). */
export interface LocalServerFlags {
  port?: number;
  latencyMs?: number;
  jitterMs?: number;
  errorRate?: number;
  overloadRate?: number;
  rate429?: number;
  retryAfter?: number;
  retryAfterMs?: number;
  hangRate?: number;
  dropRate?: number;
  badJsonRate?: number;
  rpm?: number;
  seed?: number;
  apiKeyEnv?: string;
}

/** Runs the server until ctx.signal aborts (Ctrl-C), then prints the counters and exits 0. */
export async function runLocalServerCommand(flags: LocalServerFlags, ctx: CliContext): Promise<number> {
  const options: LocalServerOptions = {};
  const copy = <K extends keyof LocalServerOptions>(key: K, value: LocalServerOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  copy('port', flags.port);
  copy('latencyMs', flags.latencyMs);
  copy('jitterMs', flags.jitterMs);
  copy('errorRate', flags.errorRate);
  copy('overloadRate', flags.overloadRate);
  copy('rate429', flags.rate429);
  copy('retryAfterS', flags.retryAfter);
  copy('retryAfterMs', flags.retryAfterMs);
  copy('hangRate', flags.hangRate);
  copy('dropRate', flags.dropRate);
  copy('badJsonRate', flags.badJsonRate);
  copy('rpm', flags.rpm);
  copy('seed', flags.seed);
  if (flags.apiKeyEnv !== undefined) {
    const key = ctx.env[flags.apiKeyEnv];
    if (!key) throw new UsageError(`--api-key-env ${flags.apiKeyEnv}: that environment variable is empty; set it to the key clients must send`);
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
