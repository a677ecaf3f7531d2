import path from 'node:path';
import type { AppContext } from '../../core/context.js';
import { BaselineFileSchema } from '../../records/baseline.js';
import type { DiffFile, DiffSide, GateResult } from '../../records/diff.js';
import { isIncompleteNote } from '../../records/incomplete-note.js';
import { type Manifest, ManifestSchema } from '../../records/manifest.js';
import { type ModelProfile, ProfileFileSchema } from '../../records/profile.js';
import { runFile } from '../../records/run-files.js';
import { isSyntheticManifest } from '../../records/synthetic.js';
import { labelProvenanceLines } from './content-corrected.js';
import { diffReport, gateReport } from './content-diff.js';
import type { ProfilePair } from './content-profile.js';
import { provenanceBlocks } from './content-provenance.js';
import { diffView, gateOnlyView, sideLabelsOf } from './diff-view.js';
import { type ExampleTarget, findExamplePairs, type PairsFound } from './example-pairs.js';
import { exists, type Prepared } from './prepared.js';
import { profileView } from './profile-view.js';
import { gatherProvenance } from './provenance-data.js';
import { readJsonFile } from './read-json.js';
import type { CellSource } from './transcript-data.js';
import type { DiffView } from './view-model.js';

/** A side's run directory as recorded in diff.json: absolute, or relative to cwd or to the diff directory. */
async function sideRunDir(side: DiffSide, dir: string, cwd: string): Promise<string | null> {
  const candidates = path.isAbsolute(side.runDir) ? [side.runDir] : [path.resolve(cwd, side.runDir), path.resolve(dir, side.runDir)];
  for (const c of candidates) if (await exists(c)) return c;
  return null;
}

interface SideRead {
  side: DiffSide;
  label: string;
  role: 'base' | 'cand';
  runDir: string | null;
  profile: ModelProfile | undefined;
  manifest: Manifest | null;
}

async function readSide(
  side: DiffSide,
  label: string,
  role: SideRead['role'],
  dir: string,
  cwd: string,
  notes: string[],
): Promise<SideRead> {
  if (side.baseline !== undefined) return readBaselineSide(side, label, role, dir, cwd, notes);
  const runDir = await sideRunDir(side, dir, cwd);
  if (!runDir) {
    notes.push(`run directory ${side.runDir} (${label}) not found: its profile charts and transcripts are left out`);
    return { side, label, role, runDir, profile: undefined, manifest: null };
  }
  const profile = await readJsonFile(runFile(runDir, 'profile'), ProfileFileSchema, `re-create it with: valuescope profile ${runDir}`);
  const manifest = await readJsonFile(runFile(runDir, 'manifest'), ManifestSchema, 'the run directory is damaged; re-run or re-import it');
  const m = profile?.models.find((x) => x.modelId === side.modelId);
  if (!m) notes.push(`no profile for ${side.modelId} in ${runDir}: run valuescope profile ${runDir} for its profile tables and charts`);
  return { side, label, role, runDir, profile: m, manifest };
}

/**
 * A baseline side (diff.json's `baseline`): counts only, so no profile charts or transcripts; its
 * trimmed manifest is read when the file is still there, so a synthetic baseline keeps its banner.
 */
async function readBaselineSide(
  side: DiffSide,
  label: string,
  role: SideRead['role'],
  dir: string,
  cwd: string,
  notes: string[],
): Promise<SideRead> {
  notes.push(`baseline file ${side.baseline} (${label}): counts only; its profile charts and example transcripts are not available`);
  const file = await sideRunDir(side, dir, cwd);
  const baseline = file
    ? await readJsonFile(file, BaselineFileSchema, 'save it again with: valuescope baseline save RUN_DIR#MODEL_ID --out FILE').catch(
        (e: unknown) => {
          notes.push(`${file} cannot be read as a baseline any more (${(e as Error).message})`);
          return null;
        },
      )
    : null;
  return { side, label, role, runDir: null, profile: undefined, manifest: baseline?.manifest ?? null };
}

