import type { CombineOrigins } from '../../config/combine-origin.js';
import { combineSystem, type ModelTarget, refusesScenario } from '../../config/model-target.js';
import type { Config } from '../../config/schema.js';
import { didYouMean } from '../../config/suggest.js';
import { refusedScenarios } from '../../config/target-lines.js';
import { ConfigError, UsageError } from '../../core/errors.js';
import type { GenerateRequest } from '../../providers/language-model.js';
import { cellIdOf } from '../../records/transcript.js';
import type { Scenario } from '../../scenarios/schema.js';
import { excludingGlob, matchNames, selectedBy } from './scenario-glob.js';
import { cellsOfShard, type Shard } from './shard.js';

export interface PlanFilters {
  models?: string[] | undefined;
  domains?: string[] | undefined;
  /**
   * Glob matched against the scenario id, its path relative to the suite folder (`workplace/**`,
   * with or without `.yaml`) and its file path as loaded (`scenarios/workplace/**`).
   */
  scenarios?: string | undefined;
  samples?: number | undefined;
  /** `--shard i/n`: keep only the i-th of n balanced parts of the cells (stages/run/shard.ts). */
  shard?: Shard | undefined;
}

type CellRequest = Omit<GenerateRequest, 'signal'>;

/** One unit of work: a model answering a scenario once. */
export interface PlannedCell {
  cellId: string;
  modelId: string;
  sample: number;
  scenario: Scenario;
  request: CellRequest;
}

export interface RunPlan {
  models: ModelTarget[];
  scenarios: Scenario[];
  samples: number;
  /** The cells to run: the whole plan, or with a shard only that shard's part of it. */
  cells: PlannedCell[];
  /**
   * Set when the run is one shard: which one, and the cells of the whole plan (all shards), which
   * models, scenarios and samples still describe.
   */
  shard?: Shard & { planCells: number };
}

/** Cells = model x scenario x sample, after the command-line filters. Unknown names are usage errors. */
export function planRun(
  config: Pick<Config, 'models' | 'runner'>,
  suite: readonly Scenario[],
  filters: PlanFilters = {},
  origins?: CombineOrigins,
): RunPlan {
  const models = selectModels(config.models, filters.models);
  const scenarios = selectScenarios(suite, filters);
  const samples = filters.samples ?? config.runner.samples;
  checkRefusals(models, scenarios, { suite, glob: filters.scenarios, origins });
  return { models, scenarios, samples, ...sharded(buildCells(models, scenarios, samples), filters.shard) };
}

/** The cells of the plan, or of one shard of it (which then records the size of the whole). */
export function sharded(all: PlannedCell[], shard: Shard | undefined): Pick<RunPlan, 'cells' | 'shard'> {
  if (!shard) return { cells: all };
  return { cells: cellsOfShard(all, shard), shard: { index: shard.index, count: shard.count, planCells: all.length } };
}

/** Cells = target x scenario x sample; a target that refuses scenarios with their own system prompt and meets one is a ConfigError. */
export function buildCells(models: readonly ModelTarget[], scenarios: readonly Scenario[], samples: number): PlannedCell[] {
  checkRefusals(models, scenarios);
  const cells: PlannedCell[] = [];
  for (const spec of models) {
    for (const scenario of scenarios) {
      for (let sample = 0; sample < samples; sample++) {
        cells.push({
          cellId: cellIdOf(spec.id, scenario.id, sample),
          modelId: spec.id,
          sample,
          scenario,
          request: cellRequest(spec, scenario, sample),
        });
      }
    }
  }
  return cells;
}

function cellRequest(spec: ModelTarget, scenario: Scenario, sample: number): CellRequest {
  const system = combineSystem(spec, scenario.system);
  return {
    ...(system !== undefined ? { system } : {}),
    messages: scenario.messages.map((m) => ({ role: m.role, content: m.content })),
    ...(spec.temperature !== undefined ? { temperature: spec.temperature } : {}),
    ...(spec.topP !== undefined ? { topP: spec.topP } : {}),
    maxTokens: spec.maxTokens,
    sample,
  };
}

