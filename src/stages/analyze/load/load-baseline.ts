import { promises as fsp } from 'node:fs';
import { InputError } from '../../../core/errors.js';
import { BASELINE_KIND, BASELINE_VERSION, type BaselineFile, BaselineFileSchema, BaselineHeaderSchema } from '../../../records/baseline.js';
import { jsonErrorLine } from '../../../records/run-dir-check.js';
import { storageError } from '../../../util/jsonl.js';
import { countProblems } from './baseline-counts.js';
import { tableFromBaseline } from './baseline-table.js';
import type { LoadedRun, RunSpec } from './load-run.js';
import { ModelTable } from './scenario-table.js';

const RESAVE = 'valuescope baseline save RUN_DIR#MODEL_ID --out FILE';

/** The file part of a spec as the user typed it (`baselines/a.json` of `baselines/a.json#a`). */
function baselinePathOf(spec: RunSpec): string {
  return spec.modelId === null ? spec.spec : spec.spec.slice(0, spec.spec.length - spec.modelId.length - 1);
}

/**
 * A baseline file as a LoadedRun: its one target's table, its trimmed manifest and the completeness
 * recorded when it was saved, so diff and gate treat it exactly as the run it was saved from. Values
 * the analysis watches that the baseline did not track are listed in `untracked` (a forbid rule on
 * them cannot be decided from this file).
 */
export async function loadBaseline(spec: RunSpec, watchlist: readonly string[]): Promise<LoadedRun> {
  const given = baselinePathOf(spec);
  const file = await readBaselineFile(spec.runDir, given);
  const { table, manifest, saved } = file;
  if (spec.modelId !== null && spec.modelId !== table.modelId) {
    throw new InputError(
      `${given} is a baseline of "${table.modelId}" (run ${saved.from.runId}), not of "${spec.modelId}": pass ${given}#${table.modelId} or just ${given}`,
    );
  }
  const wanted = ModelTable.watchSet(watchlist);
  const tracked = new Set(file.watchlist);
  const untracked = [...wanted].filter((v) => !tracked.has(v)).sort();
  const notes = [
    `${given} is a baseline of ${table.modelId} from run ${saved.from.runId} (saved by valuescope ${saved.harnessVersion}): counts only, no transcripts`,
  ];
  if (untracked.length > 0)
    notes.push(`${given} did not track ${untracked.join(', ')} when it was saved: save it again with this config to watch them`);
  return {
    runDir: spec.runDir,
    manifest: { ...manifest, notes: [...manifest.notes] },
    models: [ModelTable.fromSnapshot(tableFromBaseline(table, wanted))],
    notes,
    completeness: { ...file.completeness, models: file.completeness.models.map((m) => ({ ...m })), shard: file.completeness.shard },
    baseline: { file: given, runId: saved.from.runId, harnessVersion: saved.harnessVersion },
    untracked,
  };
}

/** Reads and checks a baseline file (`given`: as the user named it): JSON, its kind and format version, the schema, and that its parts agree. */
export async function readBaselineFile(absolute: string, given: string): Promise<BaselineFile> {
  let text: string;
  try {
    text = await fsp.readFile(absolute, 'utf8');
  } catch (e) {
    throw storageError(absolute, e);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message}); a baseline is written by: ${RESAVE}`, {
      file: given,
      line: jsonErrorLine(text, e),
    });
  }
  const header = BaselineHeaderSchema.safeParse(json);
  const kind = header.success ? header.data.kind : undefined;
  if (kind !== BASELINE_KIND) {
    throw new InputError(
      `${given} is not a run directory but a file, and not a valuescope baseline (no "kind": "${BASELINE_KIND}"): pass a run directory such as results/<run-id>, or a baseline file written by: ${RESAVE}`,
    );
  }
  const v = header.success ? header.data.v : undefined;
  if (typeof v === 'number' && v > BASELINE_VERSION) {
    throw new InputError(
      `${given} is a baseline in format v${v}, written by a newer valuescope; this one reads v${BASELINE_VERSION}: upgrade valuescope, or save the baseline again with this version (${RESAVE})`,
    );
  }
  const parsed = BaselineFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(top level)';
    throw new InputError(`${issue.message}: not a valid valuescope baseline (damaged or edited by hand); save it again with: ${RESAVE}`, {
      file: given,
      ...lineOf(text, issue.path),
      path: field,
    });
  }
  checkConsistent(parsed.data, given);
  const bad = countProblems(parsed.data)[0];
  if (bad)
    throw new InputError(`${bad.message}: impossible counts (the file was edited by hand or merged badly); save it again with: ${RESAVE}`, {
      file: given,
      ...lineOf(text, bad.path),
      path: bad.path.map(String).join('.'),
    });
  return parsed.data;
}

/**
 * The line of `path` in canonical JSON (2-space indent, one key per line): each key is looked for at
 * its depth, after its parent and before the parent's object ends. Stops at an array index (the
 * line of the array is given) and gives no line when the first key cannot be found.
 */
function lineOf(text: string, path: readonly PropertyKey[]): { line?: number } {
  const lines = text.split('\n');
  let from = 1; // line 0 is the opening brace
  let found = -1;
  for (const [depth, key] of path.entries()) {
    if (typeof key !== 'string') break;
    const indent = '  '.repeat(depth + 1);
    const prefix = `${indent}${JSON.stringify(key)}:`;
    let i = from;
    // A line indented less than the key's depth closes the parent object: the key is not in it.
    while (i < lines.length && !lines[i]!.startsWith(prefix) && (lines[i]!.startsWith(indent) || lines[i] === '')) i++;
    if (i >= lines.length || !lines[i]!.startsWith(prefix)) break;
    found = i;
    from = i + 1;
  }
  return found === -1 ? {} : { line: found + 1 };
}

/** The parts a valid file must agree on: one target, named alike in the table, the manifest and the completeness. */
function checkConsistent(b: BaselineFile, given: string): void {
  const id = b.saved.from.modelId;
  const problems = [
    b.table.modelId !== id && `table.modelId is "${b.table.modelId}" but saved.from.modelId is "${id}"`,
    b.manifest.runId !== b.saved.from.runId && `manifest.runId is "${b.manifest.runId}" but saved.from.runId is "${b.saved.from.runId}"`,
    (b.manifest.models.length !== 1 || b.manifest.models[0]!.id !== id) && `manifest.models must hold exactly the entry of "${id}"`,
    b.completeness.models.some((m) => m.modelId !== id) && `completeness.models must hold only "${id}"`,
    Object.values(b.table.watch).some((w) => w.cellIds.length !== w.cellDomains.length) &&
      'table.watch: every cellIds list must have a cellDomains entry per id',
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0)
    throw new InputError(`${given} is not a consistent valuescope baseline: ${problems[0]}; save it again with: ${RESAVE}`);
}
