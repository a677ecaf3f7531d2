import { availableParallelism } from 'node:os';
import { InputError, UsageError } from '../../../core/errors.js';
import type { Side } from '../diff/pair-sides.js';
import { type LoadedRun, parseRunSpec, type RunSpec } from '../load/load-run.js';
import { loadRunsInParallel } from '../load/load-run-parallel.js';

/** One input of a history: a loaded side with its date (manifest startedAt) and input position. */
export interface HistorySide extends Side {
  date: string;
  /** Position on the command line: breaks ties between equal dates. */
  order: number;
}

export interface HistorySpecs {
  specs: readonly string[];
  /** The target of every spec without '#'. */
  target?: string | undefined;
  cwd: string;
  watchlist: readonly string[];
}

/** Parses every spec (RUN_DIR, RUN_DIR#TARGET, or a baseline file), applying --target to those without '#'. */
function parseSpecs(o: HistorySpecs): { spec: RunSpec; named: boolean }[] {
  if (o.specs.length < 2)
    throw new UsageError(
      `history needs at least 2 runs, got ${o.specs.length}: valuescope history RUN_OR_BASELINE RUN_OR_BASELINE... (add more runs of the same target)`,
    );
  if (o.target !== undefined && o.target.trim() === '') throw new UsageError('--target is empty: pass the target id, e.g. --target claude');
  const parsed = o.specs.map((s) => {
    const spec = parseRunSpec(s, o.cwd);
    const explicit = spec.modelId !== null;
    // A target the user named (with '#' or --target), as opposed to a run's only model picked implicitly.
    return { spec: explicit || o.target === undefined ? spec : { ...spec, modelId: o.target }, named: explicit || o.target !== undefined };
  });
  return parsed;
}

/** Loads a few runs at a time (one worker thread each), so a long history does not start one thread per run at once. */
async function loadAll(specs: readonly RunSpec[], watchlist: readonly string[]): Promise<LoadedRun[]> {
  const width = Math.max(2, availableParallelism());
  const runs: LoadedRun[] = [];
  for (let i = 0; i < specs.length; i += width) runs.push(...(await loadRunsInParallel(specs.slice(i, i + width), watchlist)));
  return runs;
}

function pickTarget(spec: RunSpec, run: LoadedRun): Side['table'] {
  const ids = run.models.map((m) => m.modelId).join(', ');
  if (spec.modelId !== null) {
    const named = run.models.find((m) => m.modelId === spec.modelId);
    if (named) return named;
    throw new InputError(`${spec.spec} has no target "${spec.modelId}" (targets: ${ids}): check --target or the id after '#'`);
  }
  if (run.models.length === 1) return run.models[0]!;
  throw new UsageError(
    `${spec.spec} holds ${run.models.length} targets (${ids}): history follows one target; pass --target ID or name it as ${spec.spec}#ID`,
  );
}

function dateOf(spec: RunSpec, run: LoadedRun): string {
  const date = run.manifest?.startedAt;
  if (date === undefined)
    throw new InputError(
      `${spec.spec} has no manifest.json, so its date is unknown: history orders runs by the manifest's startedAt; pass the run directory that holds manifest.json (or a baseline file)`,
    );
  if (Number.isNaN(Date.parse(date)))
    throw new InputError(`startedAt "${date}" is not a date: history orders runs by it; fix or restore the manifest`, {
      file: spec.runDir,
      path: 'startedAt',
    });
  return date;
}

/**
 * History follows one target. Targets with different ids are accepted only when the user named every
 * run's target (RUN#TARGET, or --target): a renamed model is still one history, and a warning says
 * so. A run whose only model was picked implicitly and differs from the others is a usage error.
 */
function checkOneTarget(sides: readonly HistorySide[], named: readonly boolean[]): string[] {
  const ids = [...new Set(sides.map((s) => s.table.modelId))];
  if (ids.length === 1) return [];
  if (named.every(Boolean))
    return [
      `the target is named differently across runs (${sides.map((s) => `${s.spec.spec}`).join(', ')}): followed as one history, as named`,
    ];
  const first = sides[0]!;
  const other = sides.find((s) => s.table.modelId !== first.table.modelId)!;
  throw new UsageError(
    `history follows one target, but ${first.spec.spec} is "${first.table.modelId}" and ${other.spec.spec} is "${other.table.modelId}": ` +
      'pass --target ID, or name every run as RUN#TARGET to follow a renamed target',
  );
}

/**
 * The same run's target given twice, by the same spec or under another name (a run directory and its
 * baseline file, RUN and RUN#TARGET), would compare it with itself: a null test that only dilutes the
 * BH family. Recognised by run id and target, once loaded.
 */
function refuseRepeats(sides: readonly HistorySide[]): void {
  const seen = new Map<string, string>();
  for (const s of sides) {
    const runId = s.run.manifest?.runId;
    if (runId === undefined) continue;
    const key = JSON.stringify([runId, s.table.modelId]);
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw new UsageError(
        `${s.spec.spec} and ${earlier} are the same run (${runId}, target ${s.table.modelId}): each run may appear once in a history, and this one is given twice`,
      );
    seen.set(key, s.spec.spec);
  }
}

/** Loads every input, picks its target, dates it and returns the sides oldest first (input order breaks ties), with warnings. */
export async function loadHistorySides(o: HistorySpecs): Promise<{ sides: HistorySide[]; warnings: string[] }> {
  const parsed = parseSpecs(o);
  const runs = await loadAll(
    parsed.map((p) => p.spec),
    o.watchlist,
  );
  const sides = parsed.map(({ spec }, order): HistorySide => {
    const run = runs[order]!;
    return { spec, run, table: pickTarget(spec, run), date: dateOf(spec, run), order };
  });
  refuseRepeats(sides);
  const warnings = checkOneTarget(
    sides,
    parsed.map((p) => p.named),
  );
  sides.sort((a, b) => Date.parse(a.date) - Date.parse(b.date) || a.order - b.order);
  return { sides, warnings };
}
