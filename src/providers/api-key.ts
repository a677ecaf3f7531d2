import type { ModelSpec } from '../config/model-schema.js';
import { EnvironmentError } from '../core/errors.js';

/** Stand-in key for loopback servers (vLLM, Ollama, llama.cpp, the local test server) that ignore keys. */
const LOOPBACK_PLACEHOLDER_KEY = 'valuescope-local-no-key';

/** The variable each provider reads its key from unless the model sets `apiKeyEnv`; providers not listed need no key. */
export const DEFAULT_KEY_ENV = { anthropic: 'ANTHROPIC_API_KEY', openai: 'OPENAI_API_KEY' } as const;

/**
 * The API key for a model: from `apiKeyEnv` or the vendor's default variable. A server on
 * 127.0.0.1/localhost needs none, so a missing key there is not an error.
 */
export function resolveApiKey(spec: ModelSpec, env: Record<string, string | undefined>, defaultEnv: string): string {
  const name = spec.apiKeyEnv ?? defaultEnv;
  const value = env[name];
  if (value !== undefined && value.trim() !== '') return value.trim();
  if (spec.baseURL !== undefined && isLoopbackUrl(spec.baseURL)) return LOOPBACK_PLACEHOLDER_KEY;
  throw new EnvironmentError(`model '${spec.id}' (provider ${spec.provider}) has no API key: ${missingKeyHint(spec, name)}`);
}

/**
 * Why calling this model would fail for want of a key (the fix included), or undefined when its key
 * is set, it needs none (replay) or it talks to a loopback server. Checked before a run writes anything.
 */
export function missingApiKey(spec: ModelSpec, env: Record<string, string | undefined>): string | undefined {
  const defaultEnv = (DEFAULT_KEY_ENV as Record<string, string | undefined>)[spec.provider];
  if (defaultEnv === undefined) return undefined;
  try {
    resolveApiKey(spec, env, defaultEnv);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function missingKeyHint(spec: ModelSpec, name: string): string {
  return spec.apiKeyEnv
    ? `set ${name} in the environment (config.yaml names it in \`apiKeyEnv\`)`
    : `set ${name} in the environment, or set \`apiKeyEnv\` in config.yaml to the variable that holds the key`;
}

function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
  } catch {
    return false;
  }
}
