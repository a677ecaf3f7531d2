/**
 * Everything a command touches in the outside world, passed in so tests run commands in-process
 * with their own argv, env, clock, fetch and streams (no module-level singletons).
 */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface AppContext {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: OutputStream;
  stderr: OutputStream;
  now: () => Date;
  fetch: typeof globalThis.fetch;
  /** Aborted on the first Ctrl-C: commands stop starting work, flush, and say how to resume. */
  signal: AbortSignal;
}

export function defaultContext(signal: AbortSignal): AppContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: readerMayLeave(process.stdout),
    stderr: readerMayLeave(process.stderr),
    now: () => new Date(),
    fetch: globalThis.fetch,
    signal,
  };
}

/** Errors meaning the reader has gone (`valuescope run | head` after head exits). */
const READER_GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

/**
 * An output whose reader may close it early: from then on its writes are dropped and the command
 * goes on to finish its work (a run piped into `head` still writes its transcripts, profile and
 * report). Any other stream error is still thrown.
 */
function readerMayLeave(stream: NodeJS.WriteStream): OutputStream {
  let gone = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (!READER_GONE.has(err.code ?? '')) throw err;
    gone = true;
  });
  return {
    write: (chunk: string) => (gone ? true : stream.write(chunk)),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  };
}
