import { Budget, type BudgetSpent, chargeLane, usd } from '../calls/budget.js';
import type { ModelLane } from '../calls/scheduler.js';
import { pricer } from '../config/model-schema.js';
import type { Config } from '../config/schema.js';
import { UsageError } from '../core/errors.js';
import { priceSpend, spendTotals, tallyJudgeSpend, tallyModelSpend } from '../records/spend.js';
import { loadJudgeDefinition } from '../stages/judge/llm/load-definition.js';
import { judgeModelSpec } from '../stages/judge/panel.js';
import type { RunCommandOptions } from './run-options.js';
import type { PreparedRun } from './run-prepare.js';

/**
 * The run's budget, opened before anything is written or sent: `--max-cost` (else runner.maxCost)
 * is the limit, for the whole run. A resumed run starts from what it spent before, recomputed from its
 * transcripts.jsonl and judgments.jsonl at the current prices (so a crash that lost the manifest
 * loses nothing). With a limit, every model about to be called, the judge's included, must have a
 * price: otherwise a UsageError names them and nothing is written. Without a limit it only counts.
 */
export async function openBudget(p: PreparedRun, opts: RunCommandOptions): Promise<Budget> {
  const { config } = p.loaded;
  const limit = opts.maxCost ?? config.runner.maxCost;
  const source = opts.maxCost !== undefined ? '--max-cost' : 'runner.maxCost';
  try {
    if (limit !== undefined) await checkPrices(p, opts, source);
    const prior = p.resumed ? await spentBefore(p.resumed.store.dir, config) : undefined;
    return new Budget(limit, { prices: config.prices, configHash: p.loaded.hash, source, prior });
  } catch (e) {
    // A refused start releases a reopened run (and its lock) at once, as prepareRun does.
    await p.resumed?.store.close();
    throw e;
  }
}

async function checkPrices(p: PreparedRun, opts: RunCommandOptions, source: string): Promise<void> {
  const { config, dir } = p.loaded;
  const paying = p.plan.models.map((m) => ({ wire: m.model, who: `model ${m.id}` }));
  if (opts.judge && opts.hooks !== undefined && config.judge.pipelined) {
    for (const name of config.judge.judges) {
      if (name === 'lexical') continue;
      const spec = judgeModelSpec((await loadJudgeDefinition(name, dir)).definition, config);
      paying.push({ wire: spec.model, who: `judge ${name}` });
    }
  }
  const missing = paying.filter((x) => config.prices[x.wire] === undefined);
  if (missing.length === 0) return;
  const names = [...new Set(missing.map((x) => `\`${x.wire}\` (${x.who})`))].join(', ');
  throw new UsageError(
    `${source} needs a price for every model the run pays for: add ${names} under \`prices:\` in ${p.loaded.file} ` +
      '(USD per million tokens: `input`, `output`, and `cachedInput` / `cacheWrite` if the model caches prompts), or run without a max cost. Nothing was sent.',
  );
}

async function spentBefore(runDir: string, config: Config): Promise<BudgetSpent> {
  const tally = { models: await tallyModelSpend(runDir), judge: await tallyJudgeSpend(runDir) };
  const totals = spendTotals(priceSpend(tally, pricer(config.prices), '', { panels: 'at-most' }));
  // With a limit every model is priced; without one, an unpriced part is not counted against anything.
  return { models: totals.models ?? 0, judge: totals.judge ?? 0 };
}

/** Charges every attempt of the run's models to `budget` (their lanes carry it, calls/model-call.ts reads it). */
export function chargeModelLanes(runtimes: Iterable<{ spec: { model: string }; lane: ModelLane }>, budget: Budget, config: Config): void {
  for (const rt of runtimes) chargeLane(rt.lane, budget.charge('models', rt.spec.model, config.runner.mode === 'batch'));
}

/**
 * What `run` prints when the budget stopped it: the money spent of the limit, the models' and the
 * judge's, the cells never sent, and how to go on.
 */
export function budgetStopText(budget: Budget, o: { notSent: number; runRel: string }): string {
  const s = budget.spent();
  const limit = budget.limitUsd ?? 0;
  return (
    `stopped by ${budget.o.source}: spent ${usd(s.total)} of ${usd(limit)} (models ${usd(s.models)}, judge ${usd(s.judge)}); ` +
    `${o.notSent} cells not sent; continue with valuescope run --resume ${o.runRel} --max-cost USD ` +
    `(the limit covers the whole run, the ${usd(s.total)} spent included: give more than ${usd(limit)})\n`
  );
}
