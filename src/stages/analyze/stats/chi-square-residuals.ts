import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

interface ResidualCell {
  row: number;
  col: number;
  observed: number;
  expected: number;
  /** Adjusted Pearson residual (O - E) / sqrt(E (1 - r/N) (1 - c/N)), ~N(0,1) under independence. */
  residual: number;
  /** Two-sided normal p-value of the residual. */
  p: number;
}

export interface ChiSquareResult {
  statistic: number;
  df: number;
  p: number;
  cells: ResidualCell[];
}

/**
 * Chi-square test of independence of a rows x cols contingency table, with adjusted residuals for
 * every cell (Agresti 2013, sec. 2.4.5), the Values in the Wild context-dependence method. Rows or
 * columns summing to zero are ignored.
 */
export function chiSquareResiduals(table: readonly (readonly number[])[]): ChiSquareResult {
  const rows = table.length;
  const cols = table[0]?.length ?? 0;
  const rowSum = table.map((r) => r.reduce((a, b) => a + b, 0));
  const colSum = new Array<number>(cols).fill(0);
  for (const r of table) {
    r.forEach((v, j) => {
      colSum[j]! += v;
    });
  }
  const N = rowSum.reduce((a, b) => a + b, 0);
  const cells: ResidualCell[] = [];
  let statistic = 0;
  if (N === 0) return { statistic: 0, df: 0, p: 1, cells };
  for (let i = 0; i < rows; i++) {
    const ri = rowSum[i] as number;
    if (ri === 0) continue;
    for (let j = 0; j < cols; j++) {
      const cj = colSum[j] as number;
      if (cj === 0) continue;
      const observed = table[i]![j] as number;
      const expected = (ri * cj) / N;
      statistic += (observed - expected) ** 2 / expected;
      const v = expected * (1 - ri / N) * (1 - cj / N);
      const residual = v > 0 ? (observed - expected) / Math.sqrt(v) : 0;
      cells.push({ row: i, col: j, observed, expected, residual, p: 2 * (1 - normalCdf(Math.abs(residual), 0, 1)) });
    }
  }
  const df = (rowSum.filter((r) => r > 0).length - 1) * (colSum.filter((c) => c > 0).length - 1);
  const p = df > 0 ? 1 - chisquareCdf(statistic, df) : 1;
  return { statistic, df, p, cells };
}
