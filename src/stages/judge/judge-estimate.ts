import { estimateInputTokens, TYPICAL_OUTPUT_SHARE } from '../../calls/estimate.js';
import { type Price, priceUsage } from '../../config/model-schema.js';
import type { Config } from '../../config/schema.js';
import type { Transcript } from '../../records/transcript.js';
import type { JudgeDefinition } from './llm/definition-schema.js';
import { loadJudgeDefinition } from './llm/load-definition.js';
import { judgeOutputJsonSchema } from './llm/output-schema.js';
import { buildJudgePrompt } from './llm/prompt.js';
import { judgeModelSpec } from './panel.js';

/**
 * The smallest prompt prefix the providers cache (Anthropic: 1,024 tokens on most models, more on
 * some; OpenAI: 1,024): a shorter prefix is sent in full every time.
 */
export const MIN_CACHED_PREFIX_TOKENS = 1024;

/** A cell as the judge will see it: the request, and the model's maxTokens (the typical answer is a share of it). */
export interface CellToJudge {
  request: Pick<Transcript['request'], 'system' | 'messages'>;
  maxTokens: number;
}

/**
 * USD typical / max, at the plain input price and with the judge's static prompt prefix cached (both
 * at the batch price in batch mode), and prompt-cached through a batch API whatever the mode.
 */
interface JudgeCost {
  plain: { typical: number; max: number };
  cached: { typical: number; max: number };
  cachedBatch: { typical: number; max: number };
}

export interface JudgeEstimate {
  /** "default@1", or "lexical". */
  judge: string;
  /** provider:model, or "builtin:lexical". */
  model: string;
  /** The wire model name priced in `prices:`; null for the lexical judge (no model, $0). */
  wireModel: string | null;
  calls: number;
  inputTokens: number;
  /** Tokens of the static prefix of every call (system prompt with the rubric, and the output schema). */
  prefixTokens: number;
  outputTokensTypical: number;
  outputTokensMax: number;
  /** Calls at once: each of the first wave writes the prefix to the cache before any can read it. */
  slots: number;
  /** undefined when `prices:` has no price for the wire model. */
  cost: JudgeCost | undefined;
}

/**
 * What judging `cells` would cost with each configured judge: calls = cells x judge.samples (the
 * lexical judge calls nothing), input from the judge's real prompt built around each cell's request
 * and a typical answer (TYPICAL_OUTPUT_SHARE of the model's maxTokens), output a share of the
 * judge's maxTokens (typical) or all of it (max). `batch`: judge.mode batch, at the batch price.
 */
export async function estimateJudges(o: {
  config: Config;
  dir: string;
  cells: readonly CellToJudge[];
  batch: boolean;
}): Promise<JudgeEstimate[]> {
  const out: JudgeEstimate[] = [];
  for (const name of o.config.judge.judges) {
    if (name === 'lexical') {
      out.push({ ...LEXICAL, calls: 0 });
      continue;
    }
    const { definition } = await loadJudgeDefinition(name, o.dir);
    out.push(estimateJudge(definition, o));
  }
  return out;
}

const LEXICAL: Omit<JudgeEstimate, 'calls'> = {
  judge: 'lexical',
  model: 'builtin:lexical',
  wireModel: null,
  inputTokens: 0,
  prefixTokens: 0,
  outputTokensTypical: 0,
  outputTokensMax: 0,
  slots: 0,
  cost: { plain: { typical: 0, max: 0 }, cached: { typical: 0, max: 0 }, cachedBatch: { typical: 0, max: 0 } },
};

function estimateJudge(def: JudgeDefinition, o: { config: Config; cells: readonly CellToJudge[]; batch: boolean }): JudgeEstimate {
  const spec = judgeModelSpec(def, o.config);
  const samples = o.config.judge.samples;
  const schemaTokens = Math.ceil(JSON.stringify(judgeOutputJsonSchema()).length / 4);
  const nonce = (): string => '0123456789abcdef01234567';
  // The system prompt does not depend on the cell: the same prefix leads every call.
  const { system } = buildJudgePrompt(def, { request: { messages: [], maxTokens: 0 }, response: answerOf('') }, nonce);
  const prefixTokens = estimateInputTokens({ system, messages: [] }) + schemaTokens;
  let inputTokens = 0;
  for (const c of o.cells) {
    const answer = 'x'.repeat(Math.round(c.maxTokens * TYPICAL_OUTPUT_SHARE * 4));
    const prompt = buildJudgePrompt(def, { request: { ...c.request, maxTokens: c.maxTokens }, response: answerOf(answer) }, nonce);
    inputTokens += samples * (estimateInputTokens({ system, messages: [{ role: 'user', content: prompt.user }] }) + schemaTokens);
  }
  const calls = o.cells.length * samples;
  const est: JudgeEstimate = {
    judge: `${def.name}@${def.version}`,
    model: `${spec.provider}:${spec.model}`,
    wireModel: spec.model,
    calls,
    inputTokens,
    prefixTokens,
    outputTokensTypical: Math.round(calls * spec.maxTokens * TYPICAL_OUTPUT_SHARE),
    outputTokensMax: calls * spec.maxTokens,
    slots: Math.min(calls, spec.concurrency),
    cost: undefined,
  };
  const price = o.config.prices[spec.model];
  return price ? { ...est, cost: judgeCost(est, price, o.batch) } : est;
}

function answerOf(text: string): NonNullable<Transcript['response']> {
  return { text, finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }, latencyMs: 0 };
}

/**
 * Plain: every input token at the input price. Cached: the first call of each concurrent slot writes
 * the static prefix (cacheWrite price), every later call reads it (cachedInput price), assuming the
 * calls keep coming within the provider's cache lifetime (Anthropic: 5 minutes, renewed by each
 * read) and the prefix is long enough to be cached at all.
 */
function judgeCost(e: Omit<JudgeEstimate, 'cost'>, price: Price, batch: boolean): JudgeCost {
  const cacheable = e.prefixTokens >= MIN_CACHED_PREFIX_TOKENS;
  const writes = cacheable ? e.slots * e.prefixTokens : 0;
  const reads = cacheable ? Math.max(0, e.calls - e.slots) * e.prefixTokens : 0;
  const both = (cachedInputTokens: number, cacheWriteInputTokens: number, batched: boolean) => {
    const cost = (outputTokens: number): number => {
      const counts = { inputTokens: e.inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens };
      return priceUsage(batched ? { ...counts, batched: counts } : counts, price);
    };
    return { typical: cost(e.outputTokensTypical), max: cost(e.outputTokensMax) };
  };
  return { plain: both(0, 0, batch), cached: both(reads, writes, batch), cachedBatch: both(reads, writes, true) };
}
