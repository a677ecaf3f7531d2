import type { Manifest } from '../../../records/manifest.js';
import type { Side } from './pair-sides.js';

type ModelEntry = Manifest['models'][number];

/** Manifest fields that change what a target answers (stages/run/resume-check.ts refuses the same on resume). */
const ANSWER_SETTINGS = ['model', 'baseURL', 'temperature', 'topP', 'maxTokens', 'systemHash', 'systemCombine', 'headersHash'] as const;

function entryOf(side: Side): ModelEntry | undefined {
  return side.run.manifest?.models.find((m) => m.id === side.table.modelId);
}

function change(field: (typeof ANSWER_SETTINGS)[number], a: ModelEntry, b: ModelEntry): string {
  if (field === 'systemHash') {
    const h = (x: string | undefined) => (x === undefined ? 'none' : `sha256 ${x.slice(0, 12)}`);
    return `system prompt ${h(a.systemHash)} -> ${h(b.systemHash)}`;
  }
  if (field === 'headersHash')
    return `HTTP headers (${(a.headerNames ?? []).join(', ') || 'none'} -> ${(b.headerNames ?? []).join(', ') || 'none'})`;
  const show = (v: unknown) => (v === undefined ? 'unset' : JSON.stringify(v));
  return `${field} ${show(a[field])} -> ${show(b[field])}`;
}

/**
 * One target id on both sides (two runs of "the same" target) whose recorded answer settings differ:
 * a new system prompt, temperature or wire model is a change the team made, and the diff would
 * otherwise read as the model's. Two different targets (e.g. two variants) differ on purpose: no
 * warning. Headers are compared only when both runs recorded them (older manifests did not).
 */
export function settingChangeWarnings(base: Side, cand: Side, o: { acrossTargets?: boolean } = {}): string[] {
  // A history follows one target even when it was renamed (e.g. assistant@prompt-v1 -> @prompt-v2).
  if (base.table.modelId !== cand.table.modelId && o.acrossTargets !== true) return [];
  const [a, b] = [entryOf(base), entryOf(cand)];
  if (!a || !b) return [];
  const headersKnown = a.headerNames !== undefined && b.headerNames !== undefined;
  const changed = ANSWER_SETTINGS.filter((f) => a[f] !== b[f] && (f !== 'headersHash' || headersKnown));
  if (changed.length === 0) return [];
  return [
    `${a.id === b.id ? a.id : `${a.id} -> ${b.id}`}: its answer settings differ between the sides (${changed.map((f) => change(f, a, b)).join('; ')}): ` +
      'differences may come from these settings, not from the model',
  ];
}
