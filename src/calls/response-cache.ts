import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ModelSpec } from '../config/model-schema.js';
import { headersHashOf } from '../config/model-target.js';
import type { GenerateRequest, GenerateResult } from '../providers/language-model.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { canonicalJson, sha256 } from '../util/hash.js';
import { redactUrl } from '../util/redact-url.js';

/**
 * On-disk, content-addressed cache of successful model answers. A key is the sha256 of the
 * canonical JSON of everything that can change an answer, including the sample index so that
 * repeated samples of one prompt stay distinct. Only successes are stored. Files are sharded by
 * the first two hex digits and written to a temp file then renamed, so a crash never leaves a
 * half-written entry under a real key. Keys and values never contain credentials: callers pass
 * provider, model, base URL, a hash of the extra headers and the request, never header values or keys.
 */
export class ResponseCache {
  private writable = true;
  /** Set for a read-only cache held in memory (see `ResponseCache.reusing`). */
  private memory: ReadonlyMap<string, CachedAnswer> | undefined;

  /**
   * `onWriteFailure` hears the first failed write; from then on this cache only reads. A cache is
   * an optimisation, so a full or read-only cache directory must never fail a cell or a judgment.
   * `runId` is the run writing through this cache: the run loop records it in each answer it
   * stores, so a later hit can say which run produced the answer (`Transcript.cachedFrom`).
   */
  constructor(
    readonly dir: string,
    private readonly onWriteFailure: (message: string) => void = () => undefined,
    private readonly scrub: (text: string) => string = (t) => t,
    readonly runId?: string,
  ) {}

  /**
   * A read-only cache of an earlier run's answers, held in memory and keyed like the on-disk cache
   * (`run --reuse-from RUN`): no directory is read or written. Each answer carries the run it came
   * from (`runId`).
   */
  static reusing(answers: ReadonlyMap<string, CachedAnswer>): ResponseCache {
    const cache = new ResponseCache('');
    cache.memory = answers;
    cache.writable = false;
    return cache;
  }

  /** True for the in-memory answers of an earlier run (`reusing`), false for the on-disk cache. */
  get reused(): boolean {
    return this.memory !== undefined;
  }

  keyFor(parts: unknown): string {
    return cacheKeyOf(parts);
  }

  private fileOf(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The stored value, or undefined on a miss (an unreadable or corrupt entry counts as a miss). */
  async get<T = CachedAnswer>(key: string): Promise<T | undefined> {
    if (this.memory) return this.memory.get(key) as T | undefined;
    try {
      return JSON.parse(await fsp.readFile(this.fileOf(key), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** Stores a value; never throws (see the constructor). */
  async put(key: string, value: unknown): Promise<void> {
    if (!this.writable) return;
    try {
      await writeFileAtomic(this.fileOf(key), this.scrub(JSON.stringify(value)));
    } catch (e) {
      if (!this.writable) return;
      this.writable = false;
      this.onWriteFailure(`response cache disabled for writing for the rest of this command: ${(e as Error).message}`);
    }
  }
}

/** The key of an entry: sha256 of the canonical JSON (sorted keys) of `{ v: 1, parts }`. */
export function cacheKeyOf(parts: unknown): string {
  return sha256(canonicalJson({ v: 1, parts }));
}

/**
 * A model answer as the run loop caches it: the normalised result and, since runs record it, the id
 * of the run that produced it (absent in older entries).
 */
export type CachedAnswer = GenerateResult & { runId?: string };

/**
 * The cache key parts of one model request: everything that can change the answer, and nothing secret.
 * The system prompt is the one the cell sends (a target's combined with the scenario's). Extra HTTP
 * headers count through `headersHash` (config/model-target.ts headersHashOf: sha256 of the sorted,
 * lower-cased `name:value` lines, as the manifest records it, so `--reuse-from` can rebuild the key);
 * it is left out when there are none, so entries written before it was part of the key still match.
 */
export function requestKeyParts(
  model: { provider: string; model: string; baseURL?: string | undefined; headersHash?: string | undefined },
  request: Omit<GenerateRequest, 'signal'>,
  sample: number,
): unknown {
  return {
    provider: model.provider,
    model: model.model,
    baseURL: redactUrl(model.baseURL) ?? null,
    ...(model.headersHash !== undefined ? { headers: model.headersHash } : {}),
    request: {
      system: request.system ?? null,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      temperature: request.temperature ?? null,
      topP: request.topP ?? null,
      maxTokens: request.maxTokens,
      structured: request.structured ?? null,
    },
    sample,
  };
}

/** The model part of a request key for a configured model: its provider, wire model, base URL and headers hash. */
export function keyModelOf(spec: Pick<ModelSpec, 'provider' | 'model' | 'baseURL' | 'headers'>): Parameters<typeof requestKeyParts>[0] {
  return { provider: spec.provider, model: spec.model, baseURL: spec.baseURL, headersHash: headersHashOf(spec.headers) };
}

/** One entry file of a cache directory. */
export interface CacheEntryFile {
  file: string;
  bytes: number;
  mtimeMs: number;
}

const SHARD = /^[0-9a-f]{2}$/;
const ENTRY = /^([0-9a-f]{64})\.json$/;

/**
 * Every entry file under a cache directory, as `ResponseCache` lays them out: `<2 hex>/<sha256>.json`
 * with the shard equal to the key's first two digits. Anything else (a temp file of an interrupted
 * write, a file the user keeps there) is not an entry and is never listed, so callers that delete
 * entries never touch it. A missing directory has no entries.
 */
export async function listCacheEntries(dir: string): Promise<CacheEntryFile[]> {
  const shards = await fsp.readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  const out: CacheEntryFile[] = [];
  for (const shard of shards) {
    if (!shard.isDirectory() || !SHARD.test(shard.name)) continue;
    const names = await fsp.readdir(path.join(dir, shard.name), { withFileTypes: true });
    for (const name of names) {
      const key = ENTRY.exec(name.name)?.[1];
      if (!name.isFile() || key === undefined || !key.startsWith(shard.name)) continue;
      const file = path.join(dir, shard.name, name.name);
      const stat = await fsp.stat(file).catch(() => undefined);
      if (stat) out.push({ file, bytes: stat.size, mtimeMs: stat.mtimeMs });
    }
  }
  return out;
}
