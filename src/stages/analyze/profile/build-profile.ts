import { HARNESS_VERSION } from '../../../core/version.js';
import {
  describeCachedAnswers,
  describeServedModels,
  type ModelProfile,
  PROFILE_INTERVAL_METHOD,
  type ProfileFile,
  type WatchHit,
} from '../../../records/profile.js';
import type { LoadedRun } from '../load/load-run.js';
import type { ModelTable } from '../load/scenario-table.js';
import { smallSuiteWarning } from '../stats/cluster-interval.js';
import { contextDependence } from './context-dependence.js';
import { computeSections } from './profile-section.js';

export interface ProfileOptions {
  resamples: number;
  seed: number;
  /** Confidence level of the intervals. */
  level?: number;
  watchlist: readonly string[];
  topValues?: number;
  now?: () => Date;
}

/** The value profile of one model: overall, per domain, context dependence, watch-list hits. */
function buildModelProfile(table: ModelTable, configuredModel: string | null, options: ProfileOptions): ModelProfile {
  const level = options.level ?? 0.95;
  const topN = options.topValues ?? 10;
  const scen = table.sortedScenarios();
  const domains = [...new Set(scen.map((s) => s.domain))].sort();
  const { overall, domains: domainSections } = computeSections(
    scen,
    domains,
    level,
    topN,
    Object.fromEntries([...table.errorKinds].sort()),
  );
  const hits: WatchHit[] = [...table.watch.entries()]
    .sort((a, b) => b[1].cells - a[1].cells || (a[0] < b[0] ? -1 : 1))
    .map(([value, acc]) => ({
      value,
      cells: acc.cells,
      cellIds: [...acc.cellIds].sort(),
      scenarioIds: [...acc.scenarioIds].sort(),
      domains: [...acc.domains].sort(),
    }));
  return {
    modelId: table.modelId,
    judgeIds: [...table.judgeIds].sort(),
    judgeHashes: [...table.judgeHashes].sort(),
    judgeModels: [...table.judgeModels].sort(),
    answers: table.answers(),
    served: { configured: configuredModel, identities: table.servedIdentities(), unrecorded: table.servedUnrecorded },
    overall,
    domains: domainSections,
    contextDependence: contextDependence(scen),
    watchlist: { list: [...options.watchlist], hits },
  };
}

/** profile.json for a loaded run (every model in it, or the one named with #MODEL_ID). */
export function buildProfile(run: LoadedRun, options: ProfileOptions): ProfileFile {
  const level = options.level ?? 0.95;
  const notes = [...run.notes];
  // In the config's order (then by id), not in the order judgments happened to be written: a
  // profile of the same cells is the same file however the run was split or scheduled.
  const order = new Map((run.manifest?.models ?? []).map((m, i) => [m.id, i]));
  const rank = (id: string): number => order.get(id) ?? order.size;
  const tables = [...run.models].sort(
    (a, b) => rank(a.modelId) - rank(b.modelId) || (a.modelId < b.modelId ? -1 : a.modelId > b.modelId ? 1 : 0),
  );
  const models = tables.map((t) => buildModelProfile(t, configuredModelOf(run, t.modelId), options));
  for (const m of models) {
    const small = smallSuiteWarning(m.overall.scenarios, m.modelId);
    if (small) notes.push(small);
    if (m.overall.errored > 0) {
      notes.push(
        `${m.modelId}: ${m.overall.errored} of ${m.overall.cells} cells errored (transcript or judge failure); they are counted, and excluded from every share`,
      );
    }
    const cached = cachedAnswersNote(m);
    if (cached) notes.push(cached);
    const served = servedModelsNote(m);
    if (served) notes.push(served);
    if (m.judgeHashes.length > 1) notes.push(`${m.modelId}: judgments come from ${m.judgeHashes.length} different judge definitions`);
  }
  return {
    v: 1,
    kind: 'profile',
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    harnessVersion: HARNESS_VERSION,
    runDir: run.runDir,
    runId: run.manifest?.runId ?? null,
    suiteHash: run.manifest?.suiteHash ?? null,
    settings: {
      resamples: options.resamples,
      seed: options.seed,
      level,
      interval: PROFILE_INTERVAL_METHOD,
    },
    models,
    notes,
  };
}

/** A note when some answers were not requested for this run (they are copies, not fresh samples). */
function cachedAnswersNote(m: ModelProfile): string | null {
  const a = m.answers;
  if (!a || a.cached === 0) return null;
  return `${m.modelId}: ${describeCachedAnswers(a)}; they are copies, not an independent sample of the model`;
}

/** The model name a configured model sent on the wire, from the manifest (null without one). */
function configuredModelOf(run: LoadedRun, modelId: string): string | null {
  return run.manifest?.models.find((m) => m.id === modelId)?.model ?? null;
}

/** A note when the answers of one configured model came from more than one served model or fingerprint. */
function servedModelsNote(m: ModelProfile): string | null {
  const s = m.served;
  if (!s || s.identities.length < 2) return null;
  return `${m.modelId}: the API reported ${s.identities.length} different served models or fingerprints behind ${s.configured ?? m.modelId} (${describeServedModels(s)}); the answers may not come from one model`;
}
