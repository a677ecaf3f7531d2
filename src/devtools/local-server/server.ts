import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LocalServerOptions, type OptionsPatch, resolveOptions } from './options.js';
import { mulberry32 } from './random.js';
import type { ReceivedRequest } from './received.js';
import { route } from './route.js';
import { createServerState, resetServerState, type ServerState } from './server-state.js';
import type { LocalServerStats } from './stats.js';

export interface LocalServer {
  /** http://127.0.0.1:PORT — the Anthropic SDK's baseURL; OpenAI clients use `${url}/v1`. */
  readonly url: string;
  readonly port: number;
  stats(): LocalServerStats;
  /** The chat requests received since the start or the last reset (only with the `recordRequests` option). */
  received(): ReceivedRequest[];
  /** Clears the counters, the request log, the rpm window, batches, files and the prompt cache, and restarts the seeded fault draws. */
  reset(): void;
  /** Changes options on the fly; an explicit `undefined` turns a setting off. A new `seed` restarts the draws. */
  setOptions(partial: OptionsPatch): void;
  /** Stops listening and destroys open connections, hung requests included. */
  close(): Promise<void>;
}

/**
 * An Anthropic- and OpenAI-compatible HTTP server on 127.0.0.1 with synthetic answers and
 * injectable faults, for tests, demos and benchmarks. Per-request work is kept tiny.
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const state = createServerState(options);
  const server = createHttpServer(state);
  await listen(server, state.opts.port);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats: () => structuredClone(state.stats),
    received: () => structuredClone(state.received),
    reset: () => resetServerState(state),
    setOptions(partial) {
      state.opts = resolveOptions(partial, state.opts);
      if (partial.seed !== undefined) state.rand = mulberry32(state.opts.seed);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function createHttpServer(state: ServerState): Server {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => route(state, req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.requestTimeout = 0; // hung requests must stay hung until the client gives up
  return server;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
