import path from 'node:path';
import { main } from '../../src/cli/main.js';
import type { AppContext } from '../../src/core/context.js';
import { type Transcript, TranscriptSchema } from '../../src/records/transcript.js';
import { readJsonl } from '../../src/util/jsonl.js';
import { BENCH_KEY_ENV } from './workload.js';

export interface HarnessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `valuescope <argv>` in this process (the real CLI code path: config and suite loading,
 * scheduler, retries, transcript writes) so process.cpuUsage() measures the harness alone.
 */
export async function runValuescope(argv: string[], cwd: string, signal?: AbortSignal): Promise<HarnessRun> {
  let stdout = '';
  let stderr = '';
  const ctx: AppContext = {
    cwd,
    env: { [BENCH_KEY_ENV]: 'sk-bench-not-a-secret', NO_COLOR: '1' },
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    now: () => new Date(),
    fetch: globalThis.fetch,
    signal: signal ?? new AbortController().signal,
  };
  const code = await main(argv, ctx);
  return { code, stdout, stderr };
}

export async function readTranscripts(runDir: string): Promise<Transcript[]> {
  const out: Transcript[] = [];
  for await (const { value } of readJsonl(path.join(runDir, 'transcripts.jsonl'), TranscriptSchema)) out.push(value);
  return out;
}

/** Requests per second over the run phase: first cell start to last cell finish, from the transcripts. */
export function runPhase(ts: readonly Transcript[]): { ms: number; reqPerSec: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const t of ts) {
    first = Math.min(first, Date.parse(t.startedAt));
    last = Math.max(last, Date.parse(t.finishedAt));
  }
  const ms = Math.max(1, last - first);
  return { ms, reqPerSec: (ts.length / ms) * 1000 };
}

/** The run directory `valuescope run --out OUT` created (OUT holds one run per call in benchmarks). */
export async function onlyRunDir(outDir: string): Promise<string> {
  const { readdir } = await import('node:fs/promises');
  const dirs = (await readdir(outDir, { withFileTypes: true })).filter((d) => d.isDirectory());
  if (dirs.length !== 1) throw new Error(`expected one run directory under ${outDir}, found ${dirs.length}`);
  return path.join(outDir, dirs[0]!.name);
}
