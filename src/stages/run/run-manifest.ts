import { HARNESS_VERSION } from '../../core/version.js';
import type { Manifest } from '../../records/manifest.js';
import type { RunPlan } from './plan.js';
import { manifestModelOf } from './resume-check.js';

/** The first manifest of a fresh run: what it will run and under which config and suite. */
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
    counts: { planned: plan.cells.length, done: 0, errored: 0 },
    notes: [],
  };
}

/** Marks a (fresh or resumed) run as running, counting the cells already in its transcripts. */
export function markRunning(manifest: Manifest, plan: RunPlan, finished: ReadonlyMap<string, { errored: boolean }>): void {
  const priorErrored = [...finished.values()].filter((c) => c.errored).length;
  manifest.status = 'running';
  manifest.finishedAt = null;
  manifest.counts = { planned: plan.cells.length, done: finished.size, errored: priorErrored };
}
