import path from 'node:path';
import { GATE_DEFAULTS } from '../config/gate-schema.js';
import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import { DEFAULT_WATCHLIST } from '../config/schema.js';
import type { AppContext } from '../core/context.js';
import { InputError, UsageError } from '../core/errors.js';
import { incompleteNote } from '../records/incomplete-note.js';
import type { LabelInput } from '../stages/analyze/corrected/corrected-labels.js';
import { incompleteness } from '../stages/analyze/load/completeness.js';
import type { LoadedRun } from '../stages/analyze/load/load-run.js';
import { loadTaxonomy, resolveTaxonomyPath } from '../taxonomy/index.js';

/**
 * The config an analysis command reads: --config only. `./config.yaml` is not read implicitly: it may
 * belong to another machine (unset `${VAR}`s), another tool, or name label files of another run, and
 * an analysis of files already written must not fail on it. `gate` is different: its rules are the
 * config (it defaults to ./config.yaml).
 */
export async function maybeConfig(file: string | undefined, ctx: AppContext): Promise<LoadedConfig | null> {
  return file === undefined ? null : loadConfig(file, { env: ctx.env, cwd: ctx.cwd });
}

export function watchlistOf(cfg: LoadedConfig | null): string[] {
  return cfg?.config.watchlist ?? DEFAULT_WATCHLIST;
}

/**
 * alpha, resamples and seed for profile and diff: the flag, else the config's `gate` section, else
 * the one default (GATE_DEFAULTS, which the config schema applies too). The gate reads the same
 * section, so a diff and a gate of the same sides compute the same (1 - alpha) intervals.
 */
export function analysisSettings(
  cfg: LoadedConfig | null,
  flags: { resamples?: string | undefined; seed?: string | undefined },
): { alpha: number; resamples: number; seed: number } {
  const gate = cfg?.config.gate;
  return {
    alpha: gate?.alpha ?? GATE_DEFAULTS.alpha,
    resamples: intFlag(flags.resamples, 'resamples', 0) ?? gate?.resamples ?? GATE_DEFAULTS.resamples,
    seed: intFlag(flags.seed, 'seed', 0) ?? gate?.seed ?? GATE_DEFAULTS.seed,
  };
}

function intFlag(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/**
 * Refuses (exit 2) a run whose cells were not all run and judged, or whose judgments failed too
 * often or belong to cells it does not have, naming the counts and the fix. With
 * `allowIncomplete` it returns the same reasons, which the command writes into its output.
 */
export function requireComplete(
  runs: readonly { run: LoadedRun; modelId?: string }[],
  o: { allowIncomplete: boolean; cfg: LoadedConfig | null },
): string[] {
  const max = o.cfg?.config.gate.maxJudgeErrorShare ?? GATE_DEFAULTS.maxJudgeErrorShare;
  const reasons = runs.flatMap(({ run, modelId }) => {
    if (!run.completeness) return [];
    const c =
      modelId === undefined
        ? run.completeness
        : { ...run.completeness, models: run.completeness.models.filter((m) => m.modelId === modelId) };
    // A baseline is named as the user gave it; its fixes are made on the run it was saved from.
    return run.baseline ? incompleteness(c, run.baseline.file, max, { runId: run.baseline.runId }) : incompleteness(c, run.runDir, max);
  });
  if (reasons.length > 0 && !o.allowIncomplete) {
    throw new InputError(
      `the input is incomplete:\n  ${reasons.join('\n  ')}\nFix it as above, or pass --allow-incomplete to analyse it anyway (every output then says INCOMPLETE).`,
    );
  }
  return reasons.map(incompleteNote);
}

/**
 * The human label files for judge-corrected estimates: --labels (relative to cwd), else the config's
 * judge.labels (relative to the config file); null when neither names any. Human value names are
 * mapped with the config's taxonomy (the built-in tree without a config), as the judge's were.
 */
export async function labelInput(
  flagFiles: readonly string[] | undefined,
  cfg: LoadedConfig | null,
  ctx: AppContext,
): Promise<LabelInput | null> {
  const fromConfig = cfg?.config.judge.labels;
  const files =
    flagFiles && flagFiles.length > 0
      ? flagFiles.map((f) => path.resolve(ctx.cwd, f))
      : (fromConfig ?? []).map((f) => path.resolve(cfg!.dir, f));
  if (files.length === 0) return null;
  const t = cfg?.config.taxonomy;
  const taxonomy = await loadTaxonomy({
    path: t?.path ? resolveTaxonomyPath(t.path, cfg!.dir, ctx.env) : undefined,
    threshold: t?.threshold ?? 0.5,
  });
  return { files, map: (name) => taxonomy.match(name) };
}
