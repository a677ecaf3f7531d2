import path from 'node:path';
import type { DiffFile, DiffSide, GateResult } from '../../records/diff.js';
import { isIncompleteNote } from '../../records/incomplete-note.js';
import { ProfileFileSchema } from '../../records/profile.js';
import { runFile } from '../../records/run-files.js';
import { diffReport, gateReport } from './content-diff.js';
import type { ProfilePair } from './content-profile.js';
import { diffView, gateOnlyView, sideLabelsOf } from './diff-view.js';
import { exists, type Prepared } from './prepared.js';
import { profileView } from './profile-view.js';
import { readJsonFile } from './read-json.js';
import type { CellSource } from './transcript-data.js';

/** A side's run directory as recorded in diff.json: absolute, or relative to cwd or to the diff directory. */
async function sideRunDir(side: DiffSide, dir: string, cwd: string): Promise<string | null> {
  const candidates = path.isAbsolute(side.runDir) ? [side.runDir] : [path.resolve(cwd, side.runDir), path.resolve(dir, side.runDir)];
  for (const c of candidates) if (await exists(c)) return c;
  return null;
}

/** For a diff directory (diff.json, optional gate.json) or a gate-only one (gate.json). */
export async function prepareDiff(
  dir: string,
  diff: DiffFile | null,
  gate: GateResult | null,
  cwd: string,
  notes: string[],
): Promise<Prepared> {
  const sides = diff ? { base: diff.base, cand: diff.cand } : { base: gate!.base, cand: gate!.cand };
  const labels = sideLabelsOf(sides.base, sides.cand);
  const view = diff ? diffView(diff, gate) : gateOnlyView(gate!);
  const pairs: ProfilePair[] = [];
  const sources: CellSource[] = [];
  for (const [side, label] of [
    [sides.base, labels.base],
    [sides.cand, labels.cand],
  ] as const) {
    const runDir = await sideRunDir(side, dir, cwd);
    if (!runDir) {
      notes.push(`run directory ${side.runDir} (${label}) not found: its profile charts and transcripts are left out`);
      continue;
    }
    const profile = await readJsonFile(runFile(runDir, 'profile'), ProfileFileSchema, `re-create it with: valuescope profile ${runDir}`);
    const m = profile?.models.find((x) => x.modelId === side.modelId);
    if (m) pairs.push({ profile: m, view: profileView(m, label) });
    else notes.push(`no profile for ${side.modelId} in ${runDir}: run valuescope profile ${runDir} for its profile tables and charts`);
    if (side === sides.cand && m) {
      for (const h of m.watchlist.hits)
        if (!view.watchlistHits.some((w) => w.value === h.value))
          view.watchlistHits.push({ value: h.value, count: h.cells, cells: h.cellIds });
    }
    sources.push({ runDir, modelId: side.modelId, label });
  }
  const { title, blocks } = diff ? diffReport(diff, view, gate, pairs) : gateReport(gate!, view, pairs);
  const incomplete = new Set([...(diff?.comparability.warnings ?? []), ...(gate?.warnings ?? [])].filter(isIncompleteNote));
  return { kind: diff ? 'diff' : 'gate', title, blocks, pairs, diff: view, sources, incomplete: [...incomplete] };
}
