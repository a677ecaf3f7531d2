import path from 'node:path';
import type { AppContext } from '../core/context.js';
import { EXIT } from '../core/errors.js';
import { diffQFamily, qFamilyText } from '../records/diff.js';
import { diffFile } from '../records/run-files.js';
import { diffCsv } from '../stages/analyze/diff/diff-csv.js';
import { diffMarkdown } from '../stages/analyze/diff/diff-markdown.js';
import { diffProfiles, loadSides } from '../stages/analyze/diff/diff-profiles.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { analysisSettings, maybeConfig, requireComplete, safeName, watchlistOf } from './analysis-options.js';
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
  const diff = diffProfiles(base, cand, {
    ...analysisSettings(cfg, flags),
    allowSuiteMismatch: flags.allowSuiteMismatch ?? false,
    allowJudgeMismatch: flags.allowJudgeMismatch ?? false,
    now: ctx.now,
  });
  diff.comparability.warnings.unshift(...incomplete);
  const outDir = flags.out
    ? path.resolve(ctx.cwd, flags.out)
    : path.join(
        cand.run.runDir,
        `diff-${safeName(path.basename(base.run.runDir))}-${safeName(base.table.modelId)}-vs-${safeName(cand.table.modelId)}`,
      );
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
