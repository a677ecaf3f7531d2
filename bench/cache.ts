import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { measure } from './lib/measure.js';
import { runValuescope } from './lib/run-harness.js';
import type { ChildServer } from './lib/server-child.js';
import { writeWorkload } from './lib/workload.js';

export interface CacheResult {
  cells: number;
  firstRunMs: number;
  firstRunRequests: number;
  rerunMs: number;
  /** HTTP calls the server saw during the re-run; must be 0. */
  rerunRequests: number;
  rerunCachedNote: string;
}

/** A finished 1,000-cell run (125 scenarios x 8 samples), then the same run again, in `cache: development` mode. */
export async function cacheBench(server: ChildServer, latencyMs: number): Promise<CacheResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vs-bench-cache-'));
  try {
    await server.setOptions({ latencyMs });
    const w = await writeWorkload({ dir, baseURL: `${server.url}/v1`, scenarios: 125, samples: 8, concurrency: 32, cache: 'development' });
    const argv = ['run', '--config', w.configPath, '--no-judge'];
    await server.reset();
    const first = await measure(() => runValuescope(argv, dir));
    if (first.value.code !== 0) throw new Error(`first run exited ${first.value.code}: ${first.value.stderr.slice(0, 1500)}`);
    const firstRunRequests = (await server.stats()).requests;
    await server.reset();
    const second = await measure(() => runValuescope(argv, dir));
    if (second.value.code !== 0) throw new Error(`re-run exited ${second.value.code}: ${second.value.stderr.slice(0, 1500)}`);
    return {
      cells: 1000,
      firstRunMs: first.wallMs,
      firstRunRequests,
      rerunMs: second.wallMs,
      rerunRequests: (await server.stats()).requests,
      rerunCachedNote: /(\d+) cells answered from the response cache/.exec(second.value.stderr)?.[0] ?? '(no cache line printed)',
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
