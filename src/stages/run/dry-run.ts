import { estimateInputTokens, TYPICAL_OUTPUT_SHARE } from '../../calls/estimate.js';
import { priceTokens } from '../../config/model-schema.js';
import type { Config } from '../../config/schema.js';
import type { RunPlan } from './plan.js';

export interface PlanEstimate {
  modelId: string;
  model: string;
  cells: number;
  inputTokens: number;
  /** Upper bound: every answer uses maxTokens. */
  outputTokensMax: number;
  /** Typical: answers use TYPICAL_OUTPUT_SHARE of maxTokens. */
  outputTokensTypical: number;
  /** USD, undefined when `prices` has no entry for the wire model name. */
  costTypical: number | undefined;
  costMax: number | undefined;
}

export function estimatePlan(plan: RunPlan, prices: Config['prices']): PlanEstimate[] {
  return plan.models.map((spec) => {
    const cells = plan.cells.filter((c) => c.modelId === spec.id);
    let inputTokens = 0;
    for (const c of cells) inputTokens += estimateInputTokens(c.request);
    const outputTokensMax = cells.length * spec.maxTokens;
    const outputTokensTypical = Math.round(outputTokensMax * TYPICAL_OUTPUT_SHARE);
    const price = prices[spec.model];
    const cost = (out: number): number | undefined => (price ? priceTokens({ input: inputTokens, output: out }, price) : undefined);
    return {
      modelId: spec.id,
      model: spec.model,
      cells: cells.length,
      inputTokens,
      outputTokensMax,
      outputTokensTypical,
      costTypical: cost(outputTokensTypical),
      costMax: cost(outputTokensMax),
    };
  });
}

export function formatPlan(plan: RunPlan, rows: PlanEstimate[]): string {
  const header = ['model', 'cells', 'input tok (est)', 'output tok typical / max', 'cost typical / max (USD)'];
  const fmtCost = (c: number | undefined): string => (c === undefined ? 'no price' : `$${c.toFixed(2)}`);
  const body = rows.map((r) => [
    r.modelId,
    String(r.cells),
    r.inputTokens.toLocaleString('en-US'),
    `${r.outputTokensTypical.toLocaleString('en-US')} / ${r.outputTokensMax.toLocaleString('en-US')}`,
    r.costTypical === undefined ? 'no price' : `${fmtCost(r.costTypical)} / ${fmtCost(r.costMax)}`,
  ]);
  const total = rows.reduce((a, r) => a + r.cells, 0);
  const table = [header, ...body];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const missing = rows.filter((r) => r.costTypical === undefined).map((r) => r.model);
  return [
    `Plan: ${plan.models.length} model(s) x ${plan.scenarios.length} scenario(s) x ${plan.samples} sample(s) = ${total} cells`,
    ...lines,
    `Input tokens are estimated as characters / 4; typical output assumes ${Math.round(TYPICAL_OUTPUT_SHARE * 100)}% of maxTokens, max assumes every answer hits maxTokens.`,
    ...(missing.length > 0
      ? [`No price for: ${[...new Set(missing)].join(', ')} (add them under \`prices:\` in config.yaml, USD per million tokens).`]
      : []),
    'Dry run: nothing was sent and nothing was written.',
    '',
  ].join('\n');
}
