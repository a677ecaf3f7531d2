import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../core/context.js';
import { EXIT, UsageError } from '../core/errors.js';
import type { Manifest } from '../records/manifest.js';
import { RUN_FILES, runFile } from '../records/run-files.js';
import { readManifest } from '../records/run-store.js';
import { type JudgeSummary, summarizeJudgments, writeJudgeSummary } from '../stages/judge/judge-summary.js';
import { checkShards, type ShardRun } from '../stages/run/merge-check.js';
import { checkCoverage, type PlanCell, planOfManifest } from '../stages/run/merge-coverage.js';
import { type JudgmentsMerge, judgmentsToMerge } from '../stages/run/merge-judges.js';
import { mergedManifest, writeMergedManifest } from '../stages/run/merge-manifest.js';
import { type MergedCounts, writeMergedRecords } from '../stages/run/merge-write.js';
import { asOnlyWriter } from './lock-options.js';

export interface MergeCommandOptions {
  /** The merged run directory: created, or an empty directory. */
  out: string;
  /** Merge the answers only; the merged run is then judged with `valuescope judge`. */
  transcriptsOnly?: boolean | undefined;
}

interface Merged {
  manifest: Manifest;
  counts: MergedCounts;
  summary: JudgeSummary | null;
}

/**
 * `valuescope merge SHARD_DIRS... --out DIR`: joins the shards of one run (`run --shard i/n`) into
 * one ordinary run directory. Everything is checked before anything is written: the shards are
 * finished parts of one plan and hold every cell exactly once. The output is written under DIR's
 * write lock, manifest last, so DIR becomes a run directory only once all of it is there.
 */
export async function mergeCommand(dirs: readonly string[], opts: MergeCommandOptions, ctx: AppContext): Promise<number> {
  const out = path.resolve(ctx.cwd, opts.out);
  await requireEmpty(out, opts.out);
  const inputs = await Promise.all(
    dirs.map(async (shown) => ({ shown, dir: path.resolve(ctx.cwd, shown), manifest: await readManifest(path.resolve(ctx.cwd, shown)) })),
  );
  const shards = checkShards(inputs);
  const plan = planOfManifest(shards[0]!.manifest);
  const coverage = await checkCoverage(shards, plan);
  const judging = await judgmentsToMerge(shards, { transcriptsOnly: opts.transcriptsOnly === true });
  for (const n of coverage.notes) ctx.stderr.write(`note: ${n}\n`);
  const existed = await fsp.stat(out).then(
    () => true,
    () => false,
  );
  let merged: Merged;
  try {
    merged = await asOnlyWriter(out, 'merge', ctx, async () => {
      await requireEmpty(out, opts.out);
      return writeMerged(out, { shards, plan, owner: coverage.owner, judging }, ctx);
    });
  } catch (e) {
    // Only an empty directory this command made is removed; rmdir never removes anything else.
    if (!existed) await fsp.rmdir(out).catch(() => undefined);
    throw e;
  }
  say(merged, { shards, judging, plan, shown: opts.out }, ctx);
  return EXIT.ok;
}

/** `--out` must be new or empty (its own lock aside): a merge never mixes into an existing run. */
async function requireEmpty(out: string, shown: string): Promise<void> {
  const stat = await fsp.stat(out).catch(() => undefined);
  if (!stat) return;
  if (!stat.isDirectory()) throw new UsageError(`--out ${shown} is a file: give the path of a new directory for the merged run`);
  const entries = (await fsp.readdir(out)).filter((e) => e !== RUN_FILES.lock);
  if (entries.length > 0) {
    throw new UsageError(
      `--out ${shown} is not empty (it holds ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}): merge writes a new run directory; give a new path, or remove ${shown} first`,
    );
  }
}

interface MergePlan {
  shards: readonly ShardRun[];
  plan: readonly PlanCell[];
  owner: ReadonlyMap<string, number>;
  judging: JudgmentsMerge;
}

/** Transcripts, judgments and their summary, then the manifest; on failure the files written so far are removed. */
async function writeMerged(out: string, m: MergePlan, ctx: AppContext): Promise<Merged> {
  try {
    const counts = await writeMergedRecords(out, m.shards, m.plan, m.owner, { judgments: m.judging.merge });
    let summary: JudgeSummary | null = null;
    if (counts.judgments > 0) {
      summary = await summarizeJudgments(runFile(out, 'judgments'));
      await writeJudgeSummary(out, summary);
    }
    const manifest = mergedManifest(m.shards, { planned: m.plan.length, done: counts.done, errored: counts.errored }, ctx.now);
    await writeMergedManifest(out, manifest);
    return { manifest, counts, summary };
  } catch (e) {
    // The directory was empty when the lock was taken: what is in it now is this merge's.
    for (const f of ['manifest', 'judgeSummary', 'judgments', 'transcripts'] as const) await fsp.rm(runFile(out, f), { force: true });
    throw e;
  }
}

function say(
  r: Merged,
  m: { shards: readonly ShardRun[]; judging: JudgmentsMerge; plan: readonly PlanCell[]; shown: string },
  ctx: AppContext,
): void {
  const { manifest, counts } = r;
  const n = m.shards[0]!.shard.count;
  ctx.stdout.write(
    `Merged ${m.shards.length} shards (of ${n}) into run ${manifest.runId} in ${m.shown}: ${counts.done} cells, ${counts.errored} errored, status ${manifest.status}\n`,
  );
  const unjudged = m.plan.length - counts.judgments;
  if (m.judging.merge) ctx.stdout.write(`${counts.judgments} judgments by ${m.judging.judgeId}\n`);
  else ctx.stderr.write(`note: ${m.judging.why}\n`);
  if (unjudged > 0)
    ctx.stderr.write(`${unjudged} of ${m.plan.length} cells have no judgment: judge them with: valuescope judge ${m.shown}\n`);
  const judge = unjudged > 0 ? `valuescope judge ${m.shown}, then ` : '';
  ctx.stdout.write(`Next: ${judge}profile, report, diff or gate it as any run, e.g. valuescope profile ${m.shown} --config config.yaml\n`);
}
