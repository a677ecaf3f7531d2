import path from 'node:path';
import { ResponseCache } from '../../calls/response-cache.js';
import type { RetryDeps, RetryPolicy } from '../../calls/retry.js';
import type { Scheduler } from '../../calls/scheduler.js';
import { type ModelSpec, ModelSpecSchema } from '../../config/model-schema.js';
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import { createModel } from '../../providers/registry.js';
import { loadTaxonomy, resolveTaxonomyPath, type Taxonomy } from '../../taxonomy/index.js';
import { contentHash } from '../../util/hash.js';
import type { Judge } from './judge.js';
import { batchedJudgeCalls, type JudgeBatchDeps } from './judge-batch.js';
import type { JudgeDefinition } from './llm/definition-schema.js';
import { createLlmJudge, type JudgeCache } from './llm/llm-judge.js';
import { loadJudgeDefinition } from './llm/load-definition.js';
import { type PlacementDeps, ValueMapper } from './value-mapper.js';

/** Every rater of a judging run plus what they share: consensus rule, taxonomy mapper, identity. */
export interface JudgePanel {
  judges: Judge[];
  /** Judge ids joined with '+', e.g. "default@1" or "default@1+default-openai@1". */
  id: string;
  /** What changes the judgments: each judge's hash, samples, quorum and the taxonomy mapping. */
  hash: string;
  models: string[];
  /** Resolved model specs of the LLM judges (for the self-judging warning). */
  specs: ModelSpec[];
  samples: number;
  quorum: number;
  taxonomy: Taxonomy;
  mapper: ValueMapper;
}

export interface PanelOptions {
  config: Config;
  /** Directory of the config file: judges/, cacheDir and taxonomy.path resolve against it. */
  dir: string;
  /** Judge names; defaults to config `judge.judges`. */
  names?: string[] | undefined;
  env: Record<string, string | undefined>;
  fetch: typeof globalThis.fetch;
  signal?: AbortSignal | undefined;
  scheduler: Scheduler;
  clock: Clock;
  random: () => number;
  /** Defaults to a ResponseCache in config.cacheDir; pass null to disable caching. */
  cache?: JudgeCache | null;
  /** Fixed container nonce source for tests that inspect prompts. */
  nonce?: () => string;
  taxonomy?: Taxonomy;
  /** Hears a judge-cache write failure (a warning: judging goes on without writing the cache). */
  onWarning?: (message: string) => void;
  /** Removes configured secrets from what the judge's cache stores. */
  scrub?: ((text: string) => string) | undefined;
  /** Batch mode (judge.mode batch): the judge models' calls go through their vendors' batch APIs. */
  batch?: JudgeBatchDeps | undefined;
}

/** The judge's model spec: the definition's model, then config `judge.model` fields on top. */
export function judgeModelSpec(def: JudgeDefinition, config: Config): ModelSpec {
  const override = Object.fromEntries(Object.entries(config.judge.model ?? {}).filter(([, v]) => v !== undefined));
  return ModelSpecSchema.parse({ id: `judge-${def.name}`, ...def.model, ...override });
}

export async function buildPanel(o: PanelOptions): Promise<JudgePanel> {
  const { config } = o;
  const taxonomy =
    o.taxonomy ??
    (await loadTaxonomy({
      path: config.taxonomy.path ? resolveTaxonomyPath(config.taxonomy.path, o.dir, o.env) : undefined,
      threshold: config.taxonomy.threshold,
    }));
  const cache = o.cache === null ? undefined : (o.cache ?? new ResponseCache(path.resolve(o.dir, config.cacheDir), o.onWarning, o.scrub));
  const retry: RetryDeps = {
    sleep: (ms, s) => o.clock.sleep(ms, s),
    timer: o.clock.timer?.bind(o.clock),
    random: o.random,
    signal: o.signal,
  };
  const names = o.names ?? config.judge.judges;
  const judges: Judge[] = [];
  const specs: ModelSpec[] = [];
  let placement: PlacementDeps | undefined;
  for (const name of names) {
    if (name === 'lexical') {
      judges.push(await lexicalJudge(taxonomy));
      continue;
    }
    const { definition } = await loadJudgeDefinition(name, o.dir);
    const spec = judgeModelSpec(definition, config);
    specs.push(spec);
    const model = createModel(spec, { env: o.env, fetch: o.fetch, cwd: o.dir });
    const lane = o.scheduler.lane(spec.id, { concurrency: spec.concurrency, rpm: spec.rpm, tpm: spec.tpm });
    const policy = judgePolicy(spec, config);
    const params = { temperature: spec.temperature, topP: spec.topP, maxTokens: spec.maxTokens };
    const calls = o.batch ? batchedJudgeCalls(spec, o, o.batch) : { model, lane, policy };
    judges.push(createLlmJudge(definition, { ...calls, params, retry, cache, ...(o.nonce ? { nonce: o.nonce } : {}) }));
    // Taxonomy placement asks one question at a time, as the mapping needs it: never batched.
    placement ??= { model, lane, policy, retry, cache, topK: config.taxonomy.topK };
  }
  const mapper = new ValueMapper(taxonomy, config.taxonomy.judgeAssisted ? placement : undefined);
  const samples = config.judge.samples;
  const quorum = config.judge.valueQuorum;
  const hash = contentHash({
    judges: judges.map((j) => j.hash),
    samples,
    quorum,
    taxonomy: { id: taxonomy.id, threshold: config.taxonomy.threshold, judgeAssisted: mapper.assisted, topK: config.taxonomy.topK },
  });
  return {
    judges,
    id: judges.map((j) => j.id).join('+'),
    hash,
    models: [...new Set(judges.flatMap((j) => j.models))],
    specs,
    samples,
    quorum,
    taxonomy,
    mapper,
  };
}

/** Loaded on first use: runs that only use LLM judges never load the lexical cue lists. */
async function lexicalJudge(taxonomy: Taxonomy): Promise<Judge> {
  const { createLexicalJudge } = await import('./lexical/index.js');
  return createLexicalJudge(taxonomy);
}

/** The judge model's retry policy: its own attempts and timeout, else the runner's. */
function judgePolicy(spec: { maxAttempts?: number | undefined; timeoutMs?: number | undefined }, config: Config): RetryPolicy {
  const { runner } = config;
  return {
    maxAttempts: spec.maxAttempts ?? runner.maxAttempts,
    baseMs: runner.backoff.baseMs,
    maxMs: runner.backoff.maxMs,
    timeoutMs: spec.timeoutMs ?? runner.timeoutMs,
    maxRetryAfterMs: runner.maxRetryAfterMs,
  };
}
