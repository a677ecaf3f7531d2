import path from 'node:path';
import type { CliContext } from '../cli/context.js';
import { writeReport } from './write-report.js';

/** `valuescope report DIR [--out DIR] [--no-charts]`: writes the report and says where it is. */
export async function runReportCommand(dir: string, opts: { out?: string; charts: boolean }, ctx: CliContext): Promise<void> {
  const r = await writeReport(dir, { ctx, charts: opts.charts, ...(opts.out !== undefined ? { out: opts.out } : {}) });
  const rel = (f: string): string => path.relative(ctx.cwd, f) || '.';
  ctx.stdout.write(`Wrote the ${r.kind} report to ${rel(r.outDir)}: report.md, report.html (${r.transcripts} transcripts), ${r.charts} charts\n`);
  if (r.chartsSkipped) ctx.stderr.write(`valuescope: ${r.chartsSkipped}\n`);
  for (const n of r.notes) ctx.stderr.write(`valuescope: note: ${n}\n`);
}
