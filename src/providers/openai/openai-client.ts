import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ModelSpec } from '../../config/model-schema.js';
import { DEFAULT_KEY_ENV } from '../api-key.js';
import { adapterBasics, type ProviderDeps, SDK_TIMEOUT_MS } from '../provider-deps.js';
import type { ErrorContext, SdkErrorClasses } from '../provider-errors.js';

export const OPENAI_ERROR_CLASSES: SdkErrorClasses = { APIError, APIUserAbortError, APIConnectionTimeoutError };

interface OpenAIClient {
  client: OpenAI;
  errCtx: ErrorContext;
  now: () => number;
  /** api.openai.com itself, not a compatible server: decides the token-limit field (map-response.ts). */
  officialApi: boolean;
}

/**
 * The SDK client both OpenAI adapters (single requests and batches) use: no SDK retries, the
 * injected fetch and env, and the SDK timeout as a backstop.
 */
export function openaiClient(spec: ModelSpec, deps: ProviderDeps): OpenAIClient {
  const { apiKey, errCtx, now } = adapterBasics('openai', spec, deps, DEFAULT_KEY_ENV.openai);
  const baseURL = spec.baseURL ?? deps.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
  const client = new OpenAI({
    apiKey,
    baseURL,
    maxRetries: 0,
    timeout: SDK_TIMEOUT_MS,
    fetch: deps.fetch,
    // Otherwise the SDK reads process.env; the injected env must decide, as everywhere else.
    organization: deps.env.OPENAI_ORG_ID ?? null,
    project: deps.env.OPENAI_PROJECT_ID ?? null,
    ...(spec.headers ? { defaultHeaders: spec.headers } : {}),
  });
  return { client, errCtx, now, officialApi: new URL(baseURL).hostname === 'api.openai.com' };
}
