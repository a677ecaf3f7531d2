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
    stdout: process.stdout,
    stderr: process.stderr,
    now: () => new Date(),
    fetch: globalThis.fetch,
    signal,
  };
}
