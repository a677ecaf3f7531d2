import type { BatchRecord, ItemResult } from './batch-record.js';
import { storeFile } from './file-store.js';
import { openaiWire } from './openai-wire.js';
import type { ServerState } from './server-state.js';

const FAILURE: Record<'expired' | 'canceled', { code: string; message: string }> = {
  expired: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' },
  canceled: { code: 'batch_cancelled', message: 'This request was not executed because the batch was cancelled.' },
};

/** One line of a batch output or error file. */
function outputLine(r: ItemResult) {
  const id = `batch_req_${r.requestId.slice(4)}`;
  if (r.outcome === 'succeeded') {
    return { id, custom_id: r.customId, response: { status_code: 200, request_id: r.requestId, body: r.body }, error: null };
  }
  if (r.outcome === 'errored') {
    const status = r.status ?? 500;
    const body = openaiWire.error(status, r.message ?? '');
    const code = status >= 500 ? 'server_error' : 'invalid_request_error';
    return {
      id,
      custom_id: r.customId,
      response: { status_code: status, request_id: r.requestId, body },
      error: { code, message: r.message ?? '' },
    };
  }
  return { id, custom_id: r.customId, response: null, error: FAILURE[r.outcome] };
}

/**
 * Writes an ended batch's output file (answered items) and error file (errored, expired and canceled
 * items, with codes `batch_expired` / `batch_cancelled`); a file with no line is not created, its id stays null.
 */
export function writeOpenAIBatchFiles(state: ServerState, batch: BatchRecord): void {
  const results = batch.results ?? [];
  const jsonl = (rs: ItemResult[]) => rs.map((r) => `${JSON.stringify(outputLine(r))}\n`).join('');
  const ok = results.filter((r) => r.outcome === 'succeeded');
  const failed = results.filter((r) => r.outcome !== 'succeeded');
  batch.outputFileId = ok.length > 0 ? storeFile(state, `${batch.id}_output.jsonl`, 'batch_output', jsonl(ok)).id : null;
  batch.errorFileId = failed.length > 0 ? storeFile(state, `${batch.id}_error.jsonl`, 'batch_output', jsonl(failed)).id : null;
}
