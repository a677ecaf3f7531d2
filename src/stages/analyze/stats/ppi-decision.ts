import type { PpiDifference } from './ppi-difference.js';
import { centralProbability } from './t-quantile.js';

/** P(T <= x) for Student's t with df degrees of freedom. */
const tCdf = (x: number, df: number) => (x < 0 ? (1 - centralProbability(x, df)) / 2 : (1 + centralProbability(x, df)) / 2);

export interface PpiRuleEvidence {
  delta: number;
  /** The corrected interval at the level ppiDifference was asked for (the gate asks for 1 - alpha). */
  lo: number;
  hi: number;
  se: number;
  /** Two-sided p-value of "no change" on t(df): the p the gate adjusts by BH with its other metric rules. */
  p: number;
  /**
   * One-sided p-value of "the change is within the band" against "it is beyond the bound it lies
   * toward" (the nearer bound when inside): p < alpha shows |change| beyond the margin. Null for an
   * unbounded band.
   */
  beyondP: number | null;
}

/**
 * What a gate metric rule needs from a corrected difference, on the gate's conventions
 * (docs/statistics.md, "Three verdicts"): `p` feeds BH across the gate's rules and FAIL needs the change
 * outside the band with q < alpha; PASS needs [lo, hi] strictly inside the band. Null without a corrected figure.
 */
export function ppiRuleEvidence(d: PpiDifference, band: { lower: number; upper: number }): PpiRuleEvidence | null {
  const c = d.corrected;
  if (!c) return null;
  const { estimate: delta, se, df } = c;
  // Distribution function of the estimate's t statistic; a zero SE makes it a step at the estimate.
  const cdf = (x: number) => (se > 0 ? tCdf(x / se, df) : x < 0 ? 0 : x > 0 ? 1 : 0.5);
  const p = se > 0 ? 1 - centralProbability(delta / se, df) : delta === 0 ? 1 : 0;
  const finite = [band.lower, band.upper].filter(Number.isFinite);
  let beyondP: number | null = null;
  if (finite.length > 0) {
    const toward = delta < band.lower ? band.lower : delta > band.upper ? band.upper : nearest(delta, finite);
    // H0: the change sits on the bound (or inside); H1: it lies beyond it.
    beyondP = toward === band.lower ? cdf(delta - toward) : cdf(toward - delta);
  }
  return { delta, lo: c.lo, hi: c.hi, se, p, beyondP };
}

const nearest = (x: number, bounds: number[]) => bounds.reduce((b, v) => (Math.abs(v - x) < Math.abs(b - x) ? v : b));
