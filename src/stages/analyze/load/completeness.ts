import type { Manifest } from '../../../records/manifest.js';
import type { ModelTable } from './scenario-table.js';

/** What a run's judgments cover, against what its manifest planned (all counts in cells). */
export interface Completeness {
  status: Manifest['status'];
  /** Cells the run planned and the cells it wrote (all models). */
  planned: number;
  done: number;
  /** Per analysed model: cells planned, judged (once each), and judged with a judge error. */
  models: { modelId: string; planned: number | null; judged: number; judgeErrors: number }[];
  /** Judgments for a model, scenario or sample the manifest does not have. */
  foreign: number;
  /** Set when the run is one shard of a plan (`run --shard i/n`): it holds only part of the cells. */
  shard: Manifest['shard'] | undefined;
}

/** Counts judgments whose cell the run does not have, while they stream past. */
export class ForeignJudgments {
  count = 0;
  private readonly models: ReadonlySet<string>;
  private readonly scenarios: ReadonlySet<string>;

  constructor(private readonly manifest: Manifest) {
    this.models = new Set(manifest.models.map((m) => m.id));
    this.scenarios = new Set(Object.keys(manifest.scenarios));
  }

  check(j: { modelId: string; scenarioId: string; sample: number }): boolean {
    const foreign =
      (this.models.size > 0 && !this.models.has(j.modelId)) ||
      (this.scenarios.size > 0 && !this.scenarios.has(j.scenarioId)) ||
      (this.manifest.status !== 'imported' && j.sample >= this.manifest.samples);
    if (foreign) this.count++;
    return foreign;
  }
}

export function completenessOf(manifest: Manifest, tables: readonly ModelTable[], foreign: number): Completeness {
  // Imported runs have no model x scenario x sample grid: their plan is the conversations imported.
  const perModel = manifest.status === 'imported' ? null : Object.keys(manifest.scenarios).length * manifest.samples;
  return {
    status: manifest.status,
    planned: manifest.counts.planned,
    done: manifest.counts.done,
    models: tables.map((t) => {
      let judged = 0;
      for (const s of t.scenarios.values()) judged += s.cells;
      let judgeErrors = 0;
      for (const [kind, n] of t.errorKinds) if (kind !== 'no_response') judgeErrors += n;
      return { modelId: t.modelId, planned: perModel, judged, judgeErrors };
    }),
    foreign,
    shard: manifest.shard,
  };
}

/**
 * Why a run cannot be analysed as complete, each reason with its counts and the command that fixes
 * it; empty when it can. `maxJudgeErrorShare`: judged cells whose judgment failed, at most.
 * `baselineOf`: `runDir` is a baseline file saved from that run with --allow-incomplete; the fix is
 * then made on the run, and the baseline saved again.
 */
export function incompleteness(c: Completeness, runDir: string, maxJudgeErrorShare: number, baselineOf?: { runId: string }): string[] {
  const fix = (cmd: string) =>
    baselineOf
      ? `${cmd.split(runDir).join('RUN_DIR')} on run ${baselineOf.runId}, which ${runDir} was saved from with --allow-incomplete; then save the baseline again (valuescope baseline save RUN_DIR#MODEL_ID --out FILE)`
      : cmd;
  if (c.shard) {
    return [
      `${runDir}: shard ${c.shard.index}/${c.shard.count} holds only part of the run's cells; ${fix('join the shards with: valuescope merge SHARD_DIRS... --out DIR, and analyse the merged run')}`,
    ];
  }
  const out: string[] = [];
  if (c.status === 'running' || c.status === 'interrupted') {
    out.push(
      `${runDir}: the run stopped before every cell ran (${c.done} of ${c.planned} cells, status ${c.status}); ${fix(`finish it with: valuescope run --resume ${runDir}`)}`,
    );
  }
  for (const m of c.models) {
    if (m.planned !== null && c.done >= c.planned && m.judged < m.planned) {
      out.push(
        `${runDir}#${m.modelId}: ${m.planned - m.judged} of ${m.planned} cells have no judgment; ${fix(`judge them with: valuescope judge ${runDir}`)}`,
      );
    }
    if (m.judged > 0 && m.judgeErrors / m.judged > maxJudgeErrorShare) {
      out.push(
        `${runDir}#${m.modelId}: ${m.judgeErrors} of ${m.judged} judgments failed (${pct(m.judgeErrors / m.judged)}, more than the ${pct(maxJudgeErrorShare)} allowed); ${fix(`re-judge with: valuescope judge ${runDir} --force`)}`,
      );
    }
  }
  if (c.foreign > 0) {
    out.push(
      `${runDir}: ${c.foreign} judgments are for cells this run does not have (a model, scenario or sample not in its manifest); ${fix(`re-judge with: valuescope judge ${runDir} --force`)}`,
    );
  }
  return out;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
