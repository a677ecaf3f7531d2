import { randomBytes } from 'node:crypto';
import type { RetryDeps, RetryPolicy } from '../../../calls/retry.js';
import type { ModelLane } from '../../../calls/scheduler.js';
import type { LanguageModel } from '../../../providers/language-model.js';
import type { Transcript } from '../../../records/transcript.js';
import { contentHash } from '../../../util/hash.js';
import type { Judge, JudgeCallOptions, JudgeCallResult } from '../judge.js';
import { askJudge, type LlmJudgeSetup } from './ask-judge.js';
import type { JudgeDefinition } from './definition-schema.js';
import { conversationOf } from './embed-transcript.js';
import { JUDGE_OUTPUT_NAME, judgeOutputJsonSchema } from './output-schema.js';
import { ZERO_USAGE } from './usage.js';

/** The subset of ResponseCache a judge needs (structural, so tests can pass a real cache on a temp dir). */
export interface JudgeCache {
  keyFor(parts: unknown): string;
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
}

export interface LlmJudgeDeps {
  model: LanguageModel;
  /** What changes answers besides the definition: sent on the wire and hashed. */
  params: { temperature?: number | undefined; topP?: number | undefined; maxTokens: number };
  lane: ModelLane;
  policy: RetryPolicy;
  retry: RetryDeps;
  cache?: JudgeCache | undefined;
  /** Per-call container nonce; random by default, fixed in tests that inspect prompts. */
  nonce?: () => string;
}

function judgeHashOf(def: JudgeDefinition, model: { provider: string; model: string }, params: LlmJudgeDeps['params']): string {
  const { description: _d, ...meaning } = def;
  return contentHash({
    definition: { ...meaning, model: undefined },
    model: { provider: model.provider, model: model.model, ...params },
    schema: judgeOutputJsonSchema(),
  });
}

/**
 * A judge backed by a language model. Output is requested as structured JSON, validated against
 * the fixed schema, repaired once with the validation error quoted, then given up on with
 * JudgeOutputError (carrying the raw text). Provider failures surface as ProviderError after the
 * retry layer. Successful answers are cached by judge hash, transcript content and sample.
 */
export function createLlmJudge(def: JudgeDefinition, deps: LlmJudgeDeps): Judge {
  const { model, params } = deps;
  const hash = judgeHashOf(def, { provider: model.provider, model: model.modelId }, params);
  const setup: LlmJudgeSetup = {
    def,
    hash,
    deps,
    nonce: deps.nonce ?? (() => randomBytes(12).toString('hex')),
    structured: { name: JUDGE_OUTPUT_NAME, description: 'Record the judgment of the transcript.', schema: judgeOutputJsonSchema() },
  };
  return {
    id: `${def.name}@${def.version}`,
    hash,
    models: [`${model.provider}:${model.modelId}`],
    judge: (transcript, options) => judgeCached(setup, hash, transcript, options),
  };
}

async function judgeCached(
  setup: LlmJudgeSetup,
  hash: string,
  transcript: Transcript,
  options: JudgeCallOptions,
): Promise<JudgeCallResult> {
  const { cache } = setup.deps;
  const key = cache?.keyFor({ kind: 'judge', judgeHash: hash, conversation: conversationOf(transcript), sample: options.sample });
  if (cache && key !== undefined) {
    const hit = await cache.get<JudgeCallResult>(key);
    // A cached answer cost nothing this time.
    if (hit) return { ...hit, usage: ZERO_USAGE };
  }
  const result = await askJudge(setup, transcript, options);
  if (cache && key !== undefined) await cache.put(key, result);
  return result;
}
