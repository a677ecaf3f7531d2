import { ComparabilityError } from '../../../core/errors.js';
import type { DiffSide } from '../../../records/diff.js';
import type { LoadedRun, RunSpec } from '../load/load-run.js';
import type { ModelTable } from '../load/scenario-table.js';
import type { ScenarioPair } from './paired-metric.js';
import { servedModelWarnings } from './served-models.js';
import { settingChangeWarnings } from './setting-changes.js';

export interface Side {
  spec: RunSpec;
  run: LoadedRun;
  table: ModelTable;
}

export interface PairedSides {
  pairs: ScenarioPair[];
  domains: string[];
  baseOnly: string[];
  candOnly: string[];
  changed: string[];
  suiteHashMatch: boolean;
  judgeHashMatch: boolean;
  warnings: string[];
}

/** Picks the one model of a run side: the #MODEL_ID given, or the run's only model. */
export function pickTable(spec: RunSpec, run: LoadedRun): ModelTable {
  if (spec.modelId !== null) return run.models.find((m) => m.modelId === spec.modelId)!;
  if (run.models.length === 1) return run.models[0]!;
  throw new ComparabilityError(
    `${spec.spec} holds ${run.models.length} models (${run.models.map((m) => m.modelId).join(', ')}): name one as ${spec.spec}#MODEL_ID`,
  );
}

/**
 * Checks comparability (same judge, same suite, unless allowed) and pairs the scenarios both sides
 * cover with the same scenario hash. Mismatches that were allowed become warnings in the output, as do
 * served-model mixes and changes (served-models.ts).
 */
export function pairSides(base: Side, cand: Side, allow: { suite: boolean; judge: boolean }): PairedSides {
  refuseSameTarget(base, cand);
  const warnings: string[] = [];
  const hA = base.run.manifest?.suiteHash ?? null;
  const hB = cand.run.manifest?.suiteHash ?? null;
  const suiteHashMatch = hA !== null && hA === hB;
  if (!suiteHashMatch) {
    const why =
      hA === null || hB === null
        ? 'a manifest.json is missing, so the suites cannot be checked'
        : `suite hashes differ (${hA.slice(0, 12)} vs ${hB.slice(0, 12)})`;
    if (!allow.suite)
      throw new ComparabilityError(
        `${base.spec.spec} and ${cand.spec.spec} cannot be compared: ${why}. Re-run on the same suite, or pass --allow-suite-mismatch to compare the scenarios both share`,
      );
    warnings.push(`suite mismatch allowed: ${why}; only shared, unchanged scenarios are compared`);
  }
  const jA = [...base.table.judgeHashes].sort().join(',');
  const jB = [...cand.table.judgeHashes].sort().join(',');
  const judgeHashMatch = jA === jB && base.table.judgeHashes.size === 1;
  if (!judgeHashMatch) {
    const why =
      jA === jB
        ? `judgments mix ${base.table.judgeHashes.size} judge definitions`
        : `judge hashes differ (${jA.slice(0, 12)} vs ${jB.slice(0, 12)}: ${[...base.table.judgeIds].sort().join('+')} vs ${[...cand.table.judgeIds].sort().join('+')})`;
    if (!allow.judge)
      throw new ComparabilityError(
        `${base.spec.spec} and ${cand.spec.spec} cannot be compared: ${why}. Judge both with the same judge, or pass --allow-judge-mismatch`,
      );
    warnings.push(`judge mismatch allowed: ${why}; differences may come from the judge, not the model`);
  }
  const mA = base.run.manifest?.scenarios ?? {};
  const mB = cand.run.manifest?.scenarios ?? {};
  const changed: string[] = [];
  const pairs: ScenarioPair[] = [];
  for (const a of base.table.sortedScenarios()) {
    const b = cand.table.scenarios.get(a.id);
    if (!b) continue;
    if (mA[a.id] !== undefined && mB[a.id] !== undefined && mA[a.id] !== mB[a.id]) {
      changed.push(a.id);
      continue;
    }
    pairs.push({ id: a.id, domain: a.domain, a, b });
  }
  const baseOnly = [...base.table.scenarios.keys()].filter((id) => !cand.table.scenarios.has(id)).sort();
  const candOnly = [...cand.table.scenarios.keys()].filter((id) => !base.table.scenarios.has(id)).sort();
  if (changed.length > 0)
    warnings.push(
      `${changed.length} scenarios changed between the runs and are excluded: ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', ...' : ''}`,
    );
  warnings.push(...servedModelWarnings(base, cand), ...settingChangeWarnings(base, cand));
  if (pairs.length === 0) throw new ComparabilityError(`${base.spec.spec} and ${cand.spec.spec} share no scenarios: nothing to compare`);
  const domains = [...new Set(pairs.map((p) => p.domain))].sort();
  return { pairs, domains, baseOnly, candOnly, changed, suiteHashMatch, judgeHashMatch, warnings };
}

/**
 * One run's target on both sides, judged alike (the same directory twice, or a run and a baseline
 * saved from it), shows no change whatever the model did: a gate would pass forever, e.g. when the committed baseline
 * was saved from the candidate run by mistake.
 */
function refuseSameTarget(base: Side, cand: Side): void {
  if (base.table.modelId !== cand.table.modelId) return;
  // The same answers judged again (judge --force with another judge) are a judge comparison, not a self-comparison.
  const judges = (s: Side) => [...s.table.judgeHashes].sort().join(',');
  if (judges(base) !== judges(cand)) return;
  const [a, b] = [base.run.manifest?.runId, cand.run.manifest?.runId];
  const same = a !== undefined && b !== undefined ? a === b : base.run.runDir === cand.run.runDir;
  if (!same) return;
  throw new ComparabilityError(
    `${base.spec.spec} and ${cand.spec.spec} are the same run's target (${a ?? base.run.runDir}, ${base.table.modelId}): comparing it with itself cannot show drift. ` +
      'Compare another run, or another target of this run (RUN#ID); a baseline must be saved from the base run, not the candidate',
  );
}

export function describeSide(
  side: Side,
  pairs: readonly {
    a: { cells: number; errored: number; den: { judged: number } };
    b: { cells: number; errored: number; den: { judged: number } };
  }[],
  which: 'a' | 'b',
): DiffSide {
  let judged = 0;
  let errored = 0;
  for (const p of pairs) {
    judged += p[which].den.judged;
    errored += p[which].errored;
  }
  return {
    spec: side.spec.spec,
    runDir: side.run.runDir,
    runId: side.run.manifest?.runId ?? null,
    modelId: side.table.modelId,
    suiteHash: side.run.manifest?.suiteHash ?? null,
    judgeHashes: [...side.table.judgeHashes].sort(),
    judgeIds: [...side.table.judgeIds].sort(),
    scenarios: side.table.scenarios.size,
    judged,
    errored,
    answers: side.table.answers(),
    ...(side.run.baseline ? { baseline: side.run.baseline.file } : {}),
  };
}
