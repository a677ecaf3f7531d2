import { promises as fsp } from 'node:fs';
import { type CachedAnswer, cacheKeyOf, keyModelOf, ResponseCache, requestKeyParts } from '../../calls/response-cache.js';
import type { ModelSpec } from '../../config/model-schema.js';
import { InputError } from '../../core/errors.js';
import type { GenerateRequest } from '../../providers/language-model.js';
import type { Manifest } from '../../records/manifest.js';
import { runFile } from '../../records/run-files.js';
import { readManifest } from '../../records/run-store.js';
import { type Transcript, TranscriptSchema } from '../../records/transcript.js';
import { readJsonl } from '../../util/jsonl.js';
import { cacheValueOf } from './cell-transcript.js';
import type { PlannedCell } from './plan.js';

/** An earlier run's answers, served to a new run (`run --reuse-from RUN`) through the cache seam. */
export interface ReusedAnswers {
  /** The id of the run the answers come from. */
  runId: string;
  /** Read-only, in memory: request key -> answer (and the run that produced it). */
  cache: ResponseCache;
  /** How many of the cells to do have an answer in it (they make no HTTP call). */
  reused: number;
  /** How many are requested fresh. */
  fresh: number;
  /** Why some targets can reuse nothing, for the user (empty when nothing stands out). */
  notes: string[];
}

/**
 * Loads the successful answers of the run in `dir` keyed by request (the response cache's key:
 * provider, model, base URL, headers hash, request parameters, messages, system and sample), and counts which of
 * `cells` they answer. For a cell with several successful lines the last one wins. Only the
 * responses are kept in memory. Anything that is not a readable run directory is an InputError
 * (exit 2) naming the flag.
 */
export async function reuseAnswersFrom(
  dir: string,
  shown: string,
  o: { models: readonly ModelSpec[]; cells: readonly PlannedCell[] },
): Promise<ReusedAnswers> {
  const manifest = await readManifest(dir).catch((e: unknown) => {
    throw new InputError(`--reuse-from ${shown}: ${(e as Error).message}`, undefined, { cause: e });
  });
  const answers = await loadAnswers(dir, shown, manifest);
  const cache = ResponseCache.reusing(answers);
  const specs = new Map(o.models.map((m) => [m.id, m]));
  let reused = 0;
  for (const cell of o.cells) {
    const spec = specs.get(cell.modelId);
    if (spec && answers.has(cache.keyFor(requestKeyParts(keyModelOf(spec), cell.request, cell.sample)))) reused++;
  }
  return { runId: manifest.runId, cache, reused, fresh: o.cells.length - reused, notes: unmatchableHeaders(manifest, o.models) };
}

async function loadAnswers(dir: string, shown: string, manifest: Manifest): Promise<Map<string, CachedAnswer>> {
  const file = runFile(dir, 'transcripts');
  try {
    await fsp.access(file);
  } catch (e) {
    throw new InputError(`--reuse-from ${shown}: the run has no readable transcripts (${(e as Error).message})`, { file });
  }
  const models = new Map(manifest.models.map((m) => [m.id, m]));
  const answers = new Map<string, CachedAnswer>();
  try {
    for await (const { value: t } of readJsonl(file, TranscriptSchema)) {
      const m = models.get(t.modelId);
      if (!t.response || t.error !== null || !m) continue;
      const key = cacheKeyOf(requestKeyParts(m, requestOf(t.request, m.topP), t.sample));
      // The answer keeps naming the run that first produced it.
      answers.set(key, cacheValueOf(t, t.cachedFrom ?? manifest.runId));
    }
  } catch (e) {
    throw new InputError(`--reuse-from ${shown}: cannot read its transcripts: ${(e as Error).message}`, undefined, { cause: e });
  }
  return answers;
}

/** The request a transcript answered, as the run built it (topP is recorded in the manifest only). */
function requestOf(r: Transcript['request'], topP: number | undefined): Omit<GenerateRequest, 'signal'> {
  return {
    ...(r.system !== undefined ? { system: r.system } : {}),
    messages: r.messages,
    ...(r.temperature !== undefined ? { temperature: r.temperature } : {}),
    ...(topP !== undefined ? { topP } : {}),
    maxTokens: r.maxTokens,
  };
}

/**
 * Targets that now send extra HTTP headers, from a run written before valuescope recorded headers (no
 * headerNames in its manifest): its answers are keyed without headers, so none can match. Said
 * rather than left as an unexplained "0 reused".
 */
function unmatchableHeaders(manifest: Manifest, models: readonly ModelSpec[]): string[] {
  const old = new Set(manifest.models.filter((m) => m.headerNames === undefined).map((m) => m.id));
  return models
    .filter((m) => old.has(m.id) && Object.keys(m.headers ?? {}).length > 0)
    .map(
      (m) =>
        `${m.id}: run ${manifest.runId} was written before valuescope recorded HTTP headers, and this target sends headers, so none of its answers can be matched (requested fresh)`,
    );
}
