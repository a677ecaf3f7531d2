import type { BatchItem, InputFileError } from './batch-record.js';
import { openaiWire } from './openai-wire.js';
import { isRecord } from './wire.js';

const err = (code: string, message: string, line: number | null, param: string | null = null): InputFileError => ({
  code,
  message,
  line,
  param,
});

/**
 * The requests of a batch input file: one JSON object per line, `{custom_id, method: 'POST', url, body}`.
 * Returns the items, or every line's error when one is wrong (the whole batch then fails). An item whose
 * body is not a valid chat request is kept: it comes back errored, as the API answers it per request.
 */
export function parseBatchInput(text: string, endpoint: string): BatchItem[] | { errors: InputFileError[] } {
  const items: BatchItem[] = [];
  const errors: InputFileError[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of text.split('\n').entries()) {
    if (!raw.trim()) continue;
    const line = i + 1;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      errors.push(err('invalid_json_line', 'This line is not parseable as valid JSON.', line));
      continue;
    }
    const customId = isRecord(v) ? v.custom_id : undefined;
    if (!isRecord(v) || typeof customId !== 'string' || !customId)
      errors.push(err('missing_required_parameter', 'custom_id is required', line, 'custom_id'));
    else if (v.method !== 'POST') errors.push(err('invalid_method', "method must be 'POST'", line, 'method'));
    else if (v.url !== endpoint) errors.push(err('invalid_url', `url must be the batch's endpoint ${endpoint}`, line, 'url'));
    else if (!isRecord(v.body)) errors.push(err('missing_required_parameter', 'body is required', line, 'body'));
    else if (seen.has(customId)) errors.push(err('duplicate_custom_id', `custom_id ${customId} is used twice`, line, 'custom_id'));
    else {
      seen.add(customId);
      items.push({ customId, chat: openaiWire.parse(v.body) });
    }
  }
  if (items.length === 0 && errors.length === 0) errors.push(err('empty_file', 'The batch input file is empty.', null));
  return errors.length > 0 ? { errors } : items;
}
