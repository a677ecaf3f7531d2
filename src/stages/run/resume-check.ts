import type { ModelSpec } from '../../config/model-schema.js';
import { ConfigError, type SourceLocation } from '../../core/errors.js';
import type { Manifest } from '../../records/manifest.js';
import type { Scenario } from '../../scenarios/schema.js';
import { redactUrl } from '../../util/redact-url.js';

/** Fields that change what a model answers. Everything else (concurrency, rpm, tpm, timeouts, attempts, headers, keys, judge, prices...) may change between a run and its resume. */
const ANSWER_FIELDS = ['provider', 'model', 'baseURL', 'temperature', 'topP', 'maxTokens'] as const;

/** The manifest's view of a model: resolved parameters, never keys. */
export function manifestModelOf(spec: ModelSpec): Manifest['models'][number] {
  const baseURL = redactUrl(spec.baseURL);
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
  };
}

/**
 * Resuming must not mix answers produced under different conditions. Equal config and suite
 * hashes pass at once. Otherwise the run may still resume when every model of the run has the same
 * answer-relevant parameters and every scenario of the run is unchanged (others may be added or
 * edited); anything else is a ConfigError saying what changed.
 */
export function checkResumable(
  manifest: Manifest,
  current: { configHash: string; configFile: string; models: readonly ModelSpec[]; suiteHash: string; scenarios: readonly Scenario[] },
): { specs: ModelSpec[]; scenarios: Scenario[]; notes: string[] } {
  const problems: (SourceLocation & { message: string })[] = [];
  const fix = 'restore it, or start a new run (drop --resume) so results stay comparable';
  const specs: ModelSpec[] = [];
  for (const m of manifest.models) {
    const spec = current.models.find((s) => s.id === m.id);
    if (!spec) {
      problems.push({
        file: current.configFile,
        path: 'models',
        message: `model '${m.id}' of this run is no longer in the config: ${fix}`,
      });
      continue;
    }
    specs.push(spec);
    const now = manifestModelOf(spec);
    for (const f of ANSWER_FIELDS) {
      if (now[f] !== m[f]) {
        problems.push({
          file: current.configFile,
          path: `models[${m.id}].${f}`,
          message: `was ${JSON.stringify(m[f]) ?? 'unset'} when the run started, is now ${JSON.stringify(now[f]) ?? 'unset'}: ${fix}`,
        });
      }
    }
  }
  const byId = new Map(current.scenarios.map((s) => [s.id, s]));
  const scenarios: Scenario[] = [];
  for (const [id, hash] of Object.entries(manifest.scenarios)) {
    const s = byId.get(id);
    if (!s) problems.push({ file: 'scenarios', path: id, message: `scenario '${id}' of this run is missing from the suite: ${fix}` });
    else if (s.hash !== hash) problems.push({ file: s.file, path: id, message: `scenario '${id}' changed since the run started: ${fix}` });
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
  const notes: string[] = [];
  if (current.configHash !== manifest.configHash)
    notes.push(
      'config changed since the run started, only in settings that do not change answers (limits, timeouts, retries, judge, prices)',
    );
  if (current.suiteHash !== manifest.suiteHash) notes.push("suite changed since the run started, but none of this run's scenarios did");
  return { specs, scenarios, notes };
}
