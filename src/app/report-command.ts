import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../core/context.js';
import { type ReportResult, writeReport } from '../stages/report/write-report.js';
import { asOnlyWriter, asOnlyWriterOf } from './lock-options.js';

function say(r: ReportResult, ctx: Pick<AppContext, 'cwd' | 'stdout' | 'stderr'>): void {
  const rel = path.relative(ctx.cwd, r.outDir) || '.';
  ctx.stdout.write(`Wrote the ${r.kind} report to ${rel}: report.md, report.html (${r.transcripts} transcripts), ${r.charts} charts\n`);
  if (r.chartsSkipped) ctx.stderr.write(`valuescope: ${r.chartsSkipped}\n`);
  for (const n of r.notes) ctx.stderr.write(`valuescope: note: ${n}\n`);
}

/** `valuescope report DIR [--out DIR] [--no-charts]`: writes the report and says where it is. */
export async function runReportCommand(dir: string, opts: { out?: string; charts: boolean }, ctx: AppContext): Promise<void> {
  const write = async () =>
    say(await writeReport(dir, { ctx, charts: opts.charts, ...(opts.out !== undefined ? { out: opts.out } : {}) }), ctx);
  if (opts.out !== undefined) await asOnlyWriter(path.resolve(ctx.cwd, opts.out), 'report', ctx, write);
  // A directory that does not exist gets no lock: writeReport says what it expected there.
  else if (existsSync(path.resolve(ctx.cwd, dir))) await asOnlyWriterOf(path.resolve(ctx.cwd, dir), 'report', ctx, write);
  else await write();
}

/**
 * For `run`, `diff` and `gate` at their end: writes the report into `dir` and says so. A report
 * that cannot be written is a warning, never a change of the command's exit code.
 */
export async function autoReport(
  dir: string,
  ctx: Pick<AppContext, 'cwd' | 'env' | 'stdout' | 'stderr'>,
  options: { charts?: boolean } = {},
): Promise<ReportResult | null> {
  try {
    const r = await writeReport(dir, { ctx, ...(options.charts !== undefined ? { charts: options.charts } : {}) });
    say(r, ctx);
    return r;
  } catch (e) {
    ctx.stderr.write(
      `valuescope: warning: the report was not written: ${(e as Error).message}\n  (re-run it with: valuescope report ${dir})\n`,
    );
    return null;
  }
}
