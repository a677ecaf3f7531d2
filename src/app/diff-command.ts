import path from 'node:path';
import type { AppContext } from '../core/context.js';
import { EXIT, UsageError } from '../core/errors.js';
import { diffQFamily, qFamilyText } from '../records/diff.js';
import { diffFile } from '../records/run-files.js';
import { addCorrectedChanges } from '../stages/analyze/corrected/corrected-diff.js';
import { readRunLabels } from '../stages/analyze/corrected/corrected-labels.js';
import { correctedSides } from '../stages/analyze/corrected/corrected-sides.js';
import { diffCsv } from '../stages/analyze/diff/diff-csv.js';
import { diffMarkdown } from '../stages/analyze/diff/diff-markdown.js';
import { diffProfiles, loadSides } from '../stages/analyze/diff/diff-profiles.js';
import type { Side } from '../stages/analyze/diff/pair-sides.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { analysisSettings, labelInput, maybeConfig, requireComplete, safeName, watchlistOf } from './analysis-options.js';
import { asOnlyWriter } from './lock-options.js';

export interface DiffFlags {
  out?: string;
  report?: boolean;
  resamples?: string;
  seed?: string;
  config?: string;
  allowSuiteMismatch?: boolean;
  allowJudgeMismatch?: boolean;
  allowIncomplete?: boolean;
  /** Human label files for either side (else the config's judge.labels): judge-corrected changes in diff.json. */
  labels?: string[];
}

export async function diffCommand(baseSpec: string, candSpec: string, flags: DiffFlags, ctx: AppContext): Promise<number> {
  const cfg = await maybeConfig(flags.config, ctx);
  const watch = watchlistOf(cfg);
  const [base, cand] = await loadSides(baseSpec, candSpec, ctx.cwd, watch);
  const incomplete = requireComplete(
    [
      { run: base.run, modelId: base.table.modelId },
      { run: cand.run, modelId: cand.table.modelId },
    ],
    { allowIncomplete: flags.allowIncomplete === true, cfg },
  );
  // Labels are read and checked against both runs before anything is written.
  const input = await labelInput(flags.labels, cfg, ctx);
  const runs = [base, cand].map((s) => ({
    runDir: s.run.runDir,
    runId: s.run.manifest?.runId ?? null,
    baseline: s.run.baseline !== undefined,
  }));
  const sides = input ? await correctedSides(base, cand, await readRunLabels(input, runs)) : null;
  const allow = { suite: flags.allowSuiteMismatch ?? false, judge: flags.allowJudgeMismatch ?? false };
  const diff = diffProfiles(base, cand, {
    ...analysisSettings(cfg, flags),
    allowSuiteMismatch: allow.suite,
    allowJudgeMismatch: allow.judge,
    now: ctx.now,
  });
  if (sides) addCorrectedChanges(diff, base, cand, sides, allow);
  diff.comparability.warnings.unshift(...incomplete);
  const outDir = diffOutDir(base, cand, flags, ctx);
  const csv = diffCsv(diff);
  await asOnlyWriter(outDir, 'diff', ctx, async () => {
    await writeFileAtomic(diffFile(outDir, 'diff'), `${JSON.stringify(diff, null, 2)}\n`);
    await writeFileAtomic(diffFile(outDir, 'diffCsv'), csv);
    await writeFileAtomic(diffFile(outDir, 'diffMarkdown'), diffMarkdown(diff));
    for (const w of diff.comparability.warnings) ctx.stderr.write(`warning: ${w}\n`);
    ctx.stdout.write(
      `${diff.base.modelId} -> ${diff.cand.modelId}: ${diff.scenarios.shared} shared scenarios, ` +
        `${diff.summary.significant} of ${diff.summary.tested} tested metrics changed significantly (q < ${diff.settings.alpha}, ${qFamilyText(diffQFamily(diff))})\n` +
        `wrote ${path.relative(ctx.cwd, outDir) || outDir}/diff.json, diff.csv and diff.md\n`,
    );
    if (flags.report !== false) await (await import('./report-command.js')).autoReport(outDir, ctx);
  });
  return EXIT.ok;
}

/**
 * --out, else a folder inside the candidate's run directory named after the base. A candidate that is
 * a baseline file has no directory to write into (and its folder is usually tracked by git): --out.
 */
function diffOutDir(base: Side, cand: Side, flags: DiffFlags, ctx: AppContext): string {
  if (flags.out) return path.resolve(ctx.cwd, flags.out);
  if (cand.run.baseline) throw new UsageError(`the candidate ${cand.spec.spec} is a baseline file: pass --out DIR for the diff`);
  const baseName = path.basename(base.run.runDir, base.run.baseline ? path.extname(base.run.runDir) : undefined);
  return path.join(cand.run.runDir, `diff-${safeName(baseName)}-${safeName(base.table.modelId)}-vs-${safeName(cand.table.modelId)}`);
}
