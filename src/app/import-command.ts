import path from 'node:path';
import type { AppContext } from '../core/context.js';
import { EXIT } from '../core/errors.js';
import { importConversations } from '../stages/import/import-run.js';

/** Flags of `valuescope import` as commander parsed them. */
export interface ImportCliOptions {
  format: 'openai' | 'anthropic' | 'csv';
  modelId?: string;
  domain?: string;
  out: string;
  promptColumn: string;
  responseColumn: string;
  systemColumn?: string;
  idColumn?: string;
  skipInvalid?: boolean;
}

/** `valuescope import FILE --format ...`: prints where the run went and every skipped record. */
export async function importCommand(file: string, opts: ImportCliOptions, ctx: AppContext): Promise<number> {
  const r = await importConversations({
    file: path.resolve(ctx.cwd, file),
    format: opts.format,
    modelId: opts.modelId,
    domain: opts.domain,
    outDir: path.resolve(ctx.cwd, opts.out),
    csv: { prompt: opts.promptColumn, response: opts.responseColumn, system: opts.systemColumn, id: opts.idColumn },
    skipInvalid: opts.skipInvalid,
    now: ctx.now,
  });
  if (r.skipped.length > 0) {
    ctx.stderr.write(`skipped ${r.skipped.length} invalid record(s) (lines ${r.skipped.map((p) => p.line).join(', ')}):\n`);
    for (const p of r.skipped) ctx.stderr.write(`  ${file}:${p.line} (${p.field}): ${p.message}\n`);
  }
  const shown = path.relative(ctx.cwd, r.runDir) || r.runDir;
  ctx.stdout.write(`Imported ${r.imported} conversation(s) for ${r.models.join(', ')} into ${shown}\nNext: valuescope judge ${shown}\n`);
  return EXIT.ok;
}
