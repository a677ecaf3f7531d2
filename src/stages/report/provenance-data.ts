import type { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { type Manifest, ManifestSchema } from '../../records/manifest.js';
import { type ModelProfile, type ProfileFile, ProfileFileSchema } from '../../records/profile.js';
import { runFile } from '../../records/run-files.js';
import { type Cost, type JudgeCheck, judgeCost, modelCost, type RunPrices, readJudgeCheck, runPrices } from './provenance-cost.js';
import {
  type CellTally,
  emptyCells,
  type JudgeTally,
  type ReadProblems,
  tallyJudgments,
  tallyTranscripts,
  ZERO_TOKENS,
} from './provenance-tally.js';
import { readJsonFile } from './read-json.js';

export type { Cost, JudgeCheck } from './provenance-cost.js';
export type { Tokens } from './provenance-tally.js';

/** One side of a diff or gate (a run directory and a model), or a whole run (modelId null: one column per model). */
export interface ProvenanceSource {
  runDir: string;
  modelId: string | null;
  label: string;
}

/** Which models answered, as the API reported them, from the transcripts (or profile.json when a run has none). */
export interface ServedFacts {
  identities: { model: string; fingerprint?: string; cells: number }[];
  unrecorded: number;
}

/** One column of the provenance table: one model of one run directory. */
export interface ProvenanceColumn {
  label: string;
  runDir: string;
  modelId: string;
  /** null when the run directory has no (readable) manifest.json. */
  manifest: Manifest | null;
  /** The model's entry in manifest.json: provider, wire name, parameters. */
  model: Manifest['models'][number] | null;
  /** null when there is no transcripts.jsonl (imports of judgments, synthetic runs). */
  cells: CellTally | null;
  /** Answered and reused cells: from the transcripts, else from profile.json; null when neither says. */
  answers: { answered: number; reused: number } | null;
  served: ServedFacts | null;
  /** null when there is no judgments.jsonl (not judged yet). */
  judge: JudgeTally | null;
  /** The run directory's judge-check report; null when there is none. */
  validation: JudgeCheck | null;
  /** `saved`: USD the reused answers would have cost at the same prices (present only when some were reused and priced). */
  cost: { model: Cost; judge: Cost; saved?: number };
}

export interface ProvenanceData {
  columns: ProvenanceColumn[];
  /** Sides asked for: two for a diff or gate, one for a run report (whose columns are its models). */
  sides: number;
}

interface RunDirData {
  manifest: Manifest | null;
  profile: ProfileFile | null;
  cells: Map<string, CellTally> | null;
  judge: Map<string, JudgeTally> | null;
  prices: RunPrices;
  check: JudgeCheck | null;
}

/** A damaged JSON file costs the report its provenance figures, not the report. */
async function readOptional<T>(file: string, schema: z.ZodType<T>, notes: string[]): Promise<T | null> {
  try {
    return await readJsonFile(file, schema, 'provenance figures from it are left out');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    notes.push(e.message);
    return null;
  }
}

async function readRunDir(runDir: string, notes: string[], env: Record<string, string | undefined>): Promise<RunDirData> {
  const problems: ReadProblems = {
    onTorn: (file, line) => notes.push(`${file}:${line}: dropped a torn last line`),
    onInvalid: (file, count, first) => notes.push(`${file}: ${count} invalid lines left out of the provenance figures (first: ${first})`),
  };
  const manifest = await readOptional(runFile(runDir, 'manifest'), ManifestSchema, notes);
  return {
    manifest,
    profile: await readOptional(runFile(runDir, 'profile'), ProfileFileSchema, notes),
    cells: await tallyTranscripts(runDir, problems),
    judge: await tallyJudgments(runDir, problems),
    prices: await runPrices(manifest, env),
    check: await readJudgeCheck(runDir, notes),
  };
}

/** The model ids of a whole run: the config's order first, then any only the files know. */
function modelIdsOf(d: RunDirData): string[] {
  const ids = (d.manifest?.models ?? []).map((m) => m.id);
  for (const k of [...(d.cells?.keys() ?? []), ...(d.judge?.keys() ?? []), ...(d.profile?.models ?? []).map((m) => m.modelId)])
    if (!ids.includes(k)) ids.push(k);
  return ids;
}

function servedFromCells(c: CellTally): ServedFacts {
  const identities = Object.entries(c.served)
    .map(([key, cells]) => {
      const [model = '', fingerprint = ''] = key.split('\u0000');
      return { model, ...(fingerprint !== '' ? { fingerprint } : {}), cells };
    })
    .sort((a, b) => b.cells - a.cells || a.model.localeCompare(b.model));
  return { identities, unrecorded: c.servedUnrecorded };
}

function servedFromProfile(p: ModelProfile | undefined): ServedFacts | null {
  if (!p?.served) return null;
  return {
    identities: p.served.identities.map(({ model, fingerprint, cells }) => ({ model, ...(fingerprint ? { fingerprint } : {}), cells })),
    unrecorded: p.served.unrecorded,
  };
}

function column(d: RunDirData, runDir: string, modelId: string, label: string): ProvenanceColumn {
  const model = d.manifest?.models.find((m) => m.id === modelId) ?? null;
  const cells = d.cells?.get(modelId) ?? (d.cells ? emptyCells() : null);
  const judge = d.judge?.get(modelId) ?? null;
  const profiled = d.profile?.models.find((m) => m.modelId === modelId);
  const answers = cells
    ? { answered: cells.answered, reused: cells.reused }
    : profiled?.answers
      ? { answered: profiled.answers.cells, reused: profiled.answers.cached }
      : null;
  return {
    label,
    runDir,
    modelId,
    manifest: d.manifest,
    model,
    cells,
    answers,
    served: cells ? servedFromCells(cells) : servedFromProfile(profiled),
    judge,
    validation: d.check,
    cost: costOf(d.prices, model?.model ?? null, cells, judge),
  };
}

function costOf(prices: RunPrices, wireModel: string | null, cells: CellTally | null, judge: JudgeTally | null): ProvenanceColumn['cost'] {
  const reused = cells?.reusedTokens ?? ZERO_TOKENS;
  const saved = reused.input + reused.output > 0 ? modelCost(prices, wireModel, reused) : undefined;
  return {
    model: modelCost(prices, wireModel, cells?.tokens ?? ZERO_TOKENS),
    judge: judgeCost(prices, judge?.judgeModels ?? [], judge?.tokens ?? ZERO_TOKENS),
    ...(saved && 'usd' in saved ? { saved: saved.usd } : {}),
  };
}

/**
 * The provenance of each side (diff, gate) or of each model of a run: manifest, transcripts,
 * judgments, the run's config (for prices) and judge-check.json. Each run directory is read once,
 * streaming; memory is one line number per cell. Problems become `notes`, never a failed report.
 * `env` interpolates `${VAR}` in the run's config file, as `run` did when it hashed it.
 */
export async function gatherProvenance(
  sources: readonly ProvenanceSource[],
  notes: string[],
  options: { env?: Record<string, string | undefined> } = {},
): Promise<ProvenanceData> {
  const dirs = new Map<string, RunDirData>();
  const columns: ProvenanceColumn[] = [];
  for (const s of sources) {
    const d = dirs.get(s.runDir) ?? (await readRunDir(s.runDir, notes, options.env ?? {}));
    dirs.set(s.runDir, d);
    if (s.modelId !== null) columns.push(column(d, s.runDir, s.modelId, s.label));
    else for (const id of modelIdsOf(d)) columns.push(column(d, s.runDir, id, id));
  }
  return { columns, sides: sources.length };
}
