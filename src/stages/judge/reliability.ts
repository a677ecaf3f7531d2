import type { Rater } from '../../records/judgment.js';
import { meanPairwiseJaccard, NominalAlpha } from './agreement.js';

type RaterLabels = Pick<Rater, 'responseType' | 'refusal' | 'aiValues' | 'humanValues' | 'error'>;

export interface ReliabilitySummary {
  /** Most raters seen on one cell (judges x samples). Agreement needs at least two. */
  raters: number;
  /** Cells with at least two answering raters. */
  cells: number;
  responseTypeAlpha: number | null;
  refusalAlpha: number | null;
  /** Mean over cells of the mean pairwise Jaccard of the raters' value-name sets. */
  aiValuesJaccard: number | null;
  humanValuesJaccard: number | null;
}

/** Accumulates between-rater agreement over a run, cell by cell, in constant memory per label. */
export class ReliabilityAccumulator {
  private readonly responseType = new NominalAlpha();
  private readonly refusal = new NominalAlpha();
  private aiSum = 0;
  private humanSum = 0;
  private cells = 0;

  private raters = 0;

  /** One cell's raters, as recorded in Judgment.raters (a rater with an error counts as missing). */
  add(raters: readonly RaterLabels[]): void {
    this.responseType.add(raters.map((r) => (r.error === undefined ? r.responseType : null)));
    this.refusal.add(raters.map((r) => (r.error === undefined ? r.refusal : null)));
    this.raters = Math.max(this.raters, raters.length);
    const ok = raters.filter((r) => r.error === undefined);
    const ai = meanPairwiseJaccard(ok.map((r) => new Set(r.aiValues)));
    const human = meanPairwiseJaccard(ok.map((r) => new Set(r.humanValues)));
    if (ai === null || human === null) return;
    this.aiSum += ai;
    this.humanSum += human;
    this.cells++;
  }

  summary(): ReliabilitySummary {
    return {
      raters: this.raters,
      cells: this.cells,
      responseTypeAlpha: this.responseType.value(),
      refusalAlpha: this.refusal.value(),
      aiValuesJaccard: this.cells === 0 ? null : this.aiSum / this.cells,
      humanValuesJaccard: this.cells === 0 ? null : this.humanSum / this.cells,
    };
  }
}
