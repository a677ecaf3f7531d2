import path from 'node:path';
import type { AppContext } from '../../core/context.js';
import { InputError } from '../../core/errors.js';
import { isIncompleteNote } from '../../records/incomplete-note.js';
import { ManifestSchema } from '../../records/manifest.js';
import { PROFILE_INTERVAL_METHOD, type ProfileFile, ProfileFileSchema } from '../../records/profile.js';
import { runFile } from '../../records/run-files.js';
import { isSyntheticManifest } from '../../records/synthetic.js';
import { labelProvenanceLines } from './content-corrected.js';
import { profileReport } from './content-profile.js';
import { provenanceBlocks } from './content-provenance.js';
import { exists, type Prepared } from './prepared.js';
import { profileView } from './profile-view.js';
import { gatherProvenance } from './provenance-data.js';
import { readJsonFile } from './read-json.js';

export async function prepareRun(dir: string, env: AppContext['env'], notes: string[]): Promise<Prepared> {
  const manifest = await readJsonFile(runFile(dir, 'manifest'), ManifestSchema, 'the run directory is damaged; re-run or re-import it');
  const profile = await readJsonFile(runFile(dir, 'profile'), ProfileFileSchema, `re-create it with: valuescope profile ${dir}`);
  const hasTranscripts = await exists(runFile(dir, 'transcripts'));
  if (!manifest && !profile && !hasTranscripts) {
    throw new InputError(
      `${dir} is neither a run directory (manifest.json, transcripts.jsonl, profile.json) nor a diff directory (diff.json, gate.json): pass a directory written by valuescope run, profile, diff or gate --out`,
    );
  }
  // The config's model order, so colours and columns follow it.
  const order = (id: string): number => {
    const i = manifest?.models.findIndex((m) => m.id === id) ?? -1;
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  const pairs = [...(profile?.models ?? [])]
    .sort((a, b) => order(a.modelId) - order(b.modelId))
    .map((m) => ({ profile: m, view: profileView(m) }));
  if (!profile)
    notes.push(
      `no profile.json in ${dir}: the report shows transcripts only; run \`valuescope judge ${dir}\` and \`valuescope profile ${dir}\` for the profile and charts`,
    );
  const provenance = provenanceBlocks(
    await gatherProvenance(
      hasTranscripts || manifest ? [{ runDir: dir, modelId: null, label: manifest?.runId ?? path.basename(dir) }] : [],
      notes,
      { env },
    ),
    labelProvenanceLines(
      pairs.flatMap((p) => (p.profile.corrected ? [{ label: p.view.modelId, labels: p.profile.corrected.labels }] : [])),
    ),
  );
  const { title, blocks } = profileReport(profile ?? emptyProfile(manifest?.runId ?? path.basename(dir), dir), manifest, pairs, provenance);
  return {
    kind: 'run',
    title,
    blocks,
    pairs,
    diff: null,
    sources: hasTranscripts ? [{ runDir: dir, modelId: null }] : [],
    incomplete: (profile?.notes ?? []).filter(isIncompleteNote),
    synthetic: isSyntheticManifest(manifest?.notes),
    watchlist: new Set(profile?.models.flatMap((m) => m.watchlist.list) ?? []),
  };
}

function emptyProfile(runId: string, runDir: string): ProfileFile {
  return {
    v: 1,
    kind: 'profile',
    generatedAt: '',
    harnessVersion: '',
    runDir,
    runId,
    suiteHash: null,
    settings: { resamples: 0, seed: 0, level: 0.95, interval: PROFILE_INTERVAL_METHOD },
    models: [],
    notes: [],
  };
}
