import { promises as fsp } from 'node:fs';
import type { AppContext } from '../core/context.js';
import { type LockOptions, withDirLock } from '../records/dir-lock.js';
import { storageError } from '../util/jsonl.js';

type LockContext = Pick<AppContext, 'now' | 'cwd' | 'stderr'>;

/** How a command takes a directory's write lock: named for a second writer, warnings to stderr. */
export function lockOptions(command: string, ctx: LockContext): LockOptions {
  return {
    command,
    now: ctx.now,
    cwd: ctx.cwd,
    onCompromised: (e) => ctx.stderr.write(`valuescope: warning: lost the write lock (${e.message}); another process may now write here\n`),
  };
}

/** Runs `fn` as the only writer of the existing directory `dir`; a second writer exits 2 naming the holder. */
export function asOnlyWriterOf<T>(dir: string, command: string, ctx: LockContext, fn: () => Promise<T>): Promise<T> {
  return withDirLock(dir, lockOptions(command, ctx), fn);
}

/** Runs `fn` as the only writer of `dir` (created if missing); a second writer exits 2 naming the holder. */
export async function asOnlyWriter<T>(dir: string, command: string, ctx: LockContext, fn: () => Promise<T>): Promise<T> {
  await fsp.mkdir(dir, { recursive: true }).catch((e: unknown) => {
    throw storageError(dir, e);
  });
  return withDirLock(dir, lockOptions(command, ctx), fn);
}
