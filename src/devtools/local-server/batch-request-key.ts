import { canonicalJson, sha256 } from '../../util/hash.js';
import type { BatchVendor } from './batch-record.js';
import type { ParsedChat } from './wire.js';

/**
 * The identity of a batch item's request for the `batchItemsByRequest` counter: vendor, model and sample
 * in clear (readable in /_stats), system and messages as a hash of their canonical JSON.
 */
export function batchRequestKey(vendor: BatchVendor, chat: ParsedChat, sample: string): string {
  const content = sha256(canonicalJson({ system: chat.system, messages: chat.messages })).slice(0, 16);
  return `${vendor}|${chat.model}|s${sample}|${content}`;
}
