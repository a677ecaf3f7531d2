import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http-json.js';
import type { ServerState } from './server-state.js';
import { isRecord, type VendorWire } from './wire.js';

/** One call of a batch or file route, with the vendor's error shape and request-id header. */
export interface BatchCall {
  readonly state: ServerState;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly wire: VendorWire;
  /** The `:id` of the path, when it has one. */
  readonly id: string | undefined;
  readonly query: URLSearchParams;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

export function reply(call: BatchCall, body: unknown): void {
  sendJson(call.res, 200, body, call.headers);
}

export function refuse(call: BatchCall, status: number, message: string): void {
  sendJson(call.res, status, call.wire.error(status, message), call.headers);
}

/** The JSON object body, or undefined after answering 400. */
export function objectBody(call: BatchCall): Record<string, unknown> | undefined {
  let body: unknown;
  try {
    body = JSON.parse(call.body.toString('utf8'));
  } catch {
    body = undefined;
  }
  if (isRecord(body)) return body;
  refuse(call, 400, 'body must be a JSON object');
  return undefined;
}

/** The batch of this vendor named by the path, or undefined after answering 404. */
export function findBatch<T extends { vendor: string }>(call: BatchCall, batches: Map<string, T>, vendor: string): T | undefined {
  const batch = call.id === undefined ? undefined : batches.get(call.id);
  if (batch && batch.vendor === vendor) return batch;
  refuse(call, 404, `no batch with id ${JSON.stringify(call.id)}`);
  return undefined;
}

export interface ListPage<T> {
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/**
 * A page of `all` (newest first) after or before a cursor id, as both vendors paginate. Returns a
 * message for a 400 on a bad limit or an unknown cursor.
 */
export function listPage<T extends { id: string }>(all: T[], query: URLSearchParams, maxLimit: number): ListPage<T> | string {
  const limitText = query.get('limit');
  const limit = limitText === null ? 20 : Number(limitText);
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= maxLimit)) return `limit must be a whole number from 1 to ${maxLimit}`;
  const after = query.get('after_id') ?? query.get('after');
  const before = query.get('before_id');
  const cursor = after ?? before;
  const at = cursor === null ? -1 : all.findIndex((x) => x.id === cursor);
  if (cursor !== null && at < 0) return `no object with id ${JSON.stringify(cursor)} to page from`;
  let start = after !== null ? at + 1 : 0;
  let end = Math.min(all.length, start + limit);
  if (after === null && before !== null) {
    end = at;
    start = Math.max(0, end - limit);
  }
  const data = all.slice(start, end);
  const hasMore = after === null && before !== null ? start > 0 : end < all.length;
  return { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