/** Per-domain changes given examples, largest first: the finder's memory grows with targets × scenarios. */
const DOMAIN_TARGETS = 40;

/**
 * Every rule that did not pass, every significant overall change and the largest significant
 * per-domain ones get up to three paired examples.
 */
function exampleTargets(view: DiffView, gate: GateResult | null): ExampleTarget[] {
  const open = new Set((gate?.rules ?? []).filter((r) => r.status !== 'pass').map((r) => r.name));
  const domainRows = view.changes
    .filter((c) => c.domain !== null && c.significant && c.gateRule === undefined)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
    .slice(0, DOMAIN_TARGETS);
  const chosen = new Set(domainRows);
  return view.changes.flatMap((c, i) => {
    const wanted = (c.gateRule !== undefined && open.has(c.gateRule)) || (c.significant && (c.domain === null || chosen.has(c)));
    if (!c.metric || c.delta === 0 || !wanted) return [];
    const rule = c.gateRule && c.gateRule.toLowerCase() !== c.name.toLowerCase() ? `${c.gateRule}: ` : '';
    const title = `${rule}${c.name}${c.domain ? ` (${c.domain})` : ''}`;
    const detail = `${c.delta < 0 ? 'Fell' : 'Rose'} from ${(c.base * 100).toFixed(1)}% to ${(c.candidate * 100).toFixed(1)}%. Scenarios where the two sides differ most in that direction: ${view.baseLabel} on the left, ${view.candidateLabel} on the right.`;
    return [{ id: `ex-${i}`, metric: c.metric, domain: c.domain, delta: c.delta, title, detail }];
  });
}

/** diff.json and gate.json describe the same comparison: the same runs and models on each side. */
function sameSides(diff: DiffFile, gate: GateResult): boolean {
  const same = (a: DiffSide, b: DiffSide) => a.runDir === b.runDir && a.modelId === b.modelId && a.runId === b.runId;
  return same(diff.base, gate.base) && same(diff.cand, gate.cand);
}

/** An older diff.json of other runs beside this gate's gate.json is left out (noted): the report is the gate's alone, never a mix. */
function matchingDiff(diff: DiffFile | null, gate: GateResult | null, dir: string, notes: string[]): DiffFile | null {
  if (!diff || !gate || sameSides(diff, gate)) return diff;
  notes.push(
    `diff.json in ${dir} compares other runs than gate.json (${diff.base.spec} vs ${diff.cand.spec}): left out; re-run valuescope diff --out ${dir} for the changes`,
  );
  return null;
}

/** The candidate profile's watch-list hits the gate did not list, with cell ids as the page spells them. */
function addWatchHits(view: DiffView, cand: ModelProfile | undefined, candPrefix: string): void {
  for (const h of cand?.watchlist.hits ?? [])
    if (!view.watchlistHits.some((w) => w.value === h.value)) view.watchlistHits.push({ value: h.value, count: h.cells, cells: h.cellIds });
  if (!candPrefix) return;
  view.candCellPrefix = candPrefix;
  for (const w of view.watchlistHits) w.cells = w.cells.map((id) => candPrefix + id);
}

const NO_EXAMPLES: PairsFound = { sets: [], changedScenarios: new Set<string>(), parents: new Map<string, string>() };

/** Finds the paired examples and marks each change that has some with its example id. */
async function examplesOf(
  view: DiffView,
  gate: GateResult | null,
  [base, cand]: [SideRead, SideRead],
  prefix: { base: string; cand: string },
  watchlist: ReadonlySet<string>,
): Promise<PairsFound> {
  const targets = exampleTargets(view, gate);
  if (!base.runDir || !cand.runDir) return NO_EXAMPLES;
  const found = await findExamplePairs(
    { runDir: base.runDir, modelId: base.side.modelId, idPrefix: prefix.base },
    { runDir: cand.runDir, modelId: cand.side.modelId, idPrefix: prefix.cand },
    targets,
    watchlist,
  );
  const withExamples = new Set(found.sets.map((s) => s.id));
  for (const t of targets) if (withExamples.has(t.id)) view.changes[Number(t.id.slice(3))]!.exampleId = t.id;
  return found;
}

