import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { readJsonl } from '../util/jsonl.js';
import { RefusalSchema, ResponseTypeSchema } from './response-types.js';

/**
 * Human labels of run cells, as `valuescope label` exports them (the gold format of judge-check,
 * docs/labelling.md), read for the judge-corrected estimates of profile, diff and gate. Only the
 * fields the analysis reads are validated here (as AnalysisJudgmentSchema picks a judgment's).
 */
const LabelLineSchema = z.object({
  id: z.string().min(1),
  cellId: z.string().min(1).optional(),
  runId: z.string().min(1).optional(),
  annotator: z.string().min(1).optional(),
  gold: z.strictObject({
    responseType: ResponseTypeSchema.optional(),
    refusal: RefusalSchema.optional(),
    aiValues: z.array(z.string().min(1)).optional(),
    humanValues: z.array(z.string().min(1)).optional(),
  }),
});
export type HumanGold = z.infer<typeof LabelLineSchema>['gold'];

/** One cell's label, every annotator's majority (combineHumanLabels), with where it was first read. */
export interface HumanLabel {
  cellId: string;
  runId: string | null;
  gold: HumanGold;
  /** "file:line" of the first file that labelled the cell, for located errors. */
  where: { file: string; line: number };
  /** Every file (and its annotator) that labelled the cell. */
  by: { file: string; annotator: string }[];
  /**
   * Each annotator's own label, in file order. Corrected estimates read the share of annotators
   * (a tie is 1/2), not the majority: dropping tied cells would keep only the easy ones.
   */
  golds: HumanGold[];
}

export interface HumanLabelSet {
  files: string[];
  annotators: string[];
  /**
   * The combined labels, keyed by labelKey(runId, cellId): cell ids repeat across runs of one suite, so
   * one cell of two runs is two labels (per run, after assignment to runs, keyed by cellId alone).
   */
  labels: Map<string, HumanLabel>;
}

/** The key of a label before it is assigned to a run. */
const labelKey = (runId: string | null, cellId: string) => JSON.stringify([runId, cellId]);

interface LabelFile {
  file: string;
  annotator: string;
  entries: { cellId: string; runId: string | null; gold: HumanGold; line: number }[];
}

async function readLabelFile(file: string): Promise<LabelFile> {
  if (!existsSync(file)) throw new InputError('label file not found (export it from the page `valuescope label` writes)', { file });
  const entries: LabelFile['entries'] = [];
  const seen = new Map<string, number>();
  let annotator: { name: string; line: number } | undefined;
  for await (const { value, line } of readJsonl(file, LabelLineSchema)) {
    if (value.cellId === undefined)
      throw new InputError('the label names no cellId: corrected estimates need labels of run cells, as `valuescope label` exports', {
        file,
        line,
        path: 'cellId',
      });
    const first = seen.get(labelKey(value.runId ?? null, value.cellId));
    if (first !== undefined)
      throw new InputError(`cell "${value.cellId}" is labelled twice (first at line ${first}): keep one label per cell and file`, {
        file,
        line,
        path: 'cellId',
      });
    seen.set(labelKey(value.runId ?? null, value.cellId), line);
    if (value.annotator !== undefined) {
      if (annotator && annotator.name !== value.annotator)
        throw new InputError(
          `annotator "${value.annotator}" differs from "${annotator.name}" (line ${annotator.line}): give one file per annotator`,
          {
            file,
            line,
            path: 'annotator',
          },
        );
      annotator ??= { name: value.annotator, line };
    }
    entries.push({ cellId: value.cellId, runId: value.runId ?? null, gold: value.gold, line });
  }
  if (entries.length === 0) throw new InputError('the label file holds no labels', { file });
  return { file, annotator: annotator?.name ?? path.basename(file).replace(/\.[^.]*$/, ''), entries };
}

/** The label most annotators gave; undefined when nobody gave one or the top count is shared (a tie). */
export function majority<T extends string>(labels: readonly (T | undefined)[]): { label?: T; tie: boolean } {
  const counts = new Map<T, number>();
  for (const l of labels) if (l !== undefined) counts.set(l, (counts.get(l) ?? 0) + 1);
  const top = Math.max(0, ...counts.values());
  const leaders = [...counts].filter(([, n]) => n === top);
  if (leaders.length === 1) return { label: leaders[0]![0], tie: false };
  return { tie: leaders.length > 1 };
}

/**
 * Values listed by more than half of the annotators who gave the field (compared by taxonomy key;
 * the first name seen for a key is kept). A value listed by exactly half is dropped and counted.
 */
export function majoritySet(sets: readonly (string[] | undefined)[], key: (name: string) => string): { values?: string[]; ties: number } {
  const given = sets.filter((s): s is string[] => s !== undefined);
  if (given.length === 0) return { ties: 0 };
  const counts = new Map<string, { name: string; n: number }>();
  for (const s of given) {
    // One vote per key and annotator, even when they wrote two names that map to one value.
    const mine = new Map<string, string>();
    for (const name of s) if (!mine.has(key(name))) mine.set(key(name), name);
    for (const [k, name] of mine) {
      const c = counts.get(k);
      if (c) c.n++;
      else counts.set(k, { name, n: 1 });
    }
  }
  const values = [...counts.values()].filter((c) => 2 * c.n > given.length).map((c) => c.name);
  return { values, ties: [...counts.values()].filter((c) => 2 * c.n === given.length).length };
}

/** Each field by majority of the annotators who labelled it, as judge-check combines gold files. */
function combineGold(golds: readonly HumanGold[], key: (name: string) => string): HumanGold {
  const rt = majority(golds.map((g) => g.responseType));
  const rf = majority(golds.map((g) => g.refusal));
  const out: HumanGold = { ...(rt.label ? { responseType: rt.label } : {}), ...(rf.label ? { refusal: rf.label } : {}) };
  for (const f of ['aiValues', 'humanValues'] as const) {
    const s = majoritySet(
      golds.map((g) => g[f]),
      key,
    );
    if (s.values) out[f] = s.values;
  }
  return out;
}

/**
 * Reads every label file (one annotator each; an annotator in two files is refused) and combines them
 * into one label per cell. `key` compares value names as the judge's taxonomy does.
 */
export async function readHumanLabels(files: readonly string[], key: (name: string) => string): Promise<HumanLabelSet> {
  const read: LabelFile[] = [];
  for (const file of files) {
    const f = await readLabelFile(file);
    const twin = read.find((o) => o.annotator === f.annotator);
    if (twin)
      throw new InputError(`annotator "${f.annotator}" also labelled ${twin.file}: give each annotator's labels in one file`, { file });
    read.push(f);
  }
  const byCell = new Map<string, { first: HumanLabel; golds: HumanGold[] }>();
  for (const f of read)
    for (const e of f.entries) {
      const c = byCell.get(labelKey(e.runId, e.cellId));
      const by = { file: f.file, annotator: f.annotator };
      if (c) {
        c.golds.push(e.gold);
        c.first.by.push(by);
      } else
        byCell.set(labelKey(e.runId, e.cellId), {
          first: { cellId: e.cellId, runId: e.runId, gold: e.gold, where: { file: f.file, line: e.line }, by: [by], golds: [] },
          golds: [e.gold],
        });
    }
  const labels = new Map<string, HumanLabel>();
  for (const [k, { first, golds }] of byCell)
    labels.set(k, { ...first, gold: golds.length > 1 ? combineGold(golds, key) : first.gold, golds });
  return { files: [...files], annotators: read.map((f) => f.annotator), labels };
}
