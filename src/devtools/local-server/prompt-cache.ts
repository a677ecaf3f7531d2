import type { ResolvedOptions } from './options.js';
import type { LocalServerStats } from './stats.js';
import type { Answer, CachePrefix, ParsedChat } from './wire.js';

/** What the prompt cache needs of the server: options, counters and the cache itself (prefix key → last use, ms). */
interface CacheHost {
  opts: ResolvedOptions;
  stats: LocalServerStats;
  readonly promptCache: Map<string, number>;
}

/**
 * Sets the cache fields of an answer and updates the cache, as the vendors report it: Anthropic reads
 * the longest fresh prefix at a breakpoint and writes the rest up to the last breakpoint; OpenAI reads a
 * prefix it has seen (rounded down to 128 tokens) and stores it on first sight. A read refreshes the TTL.
 * Answers of requests without a plan, or with the simulation off, keep their usage as it was.
 */
export function applyPromptCache(host: CacheHost, chat: ParsedChat, answer: Answer): void {
  const plan = chat.cache;
  if (!plan) return;
  answer.inputTokens += plan.extraInputTokens;
  if (!host.opts.promptCache) return;
  const now = host.opts.now();
  const eligible = plan.prefixes.filter((p) => p.tokens >= host.opts.cacheMinTokens && p.tokens <= answer.inputTokens);
  const { read, write } = plan.automatic ? automatic(host, eligible, now) : explicit(host, eligible, now);
  answer.cacheReadTokens = read;
  answer.cacheWriteTokens = write;
  host.stats.cacheReadTokens += read;
  host.stats.cacheWriteTokens += write;
}

function fresh(host: CacheHost, key: string, now: number): boolean {
  const t = host.promptCache.get(key);
  return t !== undefined && now - t < host.opts.cacheTtlMs;
}

function explicit(host: CacheHost, prefixes: CachePrefix[], now: number): { read: number; write: number } {
  let hit = prefixes.length - 1;
  while (hit >= 0 && !fresh(host, prefixes[hit]!.key, now)) hit--;
  const read = hit >= 0 ? prefixes[hit]!.tokens : 0;
  for (let i = Math.max(hit, 0); i < prefixes.length; i++) host.promptCache.set(prefixes[i]!.key, now);
  const last = prefixes.at(-1);
  return { read, write: last && hit < prefixes.length - 1 ? last.tokens - read : 0 };
}

function automatic(host: CacheHost, prefixes: CachePrefix[], now: number): { read: number; write: number } {
  const prefix = prefixes[0];
  if (!prefix) return { read: 0, write: 0 };
  const tokens = Math.floor(prefix.tokens / 128) * 128;
  if (tokens < host.opts.cacheMinTokens || tokens === 0) return { read: 0, write: 0 };
  const hit = fresh(host, prefix.key, now);
  host.promptCache.set(prefix.key, now);
  return hit ? { read: tokens, write: 0 } : { read: 0, write: tokens };
}
