import { type BatchCall, findBatch, listPage, objectBody, refuse, reply } from './batch-call.js';
import { cancelBatch, createBatch, readBatch } from './batch-lifecycle.js';
import type { BatchRecord, StoredFile } from './batch-record.js';
import { parseBatchInput } from './openai-batch-input.js';
import { nextId, type ServerState } from './server-state.js';
import { isRecord } from './wire.js';

const ENDPOINT = '/v1/chat/completions';
const sec = (ms: number | undefined) => (ms === undefined ? null : Math.floor(ms / 1000));

function status(b: BatchRecord): string {
  if (b.phase === 'in_progress') return b.reads === 0 ? 'validating' : 'in_progress';
  if (b.phase === 'canceling') return 'cancelling';
  return { canceled: 'cancelled', expired: 'expired', failed: 'failed', completed: 'completed' }[b.how ?? 'completed'];
}

function usage(b: BatchRecord) {
  let input = 0;
  let cached = 0;
  let output = 0;
  for (const r of b.results ?? []) {
    input += r.usage?.input ?? 0;
    cached += r.usage?.cached ?? 0;
    output += r.usage?.output ?? 0;
  }
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

/** The Batch object of OpenAI's Batch API; unset times and files are null, as the API sends them. */
function batchJson(b: BatchRecord) {
  const ok = b.results?.filter((r) => r.outcome === 'succeeded').length ?? 0;
  const first = b.items.find((i) => typeof i.chat !== 'string')?.chat;
  const end = sec(b.endedAt);
  return {
    id: b.id,
    object: 'batch',
    endpoint: ENDPOINT,
    model: typeof first === 'object' ? first.model : null,
    errors: b.inputErrors ? { object: 'list', data: b.inputErrors } : null,
    input_file_id: b.inputFileId ?? null,
    completion_window: '24h',
    status: status(b),
    output_file_id: b.outputFileId ?? null,
    error_file_id: b.errorFileId ?? null,
    created_at: sec(b.createdAt),
    in_progress_at: b.reads > 0 || b.how === 'completed' ? sec(b.createdAt) : null,
    expires_at: sec(b.createdAt + 86_400_000),
    finalizing_at: b.how === 'completed' || b.how === 'expired' ? end : null,
    completed_at: b.how === 'completed' ? end : null,
    failed_at: b.how === 'failed' ? end : null,
    expired_at: b.how === 'expired' ? end : null,
    cancelling_at: sec(b.cancelAt),
    cancelled_at: b.how === 'canceled' ? end : null,
    request_counts: { total: b.items.length, completed: ok, failed: (b.results?.length ?? 0) - ok },
    usage: usage(b),
    metadata: b.metadata ?? null,
  };
}

function metadataOf(raw: unknown): Record<string, string> | null | string {
  if (raw === undefined || raw === null) return null;
  if (!isRecord(raw) || Object.keys(raw).length > 16 || !Object.values(raw).every((v) => typeof v === 'string'))
    return 'metadata: at most 16 string values';
  return raw as Record<string, string>;
}

/** The input file and metadata of a create, or a message for a 400. */
function checkCreate(
  state: ServerState,
  body: Record<string, unknown>,
): { file: StoredFile; metadata: Record<string, string> | null } | string {
  const file = typeof body.input_file_id === 'string' ? state.files.get(body.input_file_id) : undefined;
  if (file?.purpose !== 'batch') return `input_file_id: no file with purpose 'batch' has id ${JSON.stringify(body.input_file_id)}`;
  if (body.endpoint !== ENDPOINT) return `endpoint: only ${ENDPOINT} is served here`;
  if (body.completion_window !== '24h') return "completion_window: must be '24h'";
  const metadata = metadataOf(body.metadata);
  return typeof metadata === 'string' ? metadata : { file, metadata };
}

/**
 * POST /v1/batches on an uploaded `purpose=batch` file. A file with a bad line makes a batch that is
 * `failed` at once, with the lines' errors, as OpenAI's validation does.
 */
export function createOpenAIBatch(call: BatchCall): void {
  const body = objectBody(call);
  if (!body) return;
  const checked = checkCreate(call.state, body);
  if (typeof checked === 'string') {
    refuse(call, 400, checked);
    return;
  }
  const input = parseBatchInput(checked.file.content, ENDPOINT);
  const batch = createBatch(call.state, 'openai', `batch_${nextId(call.state)}`, Array.isArray(input) ? input : []);
  batch.inputFileId = checked.file.id;
  batch.metadata = checked.metadata;
  if (!Array.isArray(input)) {
    batch.inputErrors = input.errors;
    batch.phase = 'ended';
    batch.how = 'failed';
    batch.endedAt = batch.createdAt;
    batch.results = [];
  }
  reply(call, batchJson(batch));
}

export function retrieveOpenAIBatch(call: BatchCall): void {
  const batch = findBatch(call, call.state.batches, 'openai');
  if (!batch) return;
  readBatch(call.state, batch);
  reply(call, batchJson(batch));
}

/** GET /v1/batches: newest first, `limit` (1..100), `after`. Does not count as a status read. */
export function listOpenAIBatches(call: BatchCall): void {
  const all = [...call.state.batches.values()].filter((b) => b.vendor === 'openai').reverse();
  const page = listPage(all.map(batchJson), call.query, 100);
  if (typeof page === 'string') refuse(call, 400, page);
  else reply(call, { object: 'list', ...page });
}

export function cancelOpenAIBatch(call: BatchCall): void {
  const batch = findBatch(call, call.state.batches, 'openai');
  if (!batch) return;
  cancelBatch(call.state, batch);
  reply(call, batchJson(batch));
}
