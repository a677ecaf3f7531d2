import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import { DEFAULT_WATCHLIST } from '../config/schema.js';
import type { AppContext } from '../core/context.js';
import { UsageError } from '../core/errors.js';

export async function maybeConfig(file: string | undefined, ctx: AppContext): Promise<LoadedConfig | null> {
  return file === undefined ? null : loadConfig(file, { env: ctx.env, cwd: ctx.cwd });
}

export function watchlistOf(cfg: LoadedConfig | null): string[] {
  return cfg?.config.watchlist ?? DEFAULT_WATCHLIST;
}

export function intFlag(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}
