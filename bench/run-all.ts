/**
 * `npm run bench`: every benchmark and the long fault drills in one run, written to BENCHMARKS.md
 * (and the raw figures to bench/.scratch/last-run.json). BENCH_QUICK=1 shrinks every size for a
 * smoke run; its BENCHMARKS.md says so.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAnalysisScale } from './analysis-scale.js';
import { cacheBench } from './cache.js';
import { cliStartup } from './cli-startup.js';
import { longDrills } from './drills.js';
import { judgeCostBench } from './judge-cost.js';
import { machineInfo } from './lib/machine.js';
import { type BenchResults, renderBenchmarks } from './lib/report.js';
import { startChildServer } from './lib/server-child.js';
import { benchPipelinedJudging } from './pipelined-judging.js';
import { promptfooSideBySide } from './promptfoo.js';
import { rateLimitBench } from './rate-limit.js';
import { sdkFloor } from './sdk-floor.js';
import { roundsFor, throughputGrid } from './throughput.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const quick = process.env.BENCH_QUICK === '1';
const log = (s: string): void => void process.stderr.write(`[bench] ${s}\n`);

async function attempt<T>(name: string, fn: () => Promise<T>): Promise<T | { error: string }> {
  const t0 = performance.now();
  try {
    const v = await fn();
    log(`${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return v;
  } catch (e) {
    log(`${name} FAILED: ${(e as Error).stack ?? String(e)}`);
    return { error: (e as Error).message.split('\n')[0] ?? String(e) };
  }
}

const t0 = performance.now();
const machine = machineInfo();
const loadBefore = os.loadavg();
log(`machine: ${machine.nproc} CPUs, ${machine.cpuModel}, load ${loadBefore.map((x) => x.toFixed(1)).join(' ')}`);

const server = await startChildServer({ latencyMs: 200, seed: 1 });
let results: BenchResults;
try {
  const throughput = await throughputGrid(server, {
    concurrencies: quick ? [32] : [8, 32, 128],
    latencies: quick ? [200] : [50, 200, 1000],
    targetMs: quick ? 1000 : 3000,
    log,
  });
  const floor = await attempt('sdk floor', () => sdkFloor(server, 32, 200, roundsFor(200, quick ? 1000 : 3000)));
  const rateLimit = await attempt('rate limits', () => rateLimitBench(quick ? 120 : 600, 50));
  const promptfoo = await promptfooSideBySide(server, {
    repo,
    concurrency: 32,
    latencyMs: 200,
    scenarios: 120,
    samples: quick ? 2 : 16,
    log,
  });
  log(`promptfoo: ${promptfoo.ok ? `valuescope/promptfoo = ${promptfoo.speedup.toFixed(2)}x` : promptfoo.error}`);
  const cache = await attempt('cache', () => cacheBench(server, 20));
  const analysis = await attempt('analysis at scale', () => benchAnalysisScale(quick ? { judgments: 30_000, resamples: 200 } : {}));
  const startup = await attempt('cli start-up', () => cliStartup(repo, 10));
  const drills = await attempt('drills', () => longDrills(repo, log));
  const pipelinedSizes = quick
    ? [{ cells: 300, concurrency: 32 }]
    : [
        { cells: 2052, concurrency: 32 },
        { cells: 5016, concurrency: 64, faultRate: 0.05 },
      ];
  const pipelined = [];
  for (const size of pipelinedSizes) {
    const r = await attempt(`pipelined judging at ${size.cells} cells`, () => benchPipelinedJudging(size));
    if (!('error' in r))
      log(`pipelined judging ${r.cells} cells: wall ${r.wallRatio.toFixed(2)}x, RSS ${r.rssRatio.toFixed(2)}x of run + judge`);
    pipelined.push(r);
  }
  const judgeCost = await attempt('judge cost (caching, batch)', () => judgeCostBench());
  results = {
    machine,
    loadBefore,
    loadAfter: os.loadavg(),
    command: quick ? 'BENCH_QUICK=1 npm run bench' : 'npm run bench',
    quick,
    totalMs: performance.now() - t0,
    throughput,
    floor,
    rateLimit,
    promptfoo,
    cache,
    analysis,
    startup,
    drills,
    pipelined,
    judgeCost,
  };
} finally {
  await server.close();
}
await mkdir(path.join(repo, 'bench', '.scratch'), { recursive: true });
await writeFile(path.join(repo, 'bench', '.scratch', 'last-run.json'), JSON.stringify(results, null, 2));
await writeFile(path.join(repo, 'BENCHMARKS.md'), renderBenchmarks(results));
log(`wrote BENCHMARKS.md in ${((performance.now() - t0) / 60_000).toFixed(1)} min`);
