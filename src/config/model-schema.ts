import { z } from 'zod';
import { MAX_TIMER_MS } from './runner-schema.js';
import { didYouMean } from './suggest.js';

/**
 * The provider adapters that exist (a closed set; `providers/registry.ts` builds one per name, and a
 * test keeps the two lists equal). Adding a provider: see docs/architecture.md.
 */
export const PROVIDERS: readonly string[] = ['anthropic', 'openai', 'replay'];

/** USD per million tokens. */
export const PriceSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  /** Prompt-cache reads; default: the input price. */
  cachedInput: z.number().nonnegative().optional(),
  /** Prompt-cache writes (Anthropic: 1.25 x input for the 5-minute cache); default: the input price. */
  cacheWrite: z.number().nonnegative().optional(),
  /** Multiplier for tokens sent through a batch API (both vendors: 0.5); default 0.5. */
  batch: z.number().min(0).max(1).optional(),
});
export type Price = z.infer<typeof PriceSchema>;

/** Token counts as usage records hold them (records/transcript.ts UsageSchema). */
interface Counts {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number | undefined;
  cacheWriteInputTokens?: number | undefined;
}

/** The batch API discount both vendors give (50%), unless the config's price says otherwise. */
const DEFAULT_BATCH_MULTIPLIER = 0.5;

/**
 * USD for tokens at a config price: the one formula the dry-run estimate, the progress display, the
 * budget (--max-cost), the manifest and the reports share. Cache reads cost `cachedInput`, cache
 * writes `cacheWrite` (each defaulting to the input price), and the `batched` part of the usage is
 * multiplied by `price.batch` (default 0.5).
 */
export function priceUsage(u: Counts & { batched?: Counts | undefined }, price: Price): number {
  const all = priceCounts(u, price);
  if (!u.batched) return all;
  const b = priceCounts(u.batched, price);
  return all - b + b * (price.batch ?? DEFAULT_BATCH_MULTIPLIER);
}

function priceCounts(t: Counts, price: Price): number {
  const read = t.cachedInputTokens ?? 0;
  const write = t.cacheWriteInputTokens ?? 0;
  const plain = t.inputTokens - read - write;
  return (
    (plain * price.input +
      read * (price.cachedInput ?? price.input) +
      write * (price.cacheWrite ?? price.input) +
      t.outputTokens * price.output) /
    1e6
  );
}

/** Cost of a usage by wire model name at a price table, or null when the table has no price for it. */
export function pricer(
  prices: Readonly<Record<string, Price>>,
): (wireModel: string, usage: Parameters<typeof priceUsage>[0]) => number | null {
  return (wireModel, usage) => {
    const price = prices[wireModel];
    return price ? priceUsage(usage, price) : null;
  };
}

/** A model under test (or a judge model). `id` is the name used in results; `model` is sent on the wire. */
export const ModelSpecSchema = z.strictObject({
  id: z
    .string()
    .regex(
      /^[A-Za-z0-9._-]+$/,
      "use letters, digits, dot, underscore or hyphen (it names result rows; '@' is reserved: it joins an entry id and a variant name, `id@variant`)",
    ),
  provider: z
    .string()
    .min(1)
    .superRefine((name, ctx) => {
      if (!PROVIDERS.includes(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown provider \`${name}\`${didYouMean(name, PROVIDERS)}: use one of ${PROVIDERS.join(', ')} (any OpenAI-compatible server is \`openai\` with a \`baseURL\`)`,
        });
      }
    })
    .describe('adapter name: anthropic, openai, replay'),
  model: z.string().min(1).describe('model name sent to the provider'),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name, e.g. ANTHROPIC_API_KEY')
    .optional(),
  baseURL: z.url().optional().describe('OpenAI-compatible servers (vLLM, Ollama, OpenRouter...) or a proxy'),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  maxTokens: z.number().int().positive().default(1024),
  concurrency: z.number().int().positive().max(1024).default(8),
  rpm: z.number().positive().optional().describe('requests per minute limit for this model'),
  tpm: z.number().positive().optional().describe('tokens per minute limit (input + output) for this model'),
  timeoutMs: z.number().int().positive().max(MAX_TIMER_MS, `at most ${MAX_TIMER_MS} ms: Node timers cannot wait longer`).optional(),
  maxAttempts: z.number().int().positive().max(20).optional(),
  /** For the replay provider: the run directory whose transcripts answer the requests. */
  replayFrom: z.string().optional(),
  /** For the replay provider: which model id of that run to replay (defaults to this id). */
  replayModelId: z.string().optional(),
  /** Extra HTTP headers (no secrets: use apiKeyEnv for keys). */
  headers: z.record(z.string(), z.string()).optional(),
});
export type ModelSpec = z.infer<typeof ModelSpecSchema>;
