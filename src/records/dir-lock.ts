import { promises as fsp } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { DirectoryLockedError, InputError, type LockHolder } from '../core/errors.js';
import { storageError } from '../util/jsonl.js';
import { RUN_FILES } from './run-files.js';

/** A held write lock on a run or diff directory. */
export interface DirLock {
  release(): Promise<void>;
}

export interface LockOptions {
  /** The command taking the lock, shown to a second writer ("run", "judge", ...). */
  command: string;
  now: () => Date;
  /** Messages name the directory relative to this (the user's working directory). */
  cwd?: string;
  /** Called if the lock is lost while held (its heartbeat failed or another process took it over). */
  onCompromised?: (e: Error) => void;
  /** Heartbeat interval (default 5 s; the lock is stale after 6 missed beats). Tests shorten it. */
  heartbeatMs?: number;
}

const HOLDER_FILE = 'holder.json';
// proper-lockfile refreshes the lock's mtime every UPDATE_MS; a lock not refreshed for STALE_MS
// belongs to a process that is gone (another host, or a frozen machine) and may be taken over.
const STALE_MS = 30_000;
const UPDATE_MS = 5_000;

/**
 * One writer per directory: every command that writes a run or diff directory holds `<dir>/.lock`
 * while it writes. proper-lockfile (an atomic mkdir plus a heartbeat) gives a lock that is stale
 * after a crash on any host; on this host a dead holder's pid frees the lock at once, so
 * `--resume` right after kill -9 does not have to wait for the lock to go stale.
 */
export async function lockDir(dir: string, o: LockOptions): Promise<DirLock> {
  const lockPath = path.join(dir, RUN_FILES.lock);
  const take = () =>
    lockfile.lock(dir, {
      lockfilePath: lockPath,
      realpath: false,
      stale: o.heartbeatMs === undefined ? STALE_MS : o.heartbeatMs * 6,
      update: o.heartbeatMs ?? UPDATE_MS,
      retries: 0,
      onCompromised: o.onCompromised ?? (() => undefined),
    });
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${shown(dir, o)}: no such directory; pass a run directory such as results/<run-id>`);
    if (code !== 'ELOCKED') throw storageError(lockPath, e);
    const holder = await awaitHolder(lockPath);
    if (!holder || !holderIsGone(holder)) throw lockedError(dir, lockPath, holder, shown(dir, o));
    await fsp.rm(lockPath, { recursive: true, force: true });
    release = await take().catch((again: unknown) => {
      throw (again as NodeJS.ErrnoException).code === 'ELOCKED'
        ? lockedError(dir, lockPath, undefined, shown(dir, o))
        : storageError(lockPath, again);
    });
  }
  const holder: LockHolder = { pid: process.pid, host: hostname(), since: o.now().toISOString(), command: o.command };
  const holderFile = path.join(lockPath, HOLDER_FILE);
  await writeHolder(lockPath, holderFile, holder);
  return {
    // The lock is a directory that proper-lockfile removes with rmdir: empty it first.
    release: async () => {
      await fsp.rm(holderFile, { force: true }).catch(() => undefined);
      await release().catch(() => undefined);
    },
  };
}

/** Runs `fn` holding the directory's write lock. */
export async function withDirLock<T>(dir: string, o: LockOptions, fn: () => Promise<T>): Promise<T> {
  const lock = await lockDir(dir, o);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

/**
 * The holder file lives inside the lock directory, so it can never outlive or predate its lock. Writing
 * it changes the directory's mtime, which proper-lockfile's heartbeat checks to see that the lock is
 * still its own: put the mtime back as the lock left it.
 */
async function writeHolder(lockPath: string, holderFile: string, holder: LockHolder): Promise<void> {
  try {
    const before = await fsp.stat(lockPath);
    await fsp.writeFile(holderFile, JSON.stringify(holder));
    await fsp.utimes(lockPath, before.atime, before.mtime);
  } catch {
    // Without a holder file a second writer is still refused; it just cannot name the holder.
  }
}

/** The holder records itself just after taking the lock: give it a moment before saying "unknown". */
async function awaitHolder(lockPath: string): Promise<LockHolder | undefined> {
  for (let i = 0; i < 20; i++) {
    const h = await readHolder(lockPath);
    if (h) return h;
    await new Promise((r) => setTimeout(r, 25));
  }
  return undefined;
}

async function readHolder(lockPath: string): Promise<LockHolder | undefined> {
  try {
    const h = JSON.parse(await fsp.readFile(path.join(lockPath, HOLDER_FILE), 'utf8')) as Partial<LockHolder>;
    if (typeof h.pid !== 'number' || typeof h.host !== 'string') return undefined;
    return { pid: h.pid, host: h.host, since: String(h.since ?? ''), command: String(h.command ?? 'valuescope') };
  } catch {
    return undefined;
  }
}

/** True only when the holder ran on this host and its process no longer exists. */
function holderIsGone(h: LockHolder): boolean {
  if (h.host !== hostname()) return false;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function shown(dir: string, o: LockOptions): string {
  return o.cwd === undefined ? dir : path.relative(o.cwd, dir) || dir;
}

function lockedError(dir: string, lockPath: string, h: LockHolder | undefined, display: string): DirectoryLockedError {
  const who = h
    ? `\`valuescope ${h.command}\` (pid ${h.pid} on host ${h.host}) since ${h.since.slice(11, 19)} UTC`
    : 'another valuescope process';
  return new DirectoryLockedError(
    `${display} is being written by ${who}; wait for it to finish, or remove ${path.join(display, path.basename(lockPath))} if that process is gone`,
    dir,
    h,
  );
}
