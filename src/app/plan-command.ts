import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { AppContext } from '../core/context.js';
import { EXIT } from '../core/errors.js';
import { loadSuite } from '../scenarios/load-suite.js';
import { loadRun, parseRunSpec } from '../stages/analyze/load/load-run.js';
import { formatPowerPlan } from '../stages/analyze/plan/format-plan.js';
import { DEFAULT_VARIANCE, type MetricRule, powerPlan, type VarianceChoice } from '../stages/analyze/plan/power-plan.js';
import { runVariance } from '../stages/analyze/plan/run-variance.js';
import { planRun } from '../stages/run/plan.js';

export interface PlanOptions {
  config?: string | undefined;
  /** An earlier run (RUN_DIR or RUN_DIR#MODEL_ID) whose judgments give each rule's variance. */
  from?: string | undefined;
  scenarios?: string | undefined;
  domains?: string[] | undefined;
  models?: string[] | undefined;
  samples?: number | undefined;
}

/**
 * `valuescope plan`: before any money is spent, what the gate's metric rules can see on the planned
 * suite and samples (docs/statistics.md, "Power plan"). Reads config and suite, and with --from an
 * earlier run's judgments; sends nothing and writes nothing.
 */
export async function planCommand(opts: PlanOptions, ctx: AppContext): Promise<number> {
  const loaded = await loadConfig(opts.config ?? 'config.yaml', { env: ctx.env, cwd: ctx.cwd });
  const pack = await packPaths(opts.scenarios, ctx.cwd);
  const suite = await loadSuite(pack ?? loaded.config.suite, { cwd: pack ? ctx.cwd : loaded.dir });
  const plan = planRun(
    loaded.config,
    suite.scenarios,
    {
      models: opts.models,
      domains: opts.domains,
      scenarios: pack ? undefined : opts.scenarios,
      samples: opts.samples,
    },
    loaded.combineOrigins,
  );
  let varianceOf: ((rule: MetricRule) => VarianceChoice) | undefined;
  let note: string | undefined;
  if (opts.from !== undefined) {
    const run = await loadRun(parseRunSpec(opts.from, ctx.cwd), []);
    for (const n of run.notes) ctx.stderr.write(`note: ${n}\n`);
    varianceOf = (rule) => runVariance(run.models, rule, DEFAULT_VARIANCE);
    note = `Variance: per rule from ${opts.from} (per-scenario rates of the rule's metric; the model needing the most samples), else the default.`;
  }
  ctx.stdout.write(
    `Plan: ${plan.models.length} model(s) x ${plan.scenarios.length} scenario(s) x ${plan.samples} sample(s) = ${plan.cells.length} cells\n`,
  );
  ctx.stdout.write(formatPowerPlan(powerPlan(loaded.config.gate, plan, varianceOf), loaded.config.gate, note));
  return EXIT.ok;
}

/** `--scenarios DIR|FILE` is a custom pack replacing the suite (as in `run`); any other value is a filter glob. */
async function packPaths(scenarios: string | undefined, cwd: string): Promise<string[] | undefined> {
  if (!scenarios) return undefined;
  const abs = path.resolve(cwd, scenarios);
  const stat = await fsp.stat(abs).catch(() => undefined);
  return stat && (stat.isDirectory() || /\.ya?ml$/.test(abs)) ? [abs] : undefined;
}
