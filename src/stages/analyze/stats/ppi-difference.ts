import { clusterVariance, type PpiParts, type PpiSample, ppiParts } from './ppi-influence.js';
import { clusterCount, type Estimate, insufficiency, type PpiOptions, tInterval } from './ppi-share.js';
import { tuneLambda } from './ppi-tuning.js';

export interface PpiDifference {
  /** False when either side's labels cannot support a correction; `reason` names the side. */
  sufficient: boolean;
  reason: string | null;
  /** Corrected CAND - BASE share, interval on [-1, 1]. */
  corrected: Estimate | null;
  /** Each side's tuned lambda (BASE, CAND). */
  lambda: [number, number] | null;
  judgeOnly: number;
  humanOnly: Estimate | null;
}

/** Sizes the scenario-id space to hold both sides' ids, so their influences line up scenario by scenario. */
function sharedClusters(a: PpiSample, b: PpiSample, o: PpiOptions): number {
  return o.clusters ?? Math.max(clusterCount(a, o), clusterCount(b, o));
}

function variance(a: PpiParts, b: PpiParts, la: number, lb: number, o: PpiOptions): number {
  const present = a.present.map((v, s) => v | (b.present[s] as number));
  // Paired by scenario: a scenario's two influences are summed before squaring, so what the sides
  // share through the scenario (its prompt pulls both models the same way) cancels in the difference.
  const u = (s: number) => (b.c[s] as number) + lb * (b.d[s] as number) - (a.c[s] as number) - la * (a.d[s] as number);
  return clusterVariance(u, present, o.clusterStratum);
}

/**
 * Judge-corrected difference CAND - BASE of one metric over the same scenarios (docs/statistics.md,
 * "Judge-corrected estimates"). Each side is its own prediction-powered estimate with its own tuned
 * lambda, so the difference is exactly the difference of the two corrected shares a profile shows;
 * the variance sums the sides' influences per scenario (cluster-robust), which accounts for pairing.
 */
export function ppiDifference(base: PpiSample, cand: PpiSample, o: PpiOptions): PpiDifference {
  const S = sharedClusters(base, cand, o);
  const a = ppiParts(base, S);
  const b = ppiParts(cand, S);
  const df = Math.min(a.labelledClusters, b.labelledClusters) - 1;
  const humanOnly =
    df >= 1 && Number.isFinite(a.human) && Number.isFinite(b.human)
      ? tInterval(b.human - a.human, variance(a, b, 0, 0, o), df, o.level, [-1, 1])
      : null;
  const out = { judgeOnly: b.judgeMean - a.judgeMean, humanOnly };
  const why = [insufficiency(a), insufficiency(b)];
  if (why[0] !== null || why[1] !== null) {
    const reason = [why[0] && `base: ${why[0]}`, why[1] && `candidate: ${why[1]}`].filter(Boolean).join('; ');
    return { ...out, sufficient: false, reason, corrected: null, lambda: null };
  }
  const la = tuneLambda(a, o.clusterStratum);
  const lb = tuneLambda(b, o.clusterStratum);
  const point = b.human + lb * b.slope - (a.human + la * a.slope);
  const corrected = tInterval(point, variance(a, b, la, lb, o), df, o.level, [-1, 1]);
  return { ...out, sufficient: true, reason: null, corrected, lambda: [la, lb] };
}
