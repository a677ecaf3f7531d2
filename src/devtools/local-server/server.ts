import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildAnswer } from './answer.js';
import { anthropicWire } from './anthropic-wire.js';
import { drawFault, type Fault, forcedFault } from './faults.js';
import { openaiWire } from './openai-wire.js';
import { type LocalServerOptions, type OptionsPatch, type ResolvedOptions, resolveOptions } from './options.js';
import { mulberry32 } from './random.js';
import { RpmWindow } from './rpm-window.js';
import { bump, emptyStats, type LocalServerStats } from './stats.js';
import type { ParsedChat, VendorWire } from './wire.js';

export interface LocalServer {
  /** http://127.0.0.1:PORT — the Anthropic SDK's baseURL; OpenAI clients use `${url}/v1`. */
  readonly url: string;
  readonly port: number;
  stats(): LocalServerStats;
  /** Clears the counters and the rpm window and restarts the seeded fault draws. */
  reset(): void;
  /** Changes options on the fly; an explicit `undefined` turns a setting off. A new `seed` restarts the draws. */
  setOptions(partial: OptionsPatch): void;
  /** Stops listening and destroys open connections, hung requests included. */
  close(): Promise<void>;
}

const ROUTES: Record<string, VendorWire> = { '/v1/messages': anthropicWire, '/v1/chat/completions': openaiWire };

/**
 * An Anthropic- and OpenAI-compatible HTTP server on 127.0.0.1 with synthetic answers and
 * injectable faults, for tests, demos and benchmarks. Per-request work is kept tiny.
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  let opts: ResolvedOptions = resolveOptions(options);
  let rand = mulberry32(opts.seed);
  let stats = emptyStats();
  const window = new RpmWindow(() => opts.now());
  let seq = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => route(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.requestTimeout = 0; // hung requests must stay hung until the client gives up

  function route(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && path === '/_stats') return sendJson(res, 200, stats);
    if (req.method === 'POST' && path === '/_reset') {
      reset();
      return sendJson(res, 200, { ok: true });
    }
    const wire = ROUTES[path];
    if (req.method !== 'POST' || !wire)
      return sendJson(res, 404, { error: { type: 'not_found_error', message: `no route ${req.method} ${path}` } });
    chat(wire, path, req, res, body);
  }

  function chat(wire: VendorWire, path: string, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    stats.requests++;
    stats.inFlight++;
    res.on('close', () => stats.inFlight--);
    bump(stats.byPath, path);
    const id = `vs${(++seq).toString(16).padStart(8, '0')}`;
    const headers: Record<string, string> = { [wire.requestIdHeader]: `req_${id}` };
    let parsed: ParsedChat | string;
    try {
      parsed = wire.parse(JSON.parse(body.toString('utf8')));
    } catch {
      parsed = 'body is not valid JSON';
    }
    if (typeof parsed === 'string') return sendJson(res, 400, wire.error(400, parsed), headers);
    const chatReq = parsed;
    bump(stats.byModel, chatReq.model);

    let fault: Fault | 'rpm' = forcedFault(req.headers['x-valuescope-fault']) ?? 'none';
    if (opts.apiKey !== undefined && presentedKey(req) !== opts.apiKey) fault = '401';
    let waitMs = 0;
    if (fault === 'none' && opts.rpm !== undefined) {
      waitMs = window.admit(chatReq.model, opts.rpm);
      if (waitMs > 0) fault = 'rpm';
    }
    const u = rand();
    const delay = opts.latencyMs + opts.jitterMs * rand();
    if (fault === 'none' && !req.headers['x-valuescope-fault']) fault = drawFault(u, opts, chatReq.structured !== undefined);
    if (fault !== 'none') bump(stats.byFault, fault);
    if (fault === 'hang') return;

    const respond = (): void => {
      if (res.destroyed) return;
      switch (fault) {
        case '429':
        case 'rpm':
          stats.sent429++;
          if (fault === 'rpm') {
            headers['retry-after'] = String(Math.ceil(waitMs / 1000));
            headers['retry-after-ms'] = String(waitMs);
          } else {
            if (opts.retryAfterS !== undefined) headers['retry-after'] = String(opts.retryAfterS);
            if (opts.retryAfterMs !== undefined) headers['retry-after-ms'] = String(opts.retryAfterMs);
          }
          return sendJson(
            res,
            429,
            wire.error(429, `rate limit exceeded (${fault === 'rpm' ? `over ${opts.rpm} requests per minute` : 'synthetic fault'})`),
            headers,
          );
        case '500':
          return sendJson(res, 500, wire.error(500, 'Internal server error (synthetic fault)'), headers);
        case 'overload':
          return sendJson(res, wire.overloadStatus, wire.error(wire.overloadStatus, 'Overloaded (synthetic fault)'), headers);
        case '401':
          // Echoes the presented key, as some real servers do, so clients prove they redact it.
          return sendJson(res, 401, wire.error(401, `invalid API key: ${presentedKey(req) ?? '(none)'}`), headers);
        case '404':
          return sendJson(res, 404, wire.error(404, `model: ${chatReq.model} not found`), headers);
        default: {
          const answer = buildAnswer(
            chatReq,
            String(req.headers['x-valuescope-sample'] ?? ''),
            fault === 'badjson',
            opts.structuredResponder,
          );
          const out = wire.success(chatReq, answer, id);
          if (fault === 'drop') return dropMidBody(res, out, headers);
          return sendJson(res, 200, out, headers);
        }
      }
    };
    if (delay > 0) setTimeout(respond, delay);
    else respond();
  }

  function reset(): void {
    stats = { ...emptyStats(), inFlight: stats.inFlight };
    window.clear();
    rand = mulberry32(opts.seed);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats: () => structuredClone(stats),
    reset,
    setOptions(partial) {
      opts = resolveOptions(partial, opts);
      if (partial.seed !== undefined) rand = mulberry32(opts.seed);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function presentedKey(req: IncomingMessage): string | undefined {
  const x = req.headers['x-api-key'];
  if (typeof x === 'string') return x;
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Announces the full body, sends half of it, then kills the socket: a connection dropped mid-response. */
function dropMidBody(res: ServerResponse, body: unknown, headers: Record<string, string>): void {
  const buf = Buffer.from(JSON.stringify(body));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': buf.length, ...headers });
  res.write(buf.subarray(0, buf.length >> 1), () => res.socket?.destroy());
}
