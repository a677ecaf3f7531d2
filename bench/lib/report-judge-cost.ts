import type { JudgeCostMode, JudgeCostVendor } from '../judge-cost.js';

const usd = (x: number): string => `$${x.toFixed(5)}`;
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const n = (x: number): string => x.toLocaleString('en-US');

/** BENCHMARKS.md section: judge input cost per transcript in plain, cached and cached + batch modes. */
export function renderJudgeCost(r: JudgeCostVendor[] | { error: string }): string[] {
  const out = ['## Judge cost: prompt caching and batch (issue #14)', ''];
  if ('error' in r) return [...out, `Not measured: ${r.error}`, ''];
  out.push(
    "One judge pass of the full suite (228 transcripts, one model, one sample) with the `default` judge definition, three times per vendor wire: **plain** (the local server's prompt-cache simulation off: a provider without caching), **cached** (the static prefix marked and read from the cache), **cached + batch** (`judge --batch`). Token counts are the local server's usage reporting as the official SDKs return it; cost is judge *input* only, at the shipped config.yaml list prices (docs/cost.md). Goals: cached >= 60% and cached + batch >= 75% below plain.",
    '',
    '| wire (price model) | mode | judge calls | input tokens | cache reads | cache writes | batched | input cost / transcript | vs plain | goal |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const v of r) {
    const row = (name: string, m: JudgeCostMode, reduction: number | undefined, goal: number | undefined): string =>
      `| ${v.vendor} (${v.judgeModel}: input $${v.price.input}, cache read $${v.price.cachedInput ?? v.price.input}, write $${v.price.cacheWrite ?? v.price.input} per M) | ${name} | ${m.judgeCalls} | ${n(m.inputTokens)} | ${n(m.cacheReadTokens)} | ${n(m.cacheWriteTokens)} | ${n(m.batchedInputTokens)} | ${usd(m.inputCostPerTranscript)} | ${reduction === undefined ? '—' : `−${pct(reduction)}`} | ${goal === undefined ? '' : reduction! >= goal ? `PASS (>= ${pct(goal)})` : `FAIL (< ${pct(goal)})`} |`;
    out.push(row('plain', v.plain, undefined, undefined));
    out.push(row('cached', v.cached, v.cachedReduction, 0.6));
    out.push(row('cached + batch', v.cachedBatch, v.cachedBatchReduction, 0.75));
  }
  out.push('', 'The same figures are asserted by `test/judge-cost.test.ts` on every `npm test`.', '');
  return out;
}
