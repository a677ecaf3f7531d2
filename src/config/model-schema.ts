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
  cachedInput: z.number().nonnegative().optional(),
});
export type Price = z.infer<typeof PriceSchema>;

/**
 * USD for a call's tokens at a config price: the one formula the dry-run estimate, the progress
 * display and the report's provenance share. Prompt-cache reads (`cachedInput` of the input) cost
 * `price.cachedInput` when the config sets it, the input price otherwise.
 */
export function priceTokens(t: { input: number; output: number; cachedInput?: number }, price: Price): number {
  const cached = t.cachedInput ?? 0;
  return ((t.input - cached) * price.input + cached * (price.cachedInput ?? price.input) + t.output * price.output) / 1e6;
}

/** A model under test (or a judge model). `id` is the name used in results; `model` is sent on the wire. */
export const ModelSpecSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, dot, underscore or hyphen (it names result rows)'),
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
