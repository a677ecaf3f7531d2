import { type GateRuleResult, twoStateRuleResult } from '../../../records/diff.js';
import { describeServedModels, type ServedIdentity, servedLabel } from '../../../records/profile.js';
import type { Side } from './pair-sides.js';

type Which = 'base' | 'candidate';

/** The model name a side's configured model sent on the wire (manifest.json), else its model id. */
function configuredName(side: Side): string {
  return side.run.manifest?.models.find((m) => m.id === side.table.modelId)?.model ?? side.table.modelId;
}

const sameIdentity = (a: ServedIdentity, b: ServedIdentity) => a.model === b.model && a.fingerprint === b.fingerprint;

/** A side whose answers came from more than one served model or fingerprint. */
function mixWarning(which: Which, side: Side): string[] {
  const ids = side.table.servedIdentities();
  if (ids.length < 2) return [];
  const what = new Set(ids.map((i) => i.model)).size > 1 ? 'served models' : 'fingerprints of the served model';
  return [
    `served model mix on the ${which} side (${side.spec.spec}): the API reported ${ids.length} different ${what} behind ` +
      `${configuredName(side)} (${describeServedModels({ identities: ids, unrecorded: side.table.servedUnrecorded })}); ` +
      'the answers may not come from one model, so differences may come from the mix',
  ];
}

/**
 * Base and candidate share a configured model name and both record served identities, and the candidate
 * was answered (wholly or partly) by an identity that never answered the base: the provider answered the
 * same name with a different model (or backend fingerprint). A partial swap counts: 999 of 1,000 cells
 * from a new model are not made comparable by one cell from the old one. Null otherwise.
 */
interface ServedModelChange {
  configured: string;
  base: ServedIdentity[];
  cand: ServedIdentity[];
  /** The candidate's identities the base never had. */
  fresh: ServedIdentity[];
  /** True when only the fingerprints differ (same served model ids). */
  fingerprintOnly: boolean;
  message: string;
}

const cellsOf = (ids: ServedIdentity[]): number => ids.reduce((n, i) => n + i.cells, 0);

/**
 * The identities of the newer side that never answered the older one (a partial swap counts), and
 * whether they differ only in fingerprint; null when every newer identity also answered the older
 * side. Shared by diff/gate (here) and history, so both call the same change a change.
 */
export function freshServed(
  older: readonly ServedIdentity[],
  newer: readonly ServedIdentity[],
): { fresh: ServedIdentity[]; fingerprintOnly: boolean } | null {
  const fresh = newer.filter((y) => !older.some((x) => sameIdentity(x, y)));
  if (fresh.length === 0) return null;
  const olderModels = new Set(older.map((i) => i.model));
  return { fresh, fingerprintOnly: fresh.every((i) => olderModels.has(i.model)) };
}

function servedModelChange(base: Side, cand: Side): ServedModelChange | null {
  const configured = configuredName(base);
  if (configured !== configuredName(cand)) return null;
  const a = base.table.servedIdentities();
  const b = cand.table.servedIdentities();
  if (a.length === 0 || b.length === 0) return null;
  const change = freshServed(a, b);
  if (!change) return null;
  const { fresh, fingerprintOnly } = change;
  const list = (ids: ServedIdentity[]) => ids.map(servedLabel).join(', ');
  const what = fingerprintOnly
    ? 'the same served model with a different system fingerprint (backend configuration)'
    : 'a different served model';
  const partly = fresh.length < b.length ? `partly (${cellsOf(fresh)} of ${cellsOf(b)} cells) ` : '';
  const message =
    `served model changed behind ${configured}: the base (${base.spec.spec}) was answered by ${list(a)}, ` +
    `the candidate (${cand.spec.spec}) by ${list(b)}: ${partly}${what}; differences may come from the provider's change, not yours`;
  return { configured, base: a, cand: b, fresh, fingerprintOnly, message };
}

/** The warnings diff and gate add: a side mixing served identities, and a served model change behind a shared name. */
export function servedModelWarnings(base: Side, cand: Side): string[] {
  const change = servedModelChange(base, cand);
  return [...mixWarning('base', base), ...mixWarning('candidate', cand), ...(change ? [change.message] : [])];
}

/**
 * `gate.onServedModelChange: fail`: one rule-like entry, "served model unchanged (NAME)", failing when
 * base and candidate share a configured model name but no served identity (its hits: the candidate's
 * identities). It passes when they share one. No entry with `warn`, for differently named models, or
 * when a side records no served identity (runs written before it was recorded): then only warnings.
 */
export function servedModelRule(base: Side, cand: Side, onChange: 'warn' | 'fail'): GateRuleResult[] {
  const configured = configuredName(base);
  if (onChange !== 'fail' || configured !== configuredName(cand)) return [];
  if (base.table.served.size === 0 || cand.table.served.size === 0) return [];
  const change = servedModelChange(base, cand);
  const shared = change ? [] : cand.table.servedIdentities().filter((x) => base.table.servedIdentities().some((y) => sameIdentity(x, y)));
  return [
    twoStateRuleResult({
      name: `served model unchanged (${configured})`,
      kind: 'served_model',
      domain: null,
      failed: change !== null,
      message: change
        ? `${change.message} (gate.onServedModelChange: fail)`
        : `every served model of the candidate also answered the base: ${shared.map(servedLabel).join(', ')}`,
      hits: change ? change.fresh.map((i) => ({ value: servedLabel(i), cells: i.cells, cellIds: [] })) : [],
    }),
  ];
}
