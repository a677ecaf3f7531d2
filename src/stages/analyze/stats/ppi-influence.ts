import { InputError } from '../../../core/errors.js';

/**
 * One target's cells for a judge-corrected share (docs/statistics.md, "Judge-corrected estimates").
 * Every cell has the judge's value; a random subset also has a human's. Cells are the metric's
 * denominator only (judged cells, or cells with `expect`, ...): the caller leaves the others out.
 */
export interface PpiSample {
  /** The judge's value per cell in [0, 1]: 0/1 for a share, a fraction when several readings are averaged. */
  judge: ArrayLike<number>;
  /** Scenario (cluster) ordinal per cell, 0 <= id < clusters; both sides of a difference share the numbering. */
  cluster: ArrayLike<number>;
  /** Cell indices that carry a human label, each once. */
  labelled: ArrayLike<number>;
  /** The human value of each labelled cell (parallel to `labelled`), in [0, 1]. */
  human: ArrayLike<number>;
  /**
   * Stratum of the label draw per cell, when labels were drawn uniformly within strata (e.g. more labels
   * where the judge saw the feature). Absent: one uniform draw over all cells.
   */
  drawStratum?: ArrayLike<number>;
}

/**
 * The estimator as a function of lambda, and its per-scenario influence. With P_h = N_h / N the share
 * of cells in draw stratum h and means over the labelled cells of h,
 *   theta(lambda) = lambda * mean_N(f) + sum_h P_h * mean_h(y - lambda f) = human + lambda * slope,
 * and the influence of scenario s is c_s + lambda * d_s (linear in lambda, so tuning is least squares).
 */
export interface PpiParts {
  cells: number;
  labelled: number;
  labelledClusters: number;
  /** mean_N(f): the judge-only share. */
  judgeMean: number;
  /** sum_h P_h mean_h(y): the human-only share (theta at lambda = 0). */
  human: number;
  slope: number;
  c: Float64Array;
  d: Float64Array;
  /** 1 for scenarios with at least one cell. */
  present: Uint8Array;
  /** Human-labelled cells counted as positive and as negative (sum y and sum 1 - y). */
  positives: number;
  negatives: number;
  /** Fewest labels in any draw stratum. */
  fewestInStratum: number;
  /** Mean of 1 - |y - f| over the labelled cells: the share of them the judge read as the human did. */
  agreement: number;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new InputError(`judge-corrected estimate: ${what}`);
}

function validate(x: PpiSample, clusters: number): void {
  const N = x.judge.length;
  check(x.cluster.length === N, `${x.cluster.length} scenario ids for ${N} cells: give one per cell`);
  check(x.human.length === x.labelled.length, `${x.human.length} human values for ${x.labelled.length} labelled cells`);
  check(x.drawStratum === undefined || x.drawStratum.length === N, 'drawStratum needs one entry per cell');
  for (let i = 0; i < N; i++) {
    const f = x.judge[i] as number;
    const s = x.cluster[i] as number;
    check(f >= 0 && f <= 1, `judge value ${f} of cell ${i} is outside [0, 1]`);
    check(Number.isInteger(s) && s >= 0 && s < clusters, `scenario id ${s} of cell ${i} is not in 0..${clusters - 1}`);
  }
  const seen = new Uint8Array(N);
  for (let j = 0; j < x.labelled.length; j++) {
    const i = x.labelled[j] as number;
    const y = x.human[j] as number;
    check(Number.isInteger(i) && i >= 0 && i < N && seen[i] === 0, `labelled cell ${i} is out of range or listed twice`);
    check(y >= 0 && y <= 1, `human value ${y} of cell ${i} is outside [0, 1]`);
    seen[i] = 1;
  }
}

/** Ordinal of each cell's draw stratum, and the number of strata. */
function strataOf(x: PpiSample): { of: Int32Array; count: number } {
  const N = x.judge.length;
  if (!x.drawStratum) return { of: new Int32Array(N), count: 1 };
  const ids = new Map<number, number>();
  const of = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const key = x.drawStratum[i] as number;
    let h = ids.get(key);
    if (h === undefined) {
      h = ids.size;
      ids.set(key, h);
    }
    of[i] = h;
  }
  return { of, count: ids.size };
}

/** Per draw stratum: cells, labels, and the labels' mean human and judge values; plus label tallies. */
interface StratumSums {
  of: Int32Array;
  cellsIn: Float64Array;
  labelsIn: Float64Array;
  yMean: Float64Array;
  fMean: Float64Array;
  positives: number;
  agree: number;
  labelledClusters: number;
}

