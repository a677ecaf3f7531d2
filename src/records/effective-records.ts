import type { z } from 'zod';
import { readJsonl } from '../util/jsonl.js';

/** Any per-cell record of an append-only run file: a transcript or a judgment. */
export interface CellRecord {
  cellId: string;
  error: unknown;
}

/**
 * Which line speaks for a cell. Run files are append-only: re-attempting a cell that ended in error
 * (`run --retry-errors`, a resumed or repeated `judge`) appends a new line instead of rewriting the
 * old one. The effective record of a cell is its first successful line, or, when none succeeded, its
 * last errored one. A success is never replaced, so the answer does not depend on the order in
 * which concurrent attempts were appended; a second success is a duplicate, counted and ignored.
 */
export function replaces(current: Pick<CellRecord, 'error'>): boolean {
  return current.error !== null;
}

/** How the lines of one file map onto cells. */
export interface EffectiveLines {
  /** cellId -> the line number of its effective record. */
  lines: Map<string, number>;
  /** Errored lines a later line replaced (re-attempts). */
  superseded: number;
  /** Lines for a cell that already had a successful line (kept: the first). */
  duplicates: number;
}

type ReadOptions = Parameters<typeof readJsonl>[2];

/** First pass over a run file: the effective line of every cell (memory: one entry per cell). */
export async function effectiveLines<T extends CellRecord>(file: string, schema: z.ZodType<T>, o?: ReadOptions): Promise<EffectiveLines> {
  const out: EffectiveLines = { lines: new Map(), superseded: 0, duplicates: 0 };
  const errored = new Set<string>();
  for await (const { value, line } of readJsonl(file, schema, o)) {
    const had = out.lines.has(value.cellId);
    if (had && !errored.has(value.cellId)) {
      out.duplicates++;
      continue;
    }
    if (had) out.superseded++;
    out.lines.set(value.cellId, line);
    if (value.error !== null) errored.add(value.cellId);
    else errored.delete(value.cellId);
  }
  return out;
}

/**
 * Streams only the effective record of each cell, in file order (two passes: records are never
 * held in memory, only one line number per cell).
 */
export async function* readEffective<T extends CellRecord>(
  file: string,
  schema: z.ZodType<T>,
  o?: ReadOptions,
): AsyncGenerator<{ value: T; line: number }> {
  const { lines } = await effectiveLines(file, schema, o);
  // The torn tail, if any, was reported by the first pass.
  for await (const rec of readJsonl(file, schema, o?.skipInvalid ? { skipInvalid: () => undefined } : {})) {
    if (lines.get(rec.value.cellId) === rec.line) yield rec;
  }
}
