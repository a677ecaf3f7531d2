import { TYPICAL_OUTPUT_SHARE } from '../calls/estimate.js';
import { estimateJudges, type JudgeEstimate, MIN_CACHED_PREFIX_TOKENS } from '../stages/judge/judge-estimate.js';
import { estimatePlan, fmtCost, formatPlan, formatTable, type PlanEstimate } from '../stages/run/dry-run.js';
import type { PreparedRun } from './run-prepare.js';

const fmtInt = (n: number): string => n.toLocaleString('en-US');
const pair = (a: number, b: number, fmt: (n: number) => string = fmtInt): string => `${fmt(a)} / ${fmt(b)}`;
const usdPair = (c: { typical: number; max: number }): string => pair(c.typical, c.max, (x) => fmtCost(x));

/**
 * `run --dry-run`: the cells still to do with their estimated tokens and cost, the models' and the
 * judge's apart, then their total. Sends nothing and writes nothing.
 */
export async function dryRunText(p: Pick<PreparedRun, 'plan' | 'todo' | 'loaded'>): Promise<string> {
  const { config, dir } = p.loaded;
  const plan = { ...p.plan, cells: p.todo };
  const modelBatch = config.runner.mode === 'batch';
  const models = estimatePlan(plan, config.prices, { batch: modelBatch });
  const judgeBatch = config.judge.mode === 'batch';
  const maxTokens = new Map(plan.models.map((m) => [m.id, m.maxTokens]));
  const cells = p.todo.map((c) => ({ request: c.request, maxTokens: maxTokens.get(c.modelId) ?? 0 }));
  const judges = await estimateJudges({ config, dir, cells, batch: judgeBatch });
  const missing = [...new Set([...models.filter((r) => r.costTypical === undefined).map((r) => r.model), ...judges.flatMap(unpriced)])];
  return [
    ...formatPlan(plan, models, { batch: modelBatch }),
    '',
    ...judgeLines(judges, config.judge.samples, judgeBatch),
    '',
    totalLine(models, judges),
    ...(modelBatch && judgeBatch ? [] : [batchLine(estimatePlan(plan, config.prices, { batch: true }), judges)]),
    ...(missing.length > 0
      ? [
          `No price for: ${missing.join(', ')} (add them under \`prices:\` in config.yaml, USD per million tokens; the total leaves them out).`,
        ]
      : []),
    'Dry run: nothing was sent and nothing was written.',
    '',
  ].join('\n');
}

function unpriced(j: JudgeEstimate): string[] {
  return j.cost === undefined && j.wireModel !== null ? [j.wireModel] : [];
}

function judgeLines(judges: JudgeEstimate[], samples: number, batch: boolean): string[] {
  const header = [
    'judge',
    'model',
    'calls',
    'input tok (est)',
    'output tok typical / max',
    'plain typical / max',
    'prompt-cached typical / max',
  ];
  const body = judges.map((j) => [
    j.judge,
    j.model,
    fmtInt(j.calls),
    fmtInt(j.inputTokens),
    pair(j.outputTokensTypical, j.outputTokensMax),
    j.cost ? usdPair(j.cost.plain) : 'no price',
    j.cost ? usdPair(j.cost.cached) : 'no price',
  ]);
  const llm = judges.filter((j) => j.wireModel !== null);
  const notes =
    llm.length === 0
      ? ['The lexical judge calls no model: $0.']
      : [
          `Judge calls are cells x judge.samples (${samples}). Input is each call's real prompt: the system prompt with the rubric and the output schema ` +
            `(${llm.map((j) => `${fmtInt(j.prefixTokens)} tokens for ${j.judge}`).join(', ')}, the same on every call) and the user template around the cell's ` +
            `conversation with a typical answer (${Math.round(TYPICAL_OUTPUT_SHARE * 100)}% of the model's maxTokens); output is ${Math.round(TYPICAL_OUTPUT_SHARE * 100)}% ` +
            "of the judge's maxTokens (max: all of it). Repair turns after invalid output and retries are not included.",
          "Prompt cache: the judge marks that static prefix for caching. Assumed: the first call of each of the judge's concurrent slots writes it " +
            '(cacheWrite price, default the input price) and every later call reads it (cachedInput price), as long as calls keep arriving within the ' +
            `provider's cache lifetime (Anthropic: 5 minutes, renewed by each read); a prefix under ${fmtInt(MIN_CACHED_PREFIX_TOKENS)} tokens is not cached.`,
        ];
  return [
    'Judge (in this run unless --no-judge or judge.pipelined: false; `valuescope judge` later costs the same):',
    ...formatTable(header, body, 2),
    ...notes,
    ...(batch ? ['judge.mode batch: priced at the batch discount.'] : []),
  ];
}

const sum = (xs: (number | undefined)[]): number => xs.reduce<number>((a, x) => a + (x ?? 0), 0);

/** Models and judge apart, then the total; the judge at the prompt-cached figure (what the judge sends). */
function totalLine(models: PlanEstimate[], judges: JudgeEstimate[]): string {
  const m = { typical: sum(models.map((r) => r.costTypical)), max: sum(models.map((r) => r.costMax)) };
  const j = { typical: sum(judges.map((x) => x.cost?.cached.typical)), max: sum(judges.map((x) => x.cost?.cached.max)) };
  return (
    `Estimated cost typical / max (USD): models ${usdPair(m)}, judge ${usdPair(j)} (prompt-cached), ` +
    `total ${usdPair({ typical: m.typical + j.typical, max: m.max + j.max })}. Prices come from \`prices:\` in the config: keep them current.`
  );
}

/** What the same cells would cost through the batch APIs (models and judge), when the config does not already say so. */
function batchLine(models: PlanEstimate[], judges: JudgeEstimate[]): string {
  const m = { typical: sum(models.map((r) => r.costTypical)), max: sum(models.map((r) => r.costMax)) };
  const j = { typical: sum(judges.map((x) => x.cost?.cachedBatch.typical)), max: sum(judges.map((x) => x.cost?.cachedBatch.max)) };
  return (
    `With --batch (the providers' batch APIs, answered within 24 h, price x batch, default 0.5): models ${usdPair(m)}, ` +
    `judge ${usdPair(j)}, total ${usdPair({ typical: m.typical + j.typical, max: m.max + j.max })}.`
  );
}
