import Anthropic, { APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { ModelSpec } from '../../config/model-schema.js';
import { DEFAULT_KEY_ENV } from '../api-key.js';
import { adapterBasics, type ProviderDeps, SDK_TIMEOUT_MS } from '../provider-deps.js';
import type { ErrorContext, SdkErrorClasses } from '../provider-errors.js';

export const ANTHROPIC_ERROR_CLASSES: SdkErrorClasses = { APIError, APIUserAbortError, APIConnectionTimeoutError };

/**
 * The SDK client both Anthropic adapters (single requests and batches) use: no SDK retries (they
 * live in calls/retry.ts and the batch engine), the injected fetch, and the SDK timeout as a backstop.
 */
export function anthropicClient(spec: ModelSpec, deps: ProviderDeps): { client: Anthropic; errCtx: ErrorContext; now: () => number } {
  const { apiKey, errCtx, now } = adapterBasics('anthropic', spec, deps, DEFAULT_KEY_ENV.anthropic);
  const client = new Anthropic({
    apiKey,
    baseURL: spec.baseURL ?? deps.env.ANTHROPIC_BASE_URL ?? 'https://api.anthropic.com',
    maxRetries: 0,
    timeout: SDK_TIMEOUT_MS,
    fetch: deps.fetch,
    ...(spec.headers ? { defaultHeaders: spec.headers } : {}),
  });
  return { client, errCtx, now };
}
