import { sha256 } from '../../util/hash.js';
import { type CachePlan, type CachePrefix, isRecord } from './wire.js';

/** Same rule as answer.ts: a token is four characters. */
const tokensOf = (chars: number) => Math.ceil(chars / 4);
const keyOf = (parts: unknown[]) => sha256(JSON.stringify(parts));

function hasBreakpoint(block: unknown): boolean {
  return isRecord(block) && isRecord(block.cache_control) && block.cache_control.type === 'ephemeral';
}

/**
 * Anthropic caches the prompt in the order tools → system → messages, up to each `cache_control`
 * breakpoint. Honoured: breakpoints on tools and on system text blocks. The tool definitions are part of
 * every system prefix's identity; they count as tokens (their JSON / 4) only when a tool carries a
 * breakpoint, since the input estimate of every other request leaves tools out and must not change.
 */
export function anthropicCachePlan(model: string, tools: unknown, system: unknown): CachePlan | undefined {
  const toolList: unknown[] = Array.isArray(tools) ? tools : [];
  const prefixes: CachePrefix[] = [];
  const toolsCached = toolList.some(hasBreakpoint);
  const toolTokens = toolsCached ? tokensOf(JSON.stringify(toolList).length) : 0;
  toolList.forEach((tool, i) => {
    if (!hasBreakpoint(tool)) return;
    const head = toolList.slice(0, i + 1);
    prefixes.push({ key: keyOf(['anthropic', model, head]), tokens: tokensOf(JSON.stringify(head).length) });
  });
  if (Array.isArray(system)) {
    const texts: string[] = [];
    let chars = 0;
    for (const block of system) {
      const text = isRecord(block) && typeof block.text === 'string' ? block.text : '';
      texts.push(text);
      chars += text.length;
      if (hasBreakpoint(block)) prefixes.push({ key: keyOf(['anthropic', model, toolList, texts]), tokens: toolTokens + tokensOf(chars) });
    }
  }
  return prefixes.length > 0 ? { automatic: false, prefixes, extraInputTokens: toolTokens } : undefined;
}

/**
 * OpenAI caches automatically. The prefix here is the system text, keyed by model, system text,
 * response_format (its schema is part of the prompt OpenAI builds) and `prompt_cache_key` (which routes
 * requests to a cache machine: a different key misses). Only the system text counts as tokens, as in
 * answer.ts.
 */
export function openaiCachePlan(model: string, system: string, responseFormat: unknown, promptCacheKey: unknown): CachePlan | undefined {
  if (!system) return undefined;
  const routing = typeof promptCacheKey === 'string' ? promptCacheKey : '';
  const key = keyOf(['openai', model, routing, system, responseFormat ?? null]);
  return { automatic: true, prefixes: [{ key, tokens: tokensOf(system.length) }], extraInputTokens: 0 };
}
