import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../../core/errors.js';
import { readJsonl } from '../../../util/jsonl.js';
import { type GoldItem, GoldItemSchema } from './gold-schema.js';

export interface GoldEntry {
  item: GoldItem;
  /** 1-based line in the file. */
  line: number;
}

/** One annotator's gold file, read and checked. */
export interface GoldFile {
  file: string;
  /** The items' `annotator` (one per file), else the file name without its extension. */
  annotator: string;
  entries: GoldEntry[];
}

/** Reads one gold file: every line validated, ids unique, one annotator. */
async function readGoldFile(file: string): Promise<GoldFile> {
  if (!existsSync(file)) throw new InputError('gold file not found (format: docs/judge-check.md)', { file });
  const entries: GoldEntry[] = [];
  const seen = new Map<string, number>();
  let named: GoldEntry | undefined;
  for await (const { value: item, line } of readJsonl(file, GoldItemSchema)) {
    const first = seen.get(item.id);
    if (first !== undefined)
      throw new InputError(
        `duplicate id "${item.id}" (first at line ${first}): ids must be unique within a gold file; remove the repeated line or give it its own id`,
        { file, line, path: 'id' },
      );
    seen.set(item.id, line);
    if (item.annotator !== undefined) {
      if (named && named.item.annotator !== item.annotator)
        throw new InputError(
          `annotator "${item.annotator}" differs from "${named.item.annotator}" (line ${named.line}): judge-check reads one file per annotator; split the file by annotator`,
          { file, line, path: 'annotator' },
        );
      named ??= { item, line };
    }
    entries.push({ item, line });
  }
  if (entries.length === 0) throw new InputError('the gold file holds no items (format: docs/judge-check.md)', { file });
  return { file, annotator: named?.item.annotator ?? path.basename(file).replace(/\.[^.]*$/, ''), entries };
}

/** Reads every gold file; two files by one annotator would count that annotator twice, so they are refused. */
export async function readGoldFiles(files: readonly string[]): Promise<GoldFile[]> {
  const out: GoldFile[] = [];
  for (const file of files) {
    const g = await readGoldFile(file);
    const twin = out.find((o) => o.annotator === g.annotator);
    if (twin)
      throw new InputError(
        `annotator "${g.annotator}" also labelled ${twin.file}: give each annotator's labels in one file (or set distinct \`annotator\` fields)`,
        { file },
      );
    out.push(g);
  }
  return out;
}

/** With `--run`: every item that names its run must name this one (cell ids repeat across runs of one suite). */
export function checkRunIds(files: readonly GoldFile[], runId: string, runDir: string): void {
  for (const f of files)
    for (const { item, line } of f.entries)
      if (item.runId !== undefined && item.runId !== runId)
        throw new InputError(`runId "${item.runId}" but --run ${runDir} is run "${runId}": pass the run the items were drawn from`, {
          file: f.file,
          line,
          path: 'runId',
        });
}