/** For a diff directory (diff.json, optional gate.json) or a gate-only one (gate.json). */
export async function prepareDiff(
  dir: string,
  diff: DiffFile | null,
  gate: GateResult | null,
  ctx: Pick<AppContext, 'cwd' | 'env'>,
  notes: string[],
  /** false: no paired examples (a Markdown-only rendering, such as the step summary, cannot show them). */
  withExamples = true,
): Promise<Prepared> {
  const { cwd } = ctx;
  diff = matchingDiff(diff, gate, dir, notes);
  const sides = diff ? { base: diff.base, cand: diff.cand } : { base: gate!.base, cand: gate!.cand };
  const prefix = sides.base.modelId === sides.cand.modelId ? { base: 'base:', cand: 'cand:' } : { base: '', cand: '' };
  const labels = sideLabelsOf(sides.base, sides.cand);
  const base = await readSide(sides.base, labels.base, 'base', dir, cwd, notes);
  const cand = await readSide(sides.cand, labels.cand, 'cand', dir, cwd, notes);
  const watchlist = new Set([...(base.profile?.watchlist.list ?? []), ...(cand.profile?.watchlist.list ?? [])]);
  const view = diff ? diffView(diff, gate, watchlist) : gateOnlyView(gate!, watchlist);
  addWatchHits(view, cand.profile, prefix.cand);
  const pairs: ProfilePair[] = [base, cand].flatMap((s) =>
    s.profile ? [{ profile: s.profile, view: profileView(s.profile, s.label) }] : [],
  );
  const read = [base, cand].filter((s): s is SideRead & { runDir: string } => s.runDir !== null);
  const sources: CellSource[] = read.map((s) => ({
    runDir: s.runDir,
    modelId: s.side.modelId,
    label: s.label,
    side: s.role,
    ...(prefix[s.role] ? { idPrefix: prefix[s.role] } : {}),
  }));
  const found = withExamples ? await examplesOf(view, gate, [base, cand], prefix, watchlist) : NO_EXAMPLES;
  const provenance = provenanceBlocks(
    await gatherProvenance(
      sources.map((s) => ({ runDir: s.runDir, modelId: s.modelId, label: s.label ?? s.runDir })),
      notes,
      { env: ctx.env },
    ),
    sideLabelLines(diff?.labels ?? gate?.labels, labels),
  );
  // A diff's report.md is a PR comment (< 8 KB): its provenance is the one-line summary, the tables are in report.html.
  const tail = { pairs, provenance: provenance.map((b) => (b.kind === 'details' ? { ...b, htmlOnly: true } : b)) };
  const { title, blocks } = diff
    ? diffReport({ diff, view, gate, watchlist, parents: found.parents }, tail)
    : gateReport(gate!, view, tail);
  const incomplete = new Set([...(diff?.comparability.warnings ?? []), ...(gate?.warnings ?? [])].filter(isIncompleteNote));
  return {
    kind: diff ? 'diff' : 'gate',
    title,
    blocks,
    pairs,
    diff: view,
    sources,
    incomplete: [...incomplete],
    synthetic: [base, cand].some((s) => isSyntheticManifest(s.manifest?.notes)),
    examples: { baseLabel: labels.base, candidateLabel: labels.cand, sets: found.sets },
    changedScenarios: found.changedScenarios,
    watchlist,
  };
}

/** The labels' provenance lines of a diff or gate given human labels (none otherwise). */
function sideLabelLines(l: DiffFile['labels'], names: { base: string; cand: string }): string[] {
  if (!l) return [];
  return labelProvenanceLines([
    { label: `base (${names.base})`, labels: l.base },
    { label: `candidate (${names.cand})`, labels: l.cand },
  ]);
}
