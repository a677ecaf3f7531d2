/**
 * Child-process entry for benchmarks: runs the local server in its own process so its CPU time is
 * never counted as harness overhead. Driven over IPC by bench/lib/server-child.ts.
 */

import type { LocalServerOptions } from '../src/devtools/local-server/options.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';

type Msg =
  | { id: number; op: 'start'; options: LocalServerOptions }
  | { id: number; op: 'set'; options: Partial<LocalServerOptions> }
  | { id: number; op: 'reset' | 'stats' | 'close' };

let server: LocalServer | undefined;

process.on('message', (raw) => {
  const msg = raw as Msg;
  void handle(msg).then(
    (value) => process.send?.({ id: msg.id, ok: true, value }),
    (e: unknown) => process.send?.({ id: msg.id, ok: false, error: (e as Error).message }),
  );
});

async function handle(msg: Msg): Promise<unknown> {
  switch (msg.op) {
    case 'start':
      server = await startLocalServer(msg.options);
      return { url: server.url, port: server.port };
    case 'set':
      server?.setOptions(msg.options);
      return null;
    case 'reset':
      server?.reset();
      return null;
    case 'stats':
      return { ...server?.stats(), cpuMs: cpuMs() };
    case 'close':
      await server?.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
