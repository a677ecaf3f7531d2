import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { measure } from './lib/measure.js';
import { onlyRunDir, readTranscripts, runPhase, runValuescope } from './lib/run-harness.js';
import type { ChildServer } from './lib/server-child.js';
import { writeWorkload } from './lib/workload.js';

export interface ThroughputCell {
  concurrency: number;
  latencyMs: number;
  requests: number;
  idealReqPerSec: number;
  /** Cells / (first cell start .. last cell finish), from transcripts. */
  reqPerSec: number;
  ratio: number;
  /** Whole CLI invocation: config + suite load, run, manifest; includes start-up. */
  endToEndMs: number;
  endToEndRatio: number;
  harnessCpuMs: number;
  cpuUsPerRequest: number;
  serverRequests: number;
  errors: number;
}

/**
 * Rounds per cell: at least 5, and enough for the run phase to last about `targetMs`. The cell is
 * C scenarios x rounds samples, so the request count is an exact multiple of C (a partial last
 * round would be charged to the harness).
 */
export function roundsFor(latencyMs: number, targetMs: number): number {
  return Math.min(100, Math.max(5, Math.ceil(targetMs / latencyMs)));
}

export async function throughputCell(
  server: ChildServer,
  concurrency: number,
  latencyMs: number,
  targetMs: number,
): Promise<ThroughputCell> {
  const rounds = roundsFor(latencyMs, targetMs);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vs-bench-tp-'));
  try {
    const w = await writeWorkload({ dir, baseURL: `${server.url}/v1`, scenarios: concurrency, samples: rounds, concurrency });
    await server.setOptions({ latencyMs });
    await server.reset();
    const m = await measure(() => runValuescope(['run', '--config', w.configPath, '--no-cache', '--no-judge', '--out', w.outDir], dir));
    if (m.value.code !== 0) throw new Error(`valuescope run exited ${m.value.code}: ${m.value.stderr.slice(0, 2000)}`);
    const ts = await readTranscripts(await onlyRunDir(w.outDir));
    const stats = await server.stats();
    const phase = runPhase(ts);
    const ideal = (concurrency / latencyMs) * 1000;
    return {
      concurrency,
      latencyMs,
      requests: ts.length,
      idealReqPerSec: ideal,
      reqPerSec: phase.reqPerSec,
      ratio: phase.reqPerSec / ideal,
      endToEndMs: m.wallMs,
      endToEndRatio: ((ts.length / m.wallMs) * 1000) / ideal,
      harnessCpuMs: m.cpuMs,
      cpuUsPerRequest: (m.cpuMs * 1000) / Math.max(1, ts.length),
      serverRequests: stats.requests,
      errors: ts.filter((t) => t.error).length,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function throughputGrid(
  server: ChildServer,
  opts: { concurrencies: number[]; latencies: number[]; targetMs: number; log: (s: string) => void },
): Promise<ThroughputCell[]> {
  // Warm-up (discarded): module loading and JIT happen once per process, not once per cell.
  await throughputCell(server, 8, 10, 100);
  const out: ThroughputCell[] = [];
  for (const l of opts.latencies) {
    for (const c of opts.concurrencies) {
      const cell = await throughputCell(server, c, l, opts.targetMs);
      opts.log(
        `throughput C=${c} L=${l}ms: ${cell.reqPerSec.toFixed(1)} req/s of ideal ${cell.idealReqPerSec.toFixed(1)} (${(cell.ratio * 100).toFixed(1)}%), cpu ${cell.harnessCpuMs.toFixed(0)} ms`,
      );
      out.push(cell);
    }
  }
  return out;
}
