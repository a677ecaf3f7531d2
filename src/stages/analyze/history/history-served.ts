import type { HistoryRun, ModelChange } from '../../../records/history.js';
import { describeServedModels, type ServedIdentity, servedLabel } from '../../../records/profile.js';
import { freshServed } from '../diff/served-models.js';
import type { HistorySide } from './history-sides.js';

type Served = Pick<HistoryRun, 'configuredModel' | 'served' | 'dominantModel'>;

/** Cells per served model id, fingerprints summed, most cells first (ties by name). */
function cellsByModel(ids: readonly ServedIdentity[]): [string, number][] {
  const m = new Map<string, number>();
  for (const i of ids) m.set(i.model, (m.get(i.model) ?? 0) + i.cells);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** The served identities of a side's target, its configured wire model and the dominant served model id. */
export function servedOf(side: HistorySide): Served {
  const identities = side.table.servedIdentities();
  return {
    configuredModel: side.run.manifest?.models.find((m) => m.id === side.table.modelId)?.model ?? null,
    served: { identities, unrecorded: side.table.servedUnrecorded },
    dominantModel: cellsByModel(identities)[0]?.[0] ?? null,
  };
}

const cellsOf = (ids: readonly ServedIdentity[]): number => ids.reduce((n, i) => n + i.cells, 0);

/**
 * Between consecutive runs, as diff and gate see it (diff/served-models.ts freshServed): the newer run
 * was answered, wholly or partly, by a served identity that never answered the older one. `model` when
 * a new served model id appears, `fingerprint` (softer: a backend configuration change behind the same
 * model id) when only fingerprints are new. Null when unchanged or when either run recorded no served model.
 */
export function modelChange(a: Served & { runId: string }, b: Served & { runId: string }): ModelChange | null {
  const [older, newer] = [a.served.identities, b.served.identities];
  if (older.length === 0 || newer.length === 0) return null;
  const change = freshServed(older, newer);
  if (!change) return null;
  const partly = cellsOf(change.fresh) < cellsOf(newer) ? ` (partly: ${cellsOf(change.fresh)} of ${cellsOf(newer)} cells)` : '';
  if (!change.fingerprintOnly) {
    const renamed =
      a.configuredModel !== null && b.configuredModel !== null && a.configuredModel !== b.configuredModel
        ? ` (the configured model changed too: ${a.configuredModel} -> ${b.configuredModel})`
        : '';
    const from = cellsByModel(older)
      .map(([m]) => m)
      .join(', ');
    const to = [...new Set(change.fresh.map((i) => i.model))].join(', ');
    return {
      kind: 'model',
      from,
      to,
      message: `served model changed between ${a.runId} and ${b.runId}: ${from} -> ${to}${partly}${renamed}`,
    };
  }
  const from = older.map(servedLabel).join(', ');
  const to = change.fresh.map(servedLabel).join(', ');
  return {
    kind: 'fingerprint',
    from,
    to,
    message: `same served model between ${a.runId} and ${b.runId}, but a new system fingerprint answered${partly}: ${from} -> ${to} (a backend configuration change)`,
  };
}

/** A note for a run whose target was answered by several served models (or fingerprints), or with none recorded. */
export function servedNotes(run: Served & { runId: string; targetId: string }): string[] {
  const ids = run.served.identities;
  const models = cellsByModel(ids);
  const notes: string[] = [];
  if (models.length > 1)
    notes.push(
      `${run.runId}: ${run.targetId} was answered by ${models.length} served models (${describeServedModels(run.served)}); its figures mix them`,
    );
  else if (ids.length > 1)
    notes.push(`${run.runId}: ${run.targetId} was answered under ${ids.length} fingerprints (${describeServedModels(run.served)})`);
  if (ids.length === 0 && run.served.unrecorded > 0)
    notes.push(`${run.runId}: no served model was recorded for ${run.targetId}, so model changes around this run cannot be detected`);
  return notes;
}
