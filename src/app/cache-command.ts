import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { type CacheEntryFile, listCacheEntries } from '../calls/response-cache.js';
import { loadConfig } from '../config/load-config.js';
import type { AppContext } from '../core/context.js';
import { EXIT, InputError, StorageError, UsageError } from '../core/errors.js';

/**
 * `valuescope cache info|clear|prune`: the cache directory (`cacheDir` in the config, resolved
 * against the config file, or `--dir`). Model responses (`cache: development` runs), judge answers
 * and value placements share that one directory. Only files laid out as cache entries
 * (`<2 hex>/<sha256>.json`) are counted or deleted; nothing else in the directory is touched.
 */
export interface CacheOptions {
  config?: string | undefined;
  dir?: string | undefined;
}

export async function cacheInfo(opts: CacheOptions, ctx: AppContext): Promise<number> {
  const { dir, shown } = await cacheDirOf(opts, ctx);
  const entries = await entriesOf(dir, shown);
  if (entries.length === 0) {
    ctx.stdout.write(`cache ${shown}: empty (no entries)\n`);
    return EXIT.ok;
  }
  const byKind = new Map<string, CacheEntryFile[]>();
  for (const e of entries) {
    const kind = await kindOf(e.file);
    byKind.set(kind, [...(byKind.get(kind) ?? []), e]);
  }
  ctx.stdout.write(`cache ${shown}: model responses, judge answers and value placements share this directory\n`);
  for (const kind of KINDS) {
    const list = byKind.get(kind);
    if (list) ctx.stdout.write(`${summaryLine(kind, list)}\n`);
  }
  ctx.stdout.write(`${summaryLine('total', entries)}\n`);
  return EXIT.ok;
}

export async function cacheClear(opts: CacheOptions, ctx: AppContext): Promise<number> {
  const { dir, shown } = await cacheDirOf(opts, ctx);
  const entries = await entriesOf(dir, shown);
  await removeEntries(entries);
  ctx.stdout.write(`cache ${shown}: removed ${count(entries.length)} (${formatBytes(sum(entries))})\n`);
  return EXIT.ok;
}

export async function cachePrune(opts: CacheOptions & { olderThan: string }, ctx: AppContext): Promise<number> {
  const ageMs = parseDuration(opts.olderThan, '--older-than');
  const { dir, shown } = await cacheDirOf(opts, ctx);
  const entries = await entriesOf(dir, shown);
  const cutoff = ctx.now().getTime() - ageMs;
  const old = entries.filter((e) => e.mtimeMs < cutoff);
  await removeEntries(old);
  ctx.stdout.write(
    `cache ${shown}: removed ${count(old.length)} (${formatBytes(sum(old))}) written before ${iso(cutoff)}; kept ${count(entries.length - old.length)}\n`,
  );
  return EXIT.ok;
}

/** `14d`, `12h`, `30m`, `45s` (a whole or decimal number and one unit) in milliseconds; anything else is a usage error naming the flag. */
export function parseDuration(raw: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([dhms])\s*$/.exec(raw);
  if (!m) throw new UsageError(`${flag} expects a duration such as 14d, 12h, 30m or 45s, got '${raw}'`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;
const KINDS = ['model responses', 'judge answers', 'value placements', 'unreadable'] as const;

async function cacheDirOf(opts: CacheOptions, ctx: AppContext): Promise<{ dir: string; shown: string }> {
  let dir: string;
  if (opts.dir !== undefined) dir = path.resolve(ctx.cwd, opts.dir);
  else {
    const loaded = await loadConfig(opts.config ?? 'config.yaml', { env: ctx.env, cwd: ctx.cwd });
    dir = path.resolve(loaded.dir, loaded.config.cacheDir);
  }
  const rel = path.relative(ctx.cwd, dir);
  return { dir, shown: rel && !rel.startsWith('..') ? rel : dir };
}

async function entriesOf(dir: string, shown: string): Promise<CacheEntryFile[]> {
  try {
    return await listCacheEntries(dir);
  } catch (e) {
    throw new InputError(`cannot read the cache directory ${shown}: ${(e as Error).message} (pass the cache directory with --dir)`, {
      file: dir,
    });
  }
}

/** Deletes the given entries, then the shard folders left empty (a non-empty folder is kept). */
async function removeEntries(entries: readonly CacheEntryFile[]): Promise<void> {
  for (const e of entries) {
    await fsp.rm(e.file, { force: true }).catch((err: unknown) => {
      throw new StorageError(`cannot delete ${e.file}: ${(err as Error).message}; check the directory's permissions`, e.file, {
        cause: err,
      });
    });
  }
  for (const shard of new Set(entries.map((e) => path.dirname(e.file)))) await fsp.rmdir(shard).catch(() => undefined);
}

/** What an entry holds, from its content: the run's model answers, a judge's answers, or the value mapper's placements. */
async function kindOf(file: string): Promise<(typeof KINDS)[number]> {
  try {
    const value: unknown = JSON.parse(await fsp.readFile(file, 'utf8'));
    if (typeof value === 'string') return 'value placements';
    if (value && typeof value === 'object' && 'judgment' in value) return 'judge answers';
    if (value && typeof value === 'object' && 'finishReason' in value) return 'model responses';
  } catch {
    // falls through
  }
  return 'unreadable';
}

function summaryLine(label: string, list: readonly CacheEntryFile[]): string {
  let oldest = Number.POSITIVE_INFINITY;
  let newest = Number.NEGATIVE_INFINITY;
  for (const e of list) {
    oldest = Math.min(oldest, e.mtimeMs);
    newest = Math.max(newest, e.mtimeMs);
  }
  return `  ${label.padEnd(17)} ${count(list.length).padStart(14)}  ${formatBytes(sum(list)).padStart(9)}  oldest ${iso(oldest)}  newest ${iso(newest)}`;
}

function count(n: number): string {
  return `${n} ${n === 1 ? 'entry' : 'entries'}`;
}

function sum(list: readonly CacheEntryFile[]): number {
  return list.reduce((s, e) => s + e.bytes, 0);
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
