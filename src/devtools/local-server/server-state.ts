import { type LocalServerOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { mulberry32 } from './random.js';
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
}

export function createServerState(options: LocalServerOptions): ServerState {
  const opts = resolveOptions(options);
  const state: ServerState = {
    opts,
    rand: mulberry32(opts.seed),
    stats: emptyStats(),
    window: new RpmWindow(() => state.opts.now()),
    seq: 0,
  };
  return state;
}

export function resetServerState(state: ServerState): void {
  // In-flight requests still close after a reset; keeping their count stops it going negative.
  state.stats = { ...emptyStats(), inFlight: state.stats.inFlight };
  state.window.clear();
  state.rand = mulberry32(state.opts.seed);
}
