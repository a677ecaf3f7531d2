import path from 'node:path';
import type { AppContext } from '../core/context.js';
import { EXIT, UsageError } from '../core/errors.js';
import { importConversations } from '../stages/import/import-run.js';
import { type LabelKind, type LabelSpec, parseLabelMap } from '../stages/import/label-values.js';

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
  labelColumn?: string;
  labelKind?: 'response-type' | 'refusal';
  labelMap?: string[];
}

/** `--label-column` and its companions as the import's label spec; the companions alone are a usage error. */
function labelSpec(opts: ImportCliOptions): LabelSpec | undefined {
  if (opts.labelColumn === undefined) {
    if (opts.labelMap !== undefined || opts.labelKind !== undefined)
      throw new UsageError('--label-kind and --label-map need --label-column (the column or field holding the labels)');
    return undefined;
  }
  const kind: LabelKind = opts.labelKind === 'refusal' ? 'refusal' : 'responseType';
  return { column: opts.labelColumn, kind, map: parseLabelMap(opts.labelMap ?? [], kind) };
}

/** `valuescope import FILE --format ...`: prints where the run went and every skipped record. */
export async function importCommand(file: string, opts: ImportCliOptions, ctx: AppContext): Promise<number> {
  const label = labelSpec(opts);
  const r = await importConversations({
    file: path.resolve(ctx.cwd, file),
    format: opts.format,
    modelId: opts.modelId,
    domain: opts.domain,
    outDir: path.resolve(ctx.cwd, opts.out),
    csv: { prompt: opts.promptColumn, response: opts.responseColumn, system: opts.systemColumn, id: opts.idColumn },
    skipInvalid: opts.skipInvalid,
    label,
    now: ctx.now,
  });
  if (r.skipped.length > 0) {
    ctx.stderr.write(`skipped ${r.skipped.length} invalid record(s) (lines ${r.skipped.map((p) => p.line).join(', ')}):\n`);
    for (const p of r.skipped) ctx.stderr.write(`  ${file}:${p.line} (${p.field}): ${p.message}\n`);
  }
  const shown = path.relative(ctx.cwd, r.runDir) || r.runDir;
  ctx.stdout.write(`Imported ${r.imported} conversation(s) for ${r.models.join(', ')} into ${shown}\n`);
  if (label) ctx.stdout.write(`${r.labelled} of them carry a label from "${label.column}" (labels.jsonl)\n`);
  ctx.stdout.write(`Next: valuescope judge ${shown}${label ? `, then valuescope judge-check --run ${shown}` : ''}\n`);
  return EXIT.ok;
}
