import { headerNamesOf, headersHashOf, type ModelTarget, systemHashOf, targetFieldPath } from '../../config/model-target.js';
import { ConfigError, type SourceLocation } from '../../core/errors.js';
import type { Manifest } from '../../records/manifest.js';
import type { Scenario } from '../../scenarios/schema.js';
import { redactUrl } from '../../util/redact-url.js';

/**
 * Fields that change what a model answers. Everything else (concurrency, rpm, tpm, timeouts, attempts,
 * keys, judge, prices...) may change between a run and its resume. A field absent from an older
 * manifest counts as unset.
 */
const ANSWER_FIELDS = [
  'provider',
  'model',
  'baseURL',
  'temperature',
  'topP',
  'maxTokens',
  'systemHash',
  'systemCombine',
  'headersHash',
] as const;

/** Where a changed field is set in config.yaml (the manifest's hashes stand for these fields). */
const CONFIG_FIELD: Partial<Record<(typeof ANSWER_FIELDS)[number], string>> = {
  systemHash: 'system',
  headersHash: 'headers',
};

/** The manifest's view of a target: resolved parameters and hashes of the system prompt and headers, never keys or header values. */
export function manifestModelOf(spec: ModelTarget): Manifest['models'][number] {
  const baseURL = redactUrl(spec.baseURL);
  const systemHash = systemHashOf(spec);
  const headersHash = headersHashOf(spec.headers);
  return {
    id: spec.id,
    provider: spec.provider,
    model: spec.model,
    ...(baseURL !== undefined ? { baseURL } : {}),
    ...(spec.temperature !== undefined ? { temperature: spec.temperature } : {}),
    ...(spec.topP !== undefined ? { topP: spec.topP } : {}),
    maxTokens: spec.maxTokens,
    concurrency: spec.concurrency,
    ...(spec.rpm !== undefined ? { rpm: spec.rpm } : {}),
    ...(spec.tpm !== undefined ? { tpm: spec.tpm } : {}),
    ...(spec.entry !== undefined && spec.variant !== undefined ? { entry: spec.entry, variant: spec.variant } : {}),
    ...(systemHash !== undefined ? { systemHash, systemCombine: spec.systemCombine ?? 'prepend' } : {}),
    // headerNames is always written (empty without headers) so a resume can tell "no headers" from a
    // manifest written before headers were recorded.
    headerNames: headerNamesOf(spec.headers),
    ...(headersHash !== undefined ? { headersHash } : {}),
  };
}

type Problems = (SourceLocation & { message: string })[];
const FIX = 'restore it, or start a new run (drop --resume) so results stay comparable';

interface CurrentSetup {
  configHash: string;
  configFile: string;
  models: readonly ModelTarget[];
  suiteHash: string;
  scenarios: readonly Scenario[];
  /** Line and column of a config field, when the config's source is at hand. */
  locate?: (fieldPath: readonly PropertyKey[]) => SourceLocation;
}

/**
 * Resuming must not mix answers produced under different conditions. Equal config and suite
 * hashes pass at once. Otherwise the run may still resume when every model of the run has the same
 * answer-relevant parameters and every scenario of the run is unchanged (others may be added or
 * edited); anything else is a ConfigError saying what changed.
 */
export function checkResumable(
  manifest: Manifest,
  current: CurrentSetup,
): { specs: ModelTarget[]; scenarios: Scenario[]; notes: string[] } {
  const problems: Problems = [];
  const notes: string[] = [];
  const specs = comparableTargets(manifest, current, problems, notes);
  const byId = new Map(current.scenarios.map((s) => [s.id, s]));
  const scenarios: Scenario[] = [];
  for (const [id, hash] of Object.entries(manifest.scenarios)) {
    const s = byId.get(id);
    if (!s) problems.push({ file: 'scenarios', path: id, message: `scenario '${id}' of this run is missing from the suite: ${FIX}` });
    else if (s.hash !== hash) problems.push({ file: s.file, path: id, message: `scenario '${id}' changed since the run started: ${FIX}` });
    else scenarios.push(s);
  }
  const { shard } = manifest;
  if (shard && shard.index > shard.count) {
    problems.push({
      file: 'manifest',
      path: 'shard',
      message: `shard ${shard.index}/${shard.count} is not one of the ${shard.count} parts: the manifest was edited; restore it from a copy`,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems, `cannot resume ${manifest.runId}: answers would not be comparable`);
  if (current.configHash !== manifest.configHash)
    notes.push(
      'config changed since the run started, only in settings that do not change answers (limits, timeouts, retries, judge, prices)',
    );
  if (current.suiteHash !== manifest.suiteHash) notes.push("suite changed since the run started, but none of this run's scenarios did");
  return { specs, scenarios, notes };
}

/** The run's targets in the current config; a missing target or a changed answer-relevant field is a problem. */
function comparableTargets(manifest: Manifest, current: CurrentSetup, problems: Problems, notes: string[]): ModelTarget[] {
  const specs: ModelTarget[] = [];
  for (const m of manifest.models) {
    const spec = current.models.find((s) => s.id === m.id);
    if (!spec) {
      problems.push({
        file: current.configFile,
        path: 'models',
        message: `model '${m.id}' of this run is no longer in the config: ${FIX}`,
      });
      continue;
    }
    specs.push(spec);
    const now = manifestModelOf(spec);
    // Runs started before headers were recorded (no headerNames) resume as they always did: unchecked.
    const unrecorded = m.headerNames === undefined && now.headersHash !== undefined;
    if (unrecorded)
      notes.push(`${m.id}: the run started before valuescope recorded HTTP headers, so a change of headers cannot be checked`);
    for (const f of ANSWER_FIELDS) {
      if (now[f] === m[f] || (f === 'headersHash' && unrecorded)) continue;
      const at = current.locate?.(targetFieldPath(current.models, m.id, CONFIG_FIELD[f] ?? f));
      problems.push({
        file: current.configFile,
        ...(at ? { ...at, file: current.configFile } : {}),
        path: `models[${m.id}].${f}`,
        message: `${changeOf(f, m[f], now[f])}: ${FIX}`,
      });
    }
  }
  return specs;
}

/** "was X when the run started, is now Y", saying what a hash stands for (the prompt text itself is not in the manifest). */
function changeOf(field: (typeof ANSWER_FIELDS)[number], was: unknown, now: unknown): string {
  const show = (v: unknown): string => {
    if (v === undefined) return 'unset';
    return field === 'systemHash' || field === 'headersHash' ? `sha256 ${String(v).slice(0, 12)}` : JSON.stringify(v);
  };
  const what = field === 'systemHash' ? 'the system prompt ' : field === 'headersHash' ? 'the extra HTTP headers ' : '';
  return `${what}${field === 'headersHash' ? 'were' : 'was'} ${show(was)} when the run started, ${field === 'headersHash' ? 'are' : 'is'} now ${show(now)}`;
}
