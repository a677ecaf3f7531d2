import type { ModelSpec } from '../../config/model-schema.js';

type Endpoint = Pick<ModelSpec, 'id' | 'provider' | 'model'> & { baseURL?: string | undefined };

/**
 * Warns when a judge model comes from the same vendor API as a model it judges: a judge rating its
 * own family is a known bias. Only official endpoints (no baseURL) are compared, since a baseURL
 * can serve any family (vLLM, local servers, proxies) and the provider name then says nothing.
 */
export function selfJudgingWarnings(judges: readonly Endpoint[], tested: readonly Endpoint[]): string[] {
  const out: string[] = [];
  for (const j of judges) {
    if (j.baseURL !== undefined) continue;
    const same = tested.filter((m) => m.baseURL === undefined && m.provider === j.provider);
    if (same.length === 0) continue;
    out.push(
      `judge model ${j.provider}:${j.model} is from the same provider as ${same.map((m) => m.id).join(', ')}: ` +
        "a judge rating its own family is a known bias; prefer another lab's judge or a two-lab panel (docs/judge.md)",
    );
  }
  return out;
}
