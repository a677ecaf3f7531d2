import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChildServer } from './lib/server-child.js';
import { writeWorkload } from './lib/workload.js';
import { onlyRunDir, readTranscripts, runPhase, runValuescope } from './lib/run-harness.js';
import { measure } from './lib/measure.js';

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

const SCENARIOS = 100;

/** Rounds per cell: at least 5, and enough for the run phase to last about `targetMs`. */
export function requestsFor(concurrency: number, latencyMs: number, targetMs: number): number {
  const rounds = Math.max(5, Math.ceil(targetMs / latencyMs));
  return Math.ceil((concurrency * rounds) / SCENARIOS) * SCENARIOS;
}

export async function throughputCell(server: ChildServer, concurrency: number, latencyMs: number, targetMs: number): Promise<ThroughputCell> {
  const n = requestsFor(concurrency, latencyMs, targetMs);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vs-bench-tp-'));
  try {
    const w = await writeWorkload({ dir, baseURL: `${server.url}/v1`, scenarios: SCENARIOS, samples: n / SCENARIOS, concurrency });
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

export async function throughputGrid(server: ChildServer, opts: { concurrencies: number[]; latencies: number[]; targetMs: number; log: (s: string) => void }): Promise<ThroughputCell[]> {
  const out: ThroughputCell[] = [];
  for (const l of opts.latencies) {
    for (const c of opts.concurrencies) {
      const cell = await throughputCell(server, c, l, opts.targetMs);
      opts.log(`throughput C=${c} L=${l}ms: ${cell.reqPerSec.toFixed(1)} req/s of ideal ${cell.idealReqPerSec.toFixed(1)} (${(cell.ratio * 100).toFixed(1)}%), cpu ${cell.harnessCpuMs.toFixed(0)} ms`);
      out.push(cell);
    }
  }
  return out;
}
