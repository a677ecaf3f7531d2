import type { Usage } from '../../../providers/language-model.js';
import { addUsage as addRecords, NO_USAGE } from '../../../records/spend.js';

/** The sum of two calls' usage, cache writes and batched parts included (records/spend.ts owns the arithmetic). */
export function addUsage(a: Usage, b: Usage): Usage {
  return addRecords(a, b);
}

export const ZERO_USAGE: Usage = NO_USAGE;
