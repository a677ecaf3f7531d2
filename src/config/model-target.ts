import { sha256 } from '../util/hash.js';
import type { ModelSpec } from './model-schema.js';
import type { SystemCombine } from './variant-schema.js';

/**
 * What a run asks: one model spec with its resolved system prompt. A config entry without variants is
 * one target (id = the entry id); an entry with variants gives one target per variant, `entry@variant`.
 * The extra fields are absent when unset, so a plain entry's target is the entry itself (and configs
 * without system prompts or variants keep their config hash).
 */
export type ModelTarget = ModelSpec & {
  /** The resolved system prompt (from `system` or the text of `systemFile`). */
  system?: string | undefined;
  /** As configured; absent means prepend. */
  systemCombine?: SystemCombine | undefined;
  /** For a variant: the entry id and the variant name (`id` is `entry@variant`). */
  entry?: string | undefined;
  variant?: string | undefined;
};

/**
 * The system prompt a cell sends: the scenario's alone when the target has none; otherwise the
 * target's, followed by a blank line and the scenario's (prepend), or the target's alone (replace,
 * and refuse, whose conflicts `refusedScenario` reports before any cell is planned).
 */
export function combineSystem(target: ModelTarget, scenarioSystem: string | undefined): string | undefined {
  if (target.system === undefined) return scenarioSystem;
  if (scenarioSystem === undefined || (target.systemCombine ?? 'prepend') !== 'prepend') return target.system;
  return `${target.system}\n\n${scenarioSystem}`;
}

/** True when the target refuses scenarios with their own system prompt and this scenario has one. */
export function refusesScenario(target: ModelTarget, scenarioSystem: string | undefined): boolean {
  return target.system !== undefined && target.systemCombine === 'refuse' && scenarioSystem !== undefined;
}

/** sha256 of the resolved system prompt, when the target has one. */
export function systemHashOf(target: Pick<ModelTarget, 'system'>): string | undefined {
  return target.system === undefined ? undefined : sha256(target.system);
}

/** Header names, lower-cased and sorted; empty when there are none. Values are never shown. */
export function headerNamesOf(headers: Readonly<Record<string, string>> | undefined): string[] {
  return Object.keys(headers ?? {})
    .map((n) => n.toLowerCase())
    .sort();
}

/** Name parts that mark a credential header on their own (`Authorization`, `Helicone-Auth`, `X-Auth-Token`, `Cookie`). */
const CREDENTIAL_PARTS = new Set(['authorization', 'auth', 'token', 'secret', 'password', 'passwd', 'cookie', 'credential', 'credentials']);
/** Key-like endings that are credentials (`X-Api-Key`, `X-Portkey-Virtual-Key`), unlike a routing `X-Portkey-Provider` or a `Cf-Aig-Cache-Key`. */
const CREDENTIAL_KEY = /(^|[-_])(api[-_]?key|access[-_]?key|secret[-_]?key|private[-_]?key|virtual[-_]?key|subscription[-_]?key)$/i;

/**
 * Whether a header carries a credential, judged by its name as whole parts (so `x-portkey-provider`,
 * which routes to another model, is not one). Credentials do not change answers, an unsalted hash of
 * one on disk could confirm a guessed key, and a rotated key must neither block a resume nor empty the
 * cache: they count by name only, and their values are scrubbed from every byte written.
 */
export function isCredentialHeader(name: string): boolean {
  return (
    name
      .toLowerCase()
      .split(/[-_]/)
      .some((part) => CREDENTIAL_PARTS.has(part)) || CREDENTIAL_KEY.test(name)
  );
}

/**
 * sha256 of the sorted `name:value` lines (names lower-cased) of the effective HTTP headers, or
 * undefined when there are none: what the cache key and the manifest record instead of header values.
 * A credential header counts by its name only (isCredentialHeader).
 */
export function headersHashOf(headers: Readonly<Record<string, string>> | undefined): string | undefined {
  const pairs = Object.entries(headers ?? {}).map(([n, v]) =>
    isCredentialHeader(n) ? `${n.toLowerCase()}:<credential>` : `${n.toLowerCase()}:${v}`,
  );
  return pairs.length === 0 ? undefined : sha256(pairs.sort().join('\n'));
}

/** One line that tells targets apart: the system prompt's first line (shortened) and hash, or "no system prompt". */
export function systemSummary(target: ModelTarget): string {
  if (target.system === undefined) return 'no system prompt';
  const first = target.system.trim().split('\n')[0] ?? '';
  const shown = first.length > 60 ? `${first.slice(0, 57)}...` : first;
  return `system ${JSON.stringify(shown)} (sha256 ${systemHashOf(target)!.slice(0, 12)}, ${target.systemCombine ?? 'prepend'})`;
}

/** Index of a target's entry under `models:` (every entry gives at least one target, in order); -1 when unknown. */
export function entryIndexOf(targets: readonly ModelTarget[], id: string): number {
  const entries: string[] = [];
  for (const t of targets) {
    const entry = t.entry ?? t.id;
    if (entries.at(-1) !== entry) entries.push(entry);
    if (t.id === id) return entries.length - 1;
  }
  return -1;
}

/**
 * The config field path of a target's field, for located messages: `models[i].variants.NAME.field`
 * for a variant (YamlSource.locate falls back to the variant when the field is inherited from the
 * entry), `models[i].field` otherwise.
 */
export function targetFieldPath(targets: readonly ModelTarget[], id: string, field: string): PropertyKey[] {
  const i = entryIndexOf(targets, id);
  if (i === -1) return ['models'];
  const variant = targets.find((t) => t.id === id)?.variant;
  return variant !== undefined ? ['models', i, 'variants', variant, field] : ['models', i, field];
}
