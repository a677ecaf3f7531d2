import { estimateInputTokens, TYPICAL_OUTPUT_SHARE } from '../../calls/estimate.js';
import { priceUsage } from '../../config/model-schema.js';
import type { Config } from '../../config/schema.js';
import { targetLines } from '../../config/target-lines.js';
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

/** `batch`: the cells go through a batch API (runner.mode batch), priced at the batch discount. */
export function estimatePlan(plan: RunPlan, prices: Config['prices'], o: { batch?: boolean } = {}): PlanEstimate[] {
  return plan.models.map((spec) => {
    const cells = plan.cells.filter((c) => c.modelId === spec.id);
    let inputTokens = 0;
    for (const c of cells) inputTokens += estimateInputTokens(c.request);
    const outputTokensMax = cells.length * spec.maxTokens;
    const outputTokensTypical = Math.round(outputTokensMax * TYPICAL_OUTPUT_SHARE);
    const price = prices[spec.model];
    const cost = (outputTokens: number): number | undefined => {
      if (!price) return undefined;
      const counts = { inputTokens, outputTokens, cachedInputTokens: 0 };
      return priceUsage(o.batch ? { ...counts, batched: counts } : counts, price);
    };
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

const fmtInt = (n: number): string => n.toLocaleString('en-US');

/** "$1.23", or "no price". */
export function fmtCost(c: number | undefined): string {
  return c === undefined ? 'no price' : `$${c.toFixed(2)}`;
}

/** The models' part of the dry run: the plan line, one row per model, and how the figures were estimated. */
export function formatPlan(plan: RunPlan, rows: PlanEstimate[], o: { batch?: boolean } = {}): string[] {
  const header = ['model', 'cells', 'input tok (est)', 'output tok typical / max', `cost typical / max (USD${o.batch ? ', batch' : ''})`];
  const body = rows.map((r) => [
    r.modelId,
    String(r.cells),
    fmtInt(r.inputTokens),
    `${fmtInt(r.outputTokensTypical)} / ${fmtInt(r.outputTokensMax)}`,
    r.costTypical === undefined ? 'no price' : `${fmtCost(r.costTypical)} / ${fmtCost(r.costMax)}`,
  ]);
  const total = rows.reduce((a, r) => a + r.cells, 0);
  const targets = targetLines(plan.models);
  return [
    `Plan: ${plan.models.length} model(s) x ${plan.scenarios.length} scenario(s) x ${plan.samples} sample(s) = ${total} cells`,
    ...formatTable(header, body),
    ...(targets.length > 0 ? ['Targets (id, wire model, system prompt):', ...targets] : []),
    `Input tokens are estimated as characters / 4; typical output assumes ${Math.round(TYPICAL_OUTPUT_SHARE * 100)}% of maxTokens, max assumes every answer hits maxTokens.` +
      (o.batch ? ' runner.mode batch: priced at the batch discount.' : ''),
  ];
}

/** The first `textColumns` left-aligned, the figures after them right-aligned, a rule under the header. */
export function formatTable(header: string[], body: string[][], textColumns = 1): string[] {
  const table = [header, ...body];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) =>
    row
      .map((cell, i) => (i < textColumns ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines;
}
