import type { BatchRecord, StoredFile } from './batch-record.js';
import { type LocalServerOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { mulberry32 } from './random.js';
import type { ReceivedRequest } from './received.js';
import { RpmWindow } from './rpm-window.js';
import { emptyStats, type LocalServerStats } from './stats.js';

/**
 * The one mutable record a running server shares between its handlers. Handlers read the fields
 * at use time, so `setOptions` and `reset` reach requests that are already waiting to be answered.
 */
export interface ServerState {
  opts: ResolvedOptions;
  rand: () => number;
  stats: LocalServerStats;
  readonly window: RpmWindow;
  /** Request-id counter; never reset, so ids stay unique for the server's lifetime. */
  seq: number;
  /** Batches of both vendors by id, in creation order. */
  readonly batches: Map<string, BatchRecord>;
  /** OpenAI files (uploaded inputs, written outputs) by id. */
  readonly files: Map<string, StoredFile>;
  /** Prompt cache: prefix key → time of its last write or read (prompt-cache.ts). */
  readonly promptCache: Map<string, number>;
  /** Chat requests received, oldest first, when `recordRequests` is on (received.ts). */
  readonly received: ReceivedRequest[];
}

export function createServerState(options: LocalServerOptions): ServerState {
  const opts = resolveOptions(options);
  const state: ServerState = {
    opts,
    rand: mulberry32(opts.seed),
    stats: emptyStats(),
    window: new RpmWindow(() => state.opts.now()),
    seq: 0,
    batches: new Map(),
    files: new Map(),
    promptCache: new Map(),
    received: [],
  };
  return state;
}

export function resetServerState(state: ServerState): void {
  // In-flight requests still close after a reset; keeping their count stops it going negative.
  state.stats = { ...emptyStats(), inFlight: state.stats.inFlight };
  state.window.clear();
  state.rand = mulberry32(state.opts.seed);
  state.batches.clear();
  state.files.clear();
  state.promptCache.clear();
  state.received.length = 0;
}

/** A fresh id suffix from the never-reset counter: request ids, batch, file and item ids. */
export function nextId(state: ServerState): string {
  return `vs${(++state.seq).toString(16).padStart(8, '0')}`;
}
