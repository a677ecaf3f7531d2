import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LocalServerOptions } from '../../src/devtools/local-server/options.js';
import type { LocalServerStats } from '../../src/devtools/local-server/stats.js';

export interface ChildServer {
  url: string;
  /** Server counters plus the server process's own CPU time. */
  stats(): Promise<LocalServerStats & { cpuMs: number }>;
  reset(): Promise<void>;
  setOptions(o: Partial<LocalServerOptions>): Promise<void>;
  close(): Promise<void>;
}

/** Starts the local server in a forked process (compiled bench/server-process.js next to this folder). */
export async function startChildServer(options: LocalServerOptions): Promise<ChildServer> {
  const entry = fileURLToPath(new URL('../server-process.js', import.meta.url));
  const child: ChildProcess = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (raw) => {
    const m = raw as { id: number; ok: boolean; value?: unknown; error?: string };
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.value);
    else p?.reject(new Error(m.error));
  });
  child.on('exit', () => {
    for (const p of pending.values()) p.reject(new Error('local server process exited'));
    pending.clear();
  });
  const call = <T>(op: string, extra: object = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op, ...extra });
    });
  const { url } = await call<{ url: string }>('start', { options });
  return {
    url,
    stats: () => call('stats'),
    reset: () => call('reset'),
    setOptions: (o) => call('set', { options: o }),
    close: async () => {
      await call('close').catch(() => undefined);
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}
