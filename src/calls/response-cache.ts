import { promises as fsp } from 'node:fs';
import path from 'node:path';
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
 * provider, model, base URL and the request, never headers or keys.
 */
export class ResponseCache {
  private writable = true;

  /**
   * `onWriteFailure` hears the first failed write; from then on this cache only reads. A cache is
   * an optimisation, so a full or read-only cache directory must never fail a cell or a judgment.
   */
  constructor(
    readonly dir: string,
    private readonly onWriteFailure: (message: string) => void = () => undefined,
    private readonly scrub: (text: string) => string = (t) => t,
  ) {}

  keyFor(parts: unknown): string {
    return sha256(canonicalJson({ v: 1, parts }));
  }

  private fileOf(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The stored value, or undefined on a miss (an unreadable or corrupt entry counts as a miss). */
  async get<T = GenerateResult>(key: string): Promise<T | undefined> {
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

/** The cache key parts of one model request: everything that can change the answer, and nothing secret. */
export function requestKeyParts(
  model: { provider: string; model: string; baseURL?: string | undefined },
  request: Omit<GenerateRequest, 'signal'>,
  sample: number,
): unknown {
  return {
    provider: model.provider,
    model: model.model,
    baseURL: redactUrl(model.baseURL) ?? null,
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
