import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ComparabilityError } from '../core/errors.js';
import { JsonlAppender, readJsonl, storageError } from '../util/jsonl.js';
import { replaces } from './effective-records.js';
import { JudgmentSchema } from './judgment.js';
import { runFile } from './run-files.js';

interface ExistingJudgments {
  /** judgeHash -> judge id and line count. */
  judges: Map<string, { judgeId: string; lines: number }>;
  /** cellId -> how its effective judgment ended (effective-records.ts). */
  cells: Map<string, JudgedCell>;
}

/**
 * How a cell's effective judgment ended: `error` is null when it succeeded, else its error kind;
 * `failures` counts its failed judge calls so far (lines with an error other than no_response).
 */
export type JudgedCell = { error: string | null; failures?: number };

async function scanJudgments(file: string): Promise<ExistingJudgments> {
  const out: ExistingJudgments = { judges: new Map(), cells: new Map() };
  for await (const { value } of readJsonl(file, JudgmentSchema)) {
    const j = out.judges.get(value.judgeHash) ?? { judgeId: value.judgeId, lines: 0 };
    j.lines++;
    out.judges.set(value.judgeHash, j);
    const prior = out.cells.get(value.cellId);
    const failed = value.error !== null && value.error.kind !== 'no_response' ? 1 : 0;
    const failures = (prior?.failures ?? 0) + failed;
    if (!prior || replaces(prior)) out.cells.set(value.cellId, { error: value.error?.kind ?? null, failures });
  }
  return out;
}

/** Filesystem-safe UTC timestamp for the moved-aside file, e.g. 20261124T101503Z. */
export function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * Opens <run>/judgments.jsonl for appending. Resumable: returns how each cell already judged by this
 * judge (same hash) ended, so successes are skipped and errors re-attempted. Judgments from a different judge are never mixed in:
 * without `force` that is a ComparabilityError; with it the old file is moved aside to
 * judgments.<timestamp>.jsonl and judging starts afresh.
 */
export async function openJudgmentStore(
  runDir: string,
  o: { judgeId: string; judgeHash: string; force: boolean; now: () => Date; scrub?: ((text: string) => string) | undefined },
): Promise<{ appender: JsonlAppender; done: Map<string, JudgedCell>; movedTo: string | null; file: string }> {
  const file = runFile(runDir, 'judgments');
  const existing = await scanJudgments(file);
  const others = [...existing.judges].filter(([hash]) => hash !== o.judgeHash);
  let movedTo: string | null = null;
  let done = existing.cells;
  if (others.length > 0 || (o.force && existing.cells.size > 0)) {
    if (!o.force) {
      const [hash, info] = others[0]!;
      throw new ComparabilityError(
        `${file} holds ${info.lines} judgments by ${info.judgeId} (hash ${hash.slice(0, 12)}), but this judge is ${o.judgeId} ` +
          `(hash ${o.judgeHash.slice(0, 12)}); judgments of different judges are never mixed. ` +
          'Re-judge the whole run with --force (the old file is kept as judgments.<timestamp>.jsonl), or use the judge that wrote it.',
      );
    }
    movedTo = path.join(runDir, `judgments.${stamp(o.now())}.jsonl`);
    try {
      await fsp.rename(file, movedTo);
    } catch (e) {
      throw storageError(file, e);
    }
    done = new Map();
  }
  return { appender: await JsonlAppender.open(file, { scrub: o.scrub }), done, movedTo, file };
}
