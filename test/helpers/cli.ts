import { main } from '../../src/cli/main.js';
import type { AppContext } from '../../src/core/context.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams and an explicit env (no process.env leakage). */
export async function runCli(
  argv: string[],
  opts: { cwd: string; env?: Record<string, string | undefined>; now?: () => Date; fetch?: typeof fetch; signal?: AbortSignal },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const ctx: AppContext = {
    cwd: opts.cwd,
    env: opts.env ?? {},
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    now: opts.now ?? (() => new Date()),
    fetch: opts.fetch ?? globalThis.fetch,
    signal: opts.signal ?? new AbortController().signal,
  };
  const code = await main(argv, ctx);
  return { code, stdout, stderr };
}
