import type { BatchLimits } from '../../providers/batch-model.js';
import type { GenerateRequest } from '../../providers/language-model.js';

/** Per-item envelope bytes on top of the request (custom id, method, url, JSON framing). */
const ITEM_OVERHEAD_BYTES = 256;

/**
 * Splits waiting requests into batches within the vendor's limits: at most `maxItems` items and
 * `maxBytes` of serialised requests each, in arrival order. A single request larger than
 * `maxBytes` still gets a batch of its own: the vendor's refusal is then that request's error.
 */
export function splitBatches<T>(waiting: readonly T[], requestOf: (w: T) => GenerateRequest, limits: BatchLimits): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const w of waiting) {
    const { signal: _s, ...wire } = requestOf(w);
    const size = Buffer.byteLength(JSON.stringify(wire)) + ITEM_OVERHEAD_BYTES;
    if (current.length > 0 && (current.length >= limits.maxItems || bytes + size > limits.maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(w);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
