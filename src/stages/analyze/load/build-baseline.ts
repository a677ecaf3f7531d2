import { InputError } from '../../../core/errors.js';
import { HARNESS_VERSION } from '../../../core/version.js';
import {
  BASELINE_KIND,
  BASELINE_VERSION,
  type BaselineFile,
  BaselineFileSchema,
  type BaselineManifest,
} from '../../../records/baseline.js';
import type { Manifest } from '../../../records/manifest.js';
import { isSyntheticManifest } from '../../../records/synthetic.js';
import { tableToBaseline } from './baseline-table.js';
import type { LoadedRun } from './load-run.js';
import type { ModelTable } from './scenario-table.js';

/**
 * The baseline of one target of a loaded run (loaded with `watchlist`, normalised): what diff and
 * gate read, and nothing else. Checked against the file schema before anyone writes it.
 */
export function buildBaseline(run: LoadedRun, table: ModelTable, watchlist: readonly string[]): BaselineFile {
  if (!run.manifest || !run.completeness)
    throw new InputError(`${run.runDir} has no manifest.json: a baseline records the run's suite and scenario hashes, so it needs one`);
  const completeness = run.completeness;
  const tracked = new Set(watchlist);
  const file: BaselineFile = {
    kind: BASELINE_KIND,
    v: BASELINE_VERSION,
    saved: { harnessVersion: HARNESS_VERSION, from: { runId: run.manifest.runId, modelId: table.modelId } },
    manifest: trimManifest(run.manifest, table.modelId),
    table: tableToBaseline(table.snapshot(), tracked),
    watchlist: [...tracked].sort(),
    completeness: {
      status: completeness.status,
      planned: completeness.planned,
      done: completeness.done,
      models: completeness.models.filter((m) => m.modelId === table.modelId).map((m) => ({ ...m })),
      foreign: completeness.foreign,
      ...(completeness.shard ? { shard: { ...completeness.shard } } : {}),
    },
  };
  return BaselineFileSchema.parse(file);
}

/**
 * What analysis reads of the manifest: hashes, dates, counts, the target's own model entry (its
 * configured name is how a served-model change is recognised). Not spend, machine paths, extra
 * headers, or free-form notes (import sources, resume times): only the synthetic marker, so reports
 * of a synthetic baseline still say SYNTHETIC.
 */
function trimManifest(m: Manifest, modelId: string): BaselineManifest {
  const { spend: _spend, configFile: _configFile, suitePaths: _suitePaths, ...rest } = m;
  const models = m.models.filter((x) => x.id === modelId).map((x) => withoutHeaders(x));
  return { ...rest, models, notes: m.notes.filter((n) => isSyntheticManifest([n])) };
}

/** Header values may carry credentials: never copied, whatever the manifest's entry holds. */
function withoutHeaders<T extends object>(entry: T): T {
  const { headers: _headers, ...rest } = entry as T & { headers?: unknown };
  return rest as T;
}
