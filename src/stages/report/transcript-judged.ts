import { cellFeatures, type KeyCache } from '../../records/cell-features.js';
import type { Judgment } from '../../records/judgment.js';
import { findMarks } from './highlight.js';
import type { TranscriptCell } from './transcript-cell.js';

/** What the transcript browser filters on besides the judgment itself (see StreamCellsOptions). */
export interface JudgedContext {
  watchlist: ReadonlySet<string>;
  keys: KeyCache;
}

/**
 * Copies a judgment onto its cell: the labels and evidence as the judgment records them, and what
 * the browser filters on (metrics, watch-list hits, the expectation's outcome). The metric keys come
 * from cellFeatures, the function the profile counts with, so a report link shows exactly the cells
 * its figure counted.
 */
export function addJudgment(cell: TranscriptCell, j: Judgment, ctx: JudgedContext): void {
  cell.judge = j.judgeId;
  cell.responseType = j.responseType;
  cell.refusal = j.refusal;
  cell.aiValues = j.aiValues.map((v) => ({
    name: v.name,
    category: v.taxonomy.l3,
    ...(v.evidence !== undefined ? { evidence: v.evidence } : {}),
  }));
  cell.humanValues = j.humanValues.map((v) => v.name);
  if (cell.expect === undefined && j.expect !== undefined && j.expect.length > 0) cell.expect = j.expect;
  if (j.raters.length > 1) {
    cell.raters = j.raters.map((r) => ({
      judge: r.judge,
      responseType: r.responseType,
      refusal: r.refusal,
      ...(r.error !== undefined ? { error: r.error } : {}),
    }));
  }
  if (j.error) {
    cell.judgeError = `${j.error.kind}: ${j.error.message}`;
  } else {
    // An errored judgment is in no denominator (docs/reports.md), so it counts in no metric either.
    const features = cellFeatures(j, ctx.watchlist, ctx.keys);
    cell.metrics = [...features.keys];
    if (features.watchHits.length > 0) cell.watchHits = features.watchHits;
    if (cell.expect !== undefined) cell.expectPass = j.responseType !== null && cell.expect.includes(j.responseType);
  }
  if (cell.response)
    cell.marks = findMarks(
      cell.response,
      j.aiValues.map((v) => v.evidence),
    );
}
