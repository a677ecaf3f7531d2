import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { measure } from './lib/measure.js';
import { onlyRunDir, readTranscripts, runValuescope } from './lib/run-harness.js';
import { startChildServer } from './lib/server-child.js';
import { writeWorkload } from './lib/workload.js';

export interface RateLimitResult {
  rpm: number;
  requests: number;
  wallMs: number;
  /** Requests after the first window's burst, per minute, over the time they took. */
  steadyRpm: number;
  ratio: number;
  /** Most requests answered in any 60 s span (the server's own window); at most rpm. */
  peakWindow: number;
  /** Every 429 the server sent (random ones are off here, so these are rpm-limit refusals). */
  serverSent429: number;
  retries: number;
  attempts: number;
  errors: number;
}

/**
 * The server enforces `rpm` per model over a sliding minute; the harness is configured at the same
 * rpm with 2 x rpm cells, so the run spans one full window after the initial burst.
 */
export async function rateLimitBench(rpm: number, latencyMs: number): Promise<RateLimitResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vs-bench-rpm-'));
  // Its own server process: the rpm limit cannot be switched off again on a running server.
  const server = await startChildServer({ latencyMs, rpm });
  try {
    const n = 2 * rpm;
    // 60 scenarios divide both 2 x 600 and 2 x 120 (quick mode), so the run is exactly two windows.
    const scenarios = 60;
    const w = await writeWorkload({ dir, baseURL: `${server.url}/v1`, scenarios, samples: Math.ceil(n / scenarios), concurrency: 32, rpm });
    const m = await measure(() => runValuescope(['run', '--config', w.configPath, '--no-cache', '--no-judge', '--out', w.outDir], dir));
    if (m.value.code !== 0 && m.value.code !== 3)
      throw new Error(`valuescope run exited ${m.value.code}: ${m.value.stderr.slice(0, 2000)}`);
    const ts = await readTranscripts(await onlyRunDir(w.outDir));
    const stats = await server.stats();
    // Arrival at the server ~= finish - latency; the shift is the same for all, so spans are unchanged.
    const fin = ts.map((t) => Date.parse(t.finishedAt)).sort((a, b) => a - b);
    const r = Math.min(rpm, fin.length - 1);
    const steadyRpm = fin.length > r + 1 ? ((fin.length - r) / Math.max(1, fin[fin.length - 1]! - fin[r - 1]!)) * 60_000 : NaN;
    let peak = 0;
    for (let i = 0, j = 0; i < fin.length; i++) {
      while (fin[i]! - fin[j]! >= 60_000) j++;
      peak = Math.max(peak, i - j + 1);
    }
    return {
      rpm,
      requests: ts.length,
      wallMs: m.wallMs,
      steadyRpm,
      ratio: steadyRpm / rpm,
      peakWindow: peak,
      serverSent429: stats.sent429,
      retries: ts.reduce((s, t) => s + t.attempts, 0) - ts.length,
      attempts: ts.reduce((s, t) => s + t.attempts, 0),
      errors: ts.filter((t) => t.error).length,
    };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
