import type { ModelSpec } from '../config/model-schema.js';
import { resolveApiKey } from './api-key.js';
import type { GenerateRequest } from './language-model.js';
import type { ErrorContext } from './provider-errors.js';

/** What adapters take from the outside world (from AppContext), so tests inject them. */
export interface ProviderDeps {
  env: Record<string, string | undefined>;
  fetch: typeof globalThis.fetch;
  cwd: string;
  /** Monotonic milliseconds for latency; defaults to performance.now. */
  now?: () => number;
}

/**
 * The SDKs' own timeout is only a backstop: the runner owns timeouts and aborts via the request
 * signal. Set explicitly (not left undefined) so the Anthropic SDK does not refuse large maxTokens.
 */
export const SDK_TIMEOUT_MS = 30 * 60_000;

/** Per-request headers. The sample index lets the local test server vary answers deterministically. */
export function requestHeaders(req: GenerateRequest): Record<string, string> {
  return req.sample === undefined ? {} : { 'x-valuescope-sample': String(req.sample) };
}

/** What every HTTP adapter sets up the same way: its key, its error context (which knows the key to scrub) and clock. */
export function adapterBasics(
  provider: string,
  spec: ModelSpec,
  deps: ProviderDeps,
  defaultKeyEnv: string,
): { apiKey: string; errCtx: ErrorContext; now: () => number } {
  const apiKey = resolveApiKey(spec, deps.env, defaultKeyEnv);
  const errCtx: ErrorContext = { provider, model: spec.model, keyEnv: spec.apiKeyEnv ?? defaultKeyEnv, secrets: [apiKey] };
  return { apiKey, errCtx, now: deps.now ?? (() => performance.now()) };
}
