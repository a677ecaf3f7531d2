/**
 * Reads how long a server asked us to wait. `retry-after-ms` (Anthropic, OpenAI) is more precise
 * than `retry-after`, which is either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 */
export interface HeaderSource {
  get(name: string): string | null;
}

export function parseRetryAfterMs(headers: HeaderSource | undefined | null, nowMs: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return Math.round(n);
  }
  const ra = headers.get('retry-after');
  if (ra === null || ra.trim() === '') return undefined;
  const seconds = Number(ra);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
