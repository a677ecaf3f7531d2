import type { Config } from '../../config/schema.js';
import type { SourceLocation } from '../../core/errors.js';
import type { Manifest } from '../../records/manifest.js';
import type { Suite } from '../../scenarios/load-suite.js';
import { buildCells, type RunPlan, sharded } from './plan.js';
import { checkResumable } from './resume-check.js';

/**
 * The plan of a run being resumed: its own models, scenarios and samples, once checkResumable has
 * confirmed the current config and suite still give comparable answers. Notes say what changed harmlessly.
 * A shard takes its part again: the split depends only on the cell ids, which the manifest fixes.
 */
export function resumePlan(
  manifest: Manifest,
  loaded: { config: Config; hash: string; file: string; locate?: (fieldPath: readonly PropertyKey[]) => SourceLocation },
  suite: Suite,
): { plan: RunPlan; notes: string[] } {
  const ok = checkResumable(manifest, {
    configHash: loaded.hash,
    configFile: loaded.file,
    models: loaded.config.models,
    suiteHash: suite.hash,
    scenarios: suite.scenarios,
    ...(loaded.locate ? { locate: loaded.locate } : {}),
  });
  const plan: RunPlan = {
    models: ok.specs,
    scenarios: ok.scenarios,
    samples: manifest.samples,
    ...sharded(buildCells(ok.specs, ok.scenarios, manifest.samples), manifest.shard),
  };
  return { plan, notes: ok.notes };
}
