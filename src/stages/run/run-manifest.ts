import { HARNESS_VERSION } from '../../core/version.js';
import type { Manifest } from '../../records/manifest.js';
import type { RunPlan } from './plan.js';
import { manifestModelOf } from './resume-check.js';
import { shardNote } from './shard.js';

/**
 * The first manifest of a fresh run: what it will run and under which config and suite. A shard
 * records the whole plan (models, scenarios, samples) with its shard, and plans only its own cells.
 */
export function newManifest(o: {
  runId: string;
  startedAt: string;
  configHash: string;
  configFile: string;
  suiteHash: string;
  pack: string[] | undefined;
  plan: RunPlan;
}): Manifest {
  const { plan } = o;
  return {
    v: 1,
    runId: o.runId,
    status: 'running',
    startedAt: o.startedAt,
    finishedAt: null,
    harnessVersion: HARNESS_VERSION,
    configHash: o.configHash,
    configFile: o.configFile,
    suiteHash: o.suiteHash,
    ...(o.pack ? { suitePaths: o.pack } : {}),
    scenarios: Object.fromEntries(plan.scenarios.map((s) => [s.id, s.hash])),
    samples: plan.samples,
    models: plan.models.map(manifestModelOf),
    ...(plan.shard ? { shard: { index: plan.shard.index, count: plan.shard.count } } : {}),
    counts: { planned: plan.cells.length, done: 0, errored: 0 },
    notes: plan.shard ? [shardNote(plan.shard, plan.cells.length, plan.shard.planCells)] : [],
  };
}

/** Marks a (fresh or resumed) run as running, counting the cells already in its transcripts. */
export function markRunning(manifest: Manifest, plan: RunPlan, finished: ReadonlyMap<string, { errored: boolean }>): void {
  const priorErrored = [...finished.values()].filter((c) => c.errored).length;
  manifest.status = 'running';
  manifest.finishedAt = null;
  manifest.counts = { planned: plan.cells.length, done: finished.size, errored: priorErrored };
}
