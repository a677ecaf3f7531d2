import path from 'node:path';
import type { LoadedConfig } from '../config/load-config.js';
import type { AppContext } from '../core/context.js';
import { EXIT, UsageError } from '../core/errors.js';
import { metricKey } from '../records/metric-key.js';
import type { ModelProfile } from '../records/profile.js';
import { csvBeside, runFile } from '../records/run-files.js';
import { addCorrected, readRunLabels } from '../stages/analyze/corrected/corrected-labels.js';
import { loadRun, parseRunSpec, type RunSpec } from '../stages/analyze/load/load-run.js';
import { buildProfile } from '../stages/analyze/profile/build-profile.js';
import { profileCsv } from '../stages/analyze/profile/profile-csv.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { analysisSettings, labelInput, maybeConfig, requireComplete, safeName, watchlistOf } from './analysis-options.js';
import { asOnlyWriter, asOnlyWriterOf } from './lock-options.js';

export interface ProfileFlags {
  out?: string;
  resamples?: string;
  seed?: string;
  config?: string;
  allowIncomplete?: boolean;
  /** Human label files for judge-corrected shares (else the config's judge.labels). */
  labels?: string[];
}

/** Builds RUN_DIR/profile.json and profile.csv for every model of a run (used by `run` once judging is done). */
export async function writeRunProfile(
  runDir: string,
  o: { resamples: number; seed: number; watchlist: readonly string[]; now: () => Date },
): Promise<string> {
  const run = await loadRun(parseRunSpec(runDir, runDir), o.watchlist);
  const profile = buildProfile(run, { resamples: o.resamples, seed: o.seed, watchlist: [...o.watchlist], now: o.now });
  profile.notes.unshift(...requireComplete([{ run }], { allowIncomplete: true, cfg: null }));
  const file = runFile(runDir, 'profile');
  const csv = profileCsv(profile);
  await writeFileAtomic(file, `${JSON.stringify(profile, null, 2)}\n`);
  await writeFileAtomic(runFile(runDir, 'profileCsv'), csv);
  return file;
}

export async function profileCommand(target: string, flags: ProfileFlags, ctx: AppContext): Promise<number> {
  const cfg = await maybeConfig(flags.config, ctx);
  const spec = parseRunSpec(target, ctx.cwd);
  if (spec.baseline) {
    // A baseline is a file: there is no run directory to write profile.json into, only --out.
    if (!flags.out) throw new UsageError(`${target} is a baseline file: pass --out FILE for its profile (nothing is written beside it)`);
    const out = path.resolve(ctx.cwd, flags.out);
    return asOnlyWriter(path.dirname(out), 'profile', ctx, () => profileOf(spec, flags, cfg, ctx));
  }
  return asOnlyWriterOf(spec.runDir, 'profile', ctx, () => profileOf(spec, flags, cfg, ctx));
}

async function profileOf(spec: RunSpec, flags: ProfileFlags, cfg: LoadedConfig | null, ctx: AppContext): Promise<number> {
  const run = await loadRun(spec, watchlistOf(cfg));
  const incomplete = requireComplete([{ run, ...(spec.modelId !== null ? { modelId: spec.modelId } : {}) }], {
    allowIncomplete: flags.allowIncomplete === true,
    cfg,
  });
  const { resamples, seed } = analysisSettings(cfg, flags);
  // Labels are read and checked against the run before anything is written.
  const input = await labelInput(flags.labels, cfg, ctx);
  const labels = input
    ? await readRunLabels(input, [{ runDir: spec.runDir, runId: run.manifest?.runId ?? null, baseline: run.baseline !== undefined }])
    : null;
  const profile = buildProfile(run, {
    resamples,
    seed,
    watchlist: watchlistOf(cfg),
    now: ctx.now,
  });
  if (labels) await addCorrected(profile, labels, profile.settings.level);
  profile.notes.unshift(...incomplete);
  const text = `${JSON.stringify(profile, null, 2)}\n`;
  const files = spec.baseline ? [] : [runFile(spec.runDir, 'profile')];
  if (spec.modelId !== null && !spec.baseline) files[0] = path.join(spec.runDir, `profile-${safeName(spec.modelId)}.json`);
  if (flags.out) files.push(path.resolve(ctx.cwd, flags.out));
  // Each JSON gets its CSV beside it (profile.csv, profile-<model>.csv, the --out copy's .csv).
  const csv = profileCsv(profile);
  for (const f of files) {
    await writeFileAtomic(f, text);
    await writeFileAtomic(csvBeside(f), csv);
  }
  for (const m of profile.models) {
    const o = m.overall;
    const sr = o.metrics[metricKey.responseType('strong_resistance')]?.estimate ?? 0;
    ctx.stdout.write(
      `${m.modelId}: ${o.judged} judged, ${o.errored} errored cells over ${o.scenarios} scenarios; ` +
        `strong resistance ${(sr * 100).toFixed(1)}%${correctedSr(m)}, ${m.watchlist.hits.length} watch-list values hit\n`,
    );
  }
  for (const n of profile.notes) ctx.stderr.write(`note: ${n}\n`);
  ctx.stdout.write(`wrote ${files.flatMap((f) => [f, csvBeside(f)].map((x) => path.relative(ctx.cwd, x) || x)).join(', ')}\n`);
  return EXIT.ok;
}

/** " (judge-corrected 22.1% [17.0%, 27.9%])", " (not judge-corrected: <reason>)" or "" without labels. */
function correctedSr(m: ModelProfile): string {
  const c = m.corrected?.metrics[metricKey.responseType('strong_resistance')];
  if (!c) return '';
  if (c.estimate === null || c.lo === null || c.hi === null) return ` (not judge-corrected: ${c.reason ?? 'too few labels'})`;
  const p = (x: number) => `${(x * 100).toFixed(1)}%`;
  return ` (judge-corrected ${p(c.estimate)} [${p(c.lo)}, ${p(c.hi)}])`;
}
