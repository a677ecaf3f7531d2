import { promises as fsp, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../../core/errors.js';
import { AnalysisJudgmentSchema as JudgmentSchema } from '../../../records/analysis-judgment.js';
import type { Manifest } from '../../../records/manifest.js';
import { runFile } from '../../../records/run-files.js';
import { readManifest } from '../../../records/run-store.js';
import { readJsonl } from '../../../util/jsonl.js';
import { type Completeness, completenessOf, ForeignJudgments } from './completeness.js';
import { loadBaseline } from './load-baseline.js';
import { ModelTable } from './scenario-table.js';

export interface RunSpec {
  spec: string;
  /** The run directory, or the baseline file (absolute). */
  runDir: string;
  modelId: string | null;
  /** True when the path is a file: a baseline (`valuescope baseline save`), loaded by loadBaseline. */
  baseline?: boolean;
}

/** Parses `RUN_DIR`, `RUN_DIR#MODEL_ID`, `BASELINE_FILE` or `BASELINE_FILE#MODEL_ID`, resolving the path against cwd. */
export function parseRunSpec(spec: string, cwd: string): RunSpec {
  const hash = spec.lastIndexOf('#');
  const dir = hash === -1 ? spec : spec.slice(0, hash);
  const model = hash === -1 ? null : spec.slice(hash + 1);
  if (dir === '') throw new InputError(`"${spec}" names no run directory: use RUN_DIR or RUN_DIR#MODEL_ID`);
  if (model === '') throw new InputError(`"${spec}" has an empty model id after '#': use RUN_DIR#MODEL_ID`);
  const runDir = path.resolve(cwd, dir);
  const isFile = statSync(runDir, { throwIfNoEntry: false })?.isFile() === true;
  return { spec, runDir, modelId: model, ...(isFile ? { baseline: true } : {}) };
}

export interface LoadedRun {
  runDir: string;
  manifest: Manifest | null;
  /** One table per model, in first-seen order. */
  models: ModelTable[];
  notes: string[];
  /** What the judgments cover against the manifest's plan; null without a manifest. */
  completeness: Completeness | null;
  /** Set when the side is a baseline file (counts only: no transcripts, no per-cell judgments). */
  baseline?: { file: string; runId: string; harnessVersion: string };
  /** Watched values a baseline did not track when saved (normalised, sorted): a forbid rule on them is undecidable. */
  untracked?: string[];
}

/**
 * Streams RUN_DIR/judgments.jsonl into per-model sufficient statistics; a baseline file gives the
 * statistics it holds (load-baseline.ts). The one entry point: worker threads call it too.
 */
export async function loadRun(spec: RunSpec, watchlist: readonly string[]): Promise<LoadedRun> {
  if (spec.baseline) return loadBaseline(spec, watchlist);
  const notes: string[] = [];
  const manifest = await optionalManifest(spec.runDir, notes);
  const file = runFile(spec.runDir, 'judgments');
  try {
    await fsp.access(file);
  } catch {
    throw new InputError(`${file} does not exist: judge the run first (valuescope judge ${spec.runDir})`);
  }
  const watch = ModelTable.watchSet(watchlist);
  const tables = new Map<string, ModelTable>();
  const foreign = manifest ? new ForeignJudgments(manifest) : null;
  for await (const { value } of readJsonl(file, JudgmentSchema, {
    onTorn: (line, bytes) => notes.push(`${file}:${line}: dropped a torn last line (${bytes} bytes) left by an interrupted write`),
  })) {
    // Judgments of cells the run does not have are counted, never mixed into the statistics.
    if (foreign?.check(value)) continue;
    if (spec.modelId !== null && value.modelId !== spec.modelId) continue;
    let t = tables.get(value.modelId);
    if (!t) {
      t = new ModelTable(value.modelId, watch);
      tables.set(value.modelId, t);
    }
    t.add(value);
  }
  if (spec.modelId !== null && !tables.has(spec.modelId)) {
    const models = await listModels(file);
    // `RUN#assistant` for an entry with variants: its targets are `assistant@NAME`.
    const variants = models.filter((id) => id.startsWith(`${spec.modelId}@`));
    const hint =
      variants.length > 0
        ? `"${spec.modelId}" is a config entry with variants, each its own target: name one, e.g. ${spec.spec.slice(0, spec.spec.length - spec.modelId.length)}${variants[0]} (targets: ${variants.join(', ')})`
        : `check the id after '#' (models: ${models.join(', ') || 'none'})`;
    throw new InputError(`${file} has no judgments for model "${spec.modelId}": ${hint}`);
  }
  if (tables.size === 0) throw new InputError(`${file} holds no judgments: judge the run first (valuescope judge ${spec.runDir})`);
  for (const t of tables.values()) {
    if (t.duplicates > 0)
      notes.push(
        `${t.modelId}: ${t.duplicates} cells were judged successfully more than once; the first successful judgment of each was used`,
      );
  }
  const models = [...tables.values()];
  const completeness = manifest && foreign ? completenessOf(manifest, models, foreign.count) : null;
  if (!completeness) notes.push('no manifest: whether every cell was run and judged cannot be checked');
  return { runDir: spec.runDir, manifest, models, notes, completeness };
}

/**
 * The run's manifest, or null (with a note) when the directory has none but holds judgments (e.g.
 * judgments copied alone). A path with neither, or a file, is not a run directory: readManifest says
 * so and what to pass instead, rather than "judge the run first".
 */
async function optionalManifest(runDir: string, notes: string[]): Promise<Manifest | null> {
  const exists = (file: string) =>
    fsp.access(file).then(
      () => true,
      () => false,
    );
  if ((await exists(runFile(runDir, 'manifest'))) || !(await exists(runFile(runDir, 'judgments')))) return readManifest(runDir);
  notes.push(`${runFile(runDir, 'manifest')} is missing: suite hash unknown, comparability checks use judgments only`);
  return null;
}

async function listModels(file: string): Promise<string[]> {
  const ids = new Set<string>();
  for await (const { value } of readJsonl(file, JudgmentSchema)) ids.add(value.modelId);
  return [...ids];
}