function stratumSums(x: PpiSample): StratumSums {
  const { of, count: H } = strataOf(x);
  const cellsIn = new Float64Array(H);
  const labelsIn = new Float64Array(H);
  const ySum = new Float64Array(H);
  const fSum = new Float64Array(H);
  for (let i = 0; i < x.judge.length; i++) cellsIn[of[i] as number]! += 1;
  let positives = 0;
  let agree = 0;
  const labelledClusters = new Set<number>();
  for (let j = 0; j < x.labelled.length; j++) {
    const i = x.labelled[j] as number;
    const h = of[i] as number;
    const y = x.human[j] as number;
    labelsIn[h]! += 1;
    ySum[h]! += y;
    fSum[h]! += x.judge[i] as number;
    positives += y;
    agree += 1 - Math.abs(y - (x.judge[i] as number));
    labelledClusters.add(x.cluster[i] as number);
  }
  const yMean = ySum.map((v, h) => v / (labelsIn[h] as number));
  const fMean = fSum.map((v, h) => v / (labelsIn[h] as number));
  return { of, cellsIn, labelsIn, yMean, fMean, positives, agree, labelledClusters: labelledClusters.size };
}

/** The estimator's pieces for one target; `clusters` is the number of scenario ids. Needs at least one label per draw stratum. */
export function ppiParts(x: PpiSample, clusters: number): PpiParts {
  validate(x, clusters);
  const N = x.judge.length;
  const { of, cellsIn, labelsIn, yMean, fMean, ...tally } = stratumSums(x);
  let judgeSum = 0;
  for (let i = 0; i < N; i++) judgeSum += x.judge[i] as number;
  const judgeMean = judgeSum / N;
  let human = 0;
  let fLabelled = 0;
  for (let h = 0; h < cellsIn.length; h++) {
    human += ((cellsIn[h] as number) / N) * (yMean[h] as number);
    fLabelled += ((cellsIn[h] as number) / N) * (fMean[h] as number);
  }
  const c = new Float64Array(clusters);
  const d = new Float64Array(clusters);
  const present = new Uint8Array(clusters);
  // Every cell: the judge term lambda * mean_N(f), and (stratified draws) its stratum's share P_h.
  for (let i = 0; i < N; i++) {
    const s = x.cluster[i] as number;
    const h = of[i] as number;
    present[s] = 1;
    c[s]! += ((yMean[h] as number) - human) / N;
    d[s]! += ((x.judge[i] as number) - judgeMean - ((fMean[h] as number) - fLabelled)) / N;
  }
  // Labelled cells: the correction term mean_h(y - lambda f), weighted by P_h.
  for (let j = 0; j < x.labelled.length; j++) {
    const i = x.labelled[j] as number;
    const s = x.cluster[i] as number;
    const h = of[i] as number;
    const w = (cellsIn[h] as number) / N / (labelsIn[h] as number);
    c[s]! += w * ((x.human[j] as number) - (yMean[h] as number));
    d[s]! -= w * ((x.judge[i] as number) - (fMean[h] as number));
  }
  const n = x.labelled.length;
  return {
    cells: N,
    labelled: n,
    labelledClusters: tally.labelledClusters,
    judgeMean,
    human,
    slope: judgeMean - fLabelled,
    c,
    d,
    present,
    positives: tally.positives,
    negatives: n - tally.positives,
    fewestInStratum: Math.min(...labelsIn),
    agreement: n > 0 ? tally.agree / n : Number.NaN,
  };
}

/**
 * Cluster-robust (sandwich) variance of a sum of per-scenario influences u_s: between scenarios within
 * scenario strata (domains, as the profile's intervals), V = sum_h S_h/(S_h - 1) sum_{s in h} (u_s - mean_h u)^2.
 * `u(s)` gives scenario s's influence; only scenarios with `present[s]` count.
 */
export function clusterVariance(u: (s: number) => number, present: Uint8Array, stratum?: ArrayLike<number>): number {
  const S = present.length;
  const count = new Map<number, number>();
  const sum = new Map<number, number>();
  const sq = new Map<number, number>();
  for (let s = 0; s < S; s++) {
    if (present[s] !== 1) continue;
    const h = stratum ? (stratum[s] as number) : 0;
    const v = u(s);
    count.set(h, (count.get(h) ?? 0) + 1);
    sum.set(h, (sum.get(h) ?? 0) + v);
    sq.set(h, (sq.get(h) ?? 0) + v * v);
  }
  let total = 0;
  for (const [h, k] of count) {
    if (k < 2) continue;
    const m = sum.get(h) as number;
    total += (k / (k - 1)) * Math.max(0, (sq.get(h) as number) - (m * m) / k);
  }
  return total;
}