/**
 * `--models` names targets (`assistant@old-prompt`) or entries (`assistant`: every variant of it).
 * Unknown names are usage errors listing both forms.
 */
function selectModels(all: readonly ModelTarget[], wanted: string[] | undefined): ModelTarget[] {
  if (!wanted || wanted.length === 0) return [...all];
  const matches = (m: ModelTarget, name: string): boolean => m.id === name || m.entry === name;
  const unknown = wanted.filter((name) => !all.some((m) => matches(m, name)));
  if (unknown.length > 0) {
    const entries = [...new Set(all.filter((m) => m.entry !== undefined).map((m) => m.entry!))];
    const variants = entries.length > 0 ? `; entries with variants (all their variants): ${entries.join(', ')}` : '';
    const names = [...all.map((m) => m.id), ...entries];
    const shown = unknown.map((n) => `${n}${didYouMean(n, names)}`).join(', ');
    throw new UsageError(
      `unknown model id${unknown.length > 1 ? 's' : ''} in --models: ${shown} (config has: ${all.map((m) => m.id).join(', ')}${variants})`,
    );
  }
  return all.filter((m) => wanted.some((name) => matches(m, name)));
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * systemCombine: refuse — every selected scenario with its own system prompt is a located problem,
 * all at once. Given the suite, the headline also holds the --scenarios value that leaves them out.
 */
function checkRefusals(
  models: readonly ModelTarget[],
  scenarios: readonly Scenario[],
  from?: { suite: readonly Scenario[]; glob: string | undefined; origins: CombineOrigins | undefined },
): void {
  const problems = refusedScenarios(models, scenarios, from?.origins);
  if (problems.length === 0) return;
  const refused = scenarios.filter((s) => models.some((m) => refusesScenario(m, s.system)));
  const targets = models.filter((m) => refused.some((s) => refusesScenario(m, s.system)));
  const sets = refused.length === 1 ? 'sets its' : 'set their';
  const which = targets.length === 1 ? 'which 1 target refuses' : `which ${targets.length} targets refuse`;
  const glob = from ? excludingGlob(from.suite, refused) : null;
  const leaveOut = !glob
    ? 'or leave them out with a negated --scenarios glob (docs/configuration.md)'
    : `or run with --scenarios ${glob} to leave them out${from?.glob ? ` (in place of your --scenarios ${from.glob})` : ''}`;
  throw new ConfigError(
    problems,
    `cannot plan the run: ${plural(refused.length, 'scenario')} ${sets} own system prompt, ${which} (systemCombine: refuse); ` +
      `set systemCombine: prepend or replace where a line below says, ${leaveOut}`,
  );
}

function selectScenarios(suite: readonly Scenario[], filters: PlanFilters): Scenario[] {
  let out = [...suite];
  if (filters.domains && filters.domains.length > 0) {
    const known = new Set(suite.map((s) => s.domain));
    const unknown = filters.domains.filter((d) => !known.has(d));
    if (unknown.length > 0) {
      throw new UsageError(
        `unknown domain${unknown.length > 1 ? 's' : ''} in --domains: ${unknown.join(', ')} (suite has: ${[...known].sort().join(', ')})`,
      );
    }
    out = out.filter((s) => filters.domains!.includes(s.domain));
  }
  if (filters.scenarios) {
    out = out.filter(selectedBy(filters.scenarios));
    if (out.length === 0) {
      const first = suite[0];
      const example = first ? `ids look like "${first.id}", paths like "${matchNames(first)[1]}"` : 'the suite is empty';
      throw new UsageError(
        `--scenarios ${filters.scenarios} matches no scenario id or path (${example}; quote the glob so the shell does not expand it)`,
      );
    }
  }
  return out;
}
