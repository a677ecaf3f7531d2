import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LocalServerOptions } from '../../src/devtools/local-server/options.js';
import { startLocalServer } from '../../src/devtools/local-server/server.js';
import type { LocalServerStats } from '../../src/devtools/local-server/stats.js';
import { runValuescope } from '../lib/run-harness.js';
import { type WorkloadOptions, writeWorkload } from '../lib/workload.js';
import { checkLedger, findRunDir, type LedgerCheck } from './drill-env.js';

export interface FaultRunResult {
  exitCode: number;
  stderr: string;
  wallMs: number;
  ledger: Omit<LedgerCheck, 'transcripts'>;
  stats: LocalServerStats;
  /** Sum of attempts over all transcripts: must equal the HTTP requests the server saw. */
  attempts: number;
  maxAttemptsSeen: number;
  /** Failed attempts: attempts of errored cells, plus attempts before the success of the others. */
  failedAttempts: number;
  errorKinds: Record<string, number>;
  /** Errored cells whose attempts are below maxAttempts (should be none for retryable faults). */
  erroredBeforeMaxAttempts: number;
}

/** One in-process `valuescope run` against a faulty in-process server; everything counted from both sides. */
export async function faultRun(
  server: LocalServerOptions,
  work: Omit<WorkloadOptions, 'dir' | 'baseURL'> & { maxAttempts: number },
): Promise<FaultRunResult> {
  const srv = await startLocalServer(server);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vs-drill-fault-'));
  try {
    const w = await writeWorkload({ ...work, dir, baseURL: `${srv.url}/v1` });
    const t0 = performance.now();
    const r = await runValuescope(['run', '--config', w.configPath, '--no-cache', '--no-judge', '--out', w.outDir], dir);
    const wallMs = performance.now() - t0;
    const runDir = await findRunDir(w.outDir);
    if (!runDir) throw new Error(`no run directory: ${r.stderr}`);
    const { transcripts, ...ledger } = await checkLedger(runDir, work.scenarios, work.samples);
    const errorKinds: Record<string, number> = {};
    let attempts = 0;
    let failedAttempts = 0;
    let maxAttemptsSeen = 0;
    let erroredBeforeMaxAttempts = 0;
    for (const t of transcripts) {
      attempts += t.attempts;
      maxAttemptsSeen = Math.max(maxAttemptsSeen, t.attempts);
      failedAttempts += t.error ? t.attempts : t.attempts - 1;
      if (t.error) {
        errorKinds[t.error.kind] = (errorKinds[t.error.kind] ?? 0) + 1;
        if (t.attempts < work.maxAttempts) erroredBeforeMaxAttempts++;
      }
    }
    return {
      exitCode: r.code,
      stderr: r.stderr,
      wallMs,
      ledger,
      stats: srv.stats(),
      attempts,
      maxAttemptsSeen,
      failedAttempts,
      errorKinds,
      erroredBeforeMaxAttempts,
    };
  } finally {
    await srv.close();
    await rm(dir, { recursive: true, force: true });
  }
}
