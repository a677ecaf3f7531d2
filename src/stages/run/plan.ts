import path from 'node:path';
import picomatch from 'picomatch';
import type { ModelSpec } from '../../config/model-schema.js';
import type { Config } from '../../config/schema.js';
import { UsageError } from '../../core/errors.js';
import type { GenerateRequest } from '../../providers/language-model.js';
import { cellIdOf } from '../../records/transcript.js';
import type { Scenario } from '../../scenarios/schema.js';
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
  models: ModelSpec[];
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
export function planRun(config: Pick<Config, 'models' | 'runner'>, suite: readonly Scenario[], filters: PlanFilters = {}): RunPlan {
  const models = selectModels(config.models, filters.models);
  const scenarios = selectScenarios(suite, filters);
  const samples = filters.samples ?? config.runner.samples;
  return { models, scenarios, samples, ...sharded(buildCells(models, scenarios, samples), filters.shard) };
}

/** The cells of the plan, or of one shard of it (which then records the size of the whole). */
export function sharded(all: PlannedCell[], shard: Shard | undefined): Pick<RunPlan, 'cells' | 'shard'> {
  if (!shard) return { cells: all };
  return { cells: cellsOfShard(all, shard), shard: { index: shard.index, count: shard.count, planCells: all.length } };
}

export function buildCells(models: readonly ModelSpec[], scenarios: readonly Scenario[], samples: number): PlannedCell[] {
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

function cellRequest(spec: ModelSpec, scenario: Scenario, sample: number): CellRequest {
  return {
    ...(scenario.system !== undefined ? { system: scenario.system } : {}),
    messages: scenario.messages.map((m) => ({ role: m.role, content: m.content })),
    ...(spec.temperature !== undefined ? { temperature: spec.temperature } : {}),
    ...(spec.topP !== undefined ? { topP: spec.topP } : {}),
    maxTokens: spec.maxTokens,
    sample,
  };
}

function selectModels(all: readonly ModelSpec[], wanted: string[] | undefined): ModelSpec[] {
  if (!wanted || wanted.length === 0) return [...all];
  const known = new Set(all.map((m) => m.id));
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown model id${unknown.length > 1 ? 's' : ''} in --models: ${unknown.join(', ')} (config has: ${[...known].join(', ')})`,
    );
  }
  return all.filter((m) => wanted.includes(m.id));
}

/** What a `--scenarios` glob is matched against: id, path in the suite folder (with and without extension), file as loaded. */
function matchNames(s: Scenario): string[] {
  const file = s.file.split(path.sep).join('/');
  const inSuite = s.suitePath ?? `${s.domain}/${path.posix.basename(file)}`;
  return [s.id, inSuite, inSuite.replace(/\.ya?ml$/, ''), file];
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
    const isMatch = picomatch(filters.scenarios);
    out = out.filter((s) => matchNames(s).some((name) => isMatch(name)));
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
