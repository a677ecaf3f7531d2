import { type DiffFile, diffQFamily, type MetricDiff, qFamilyText } from '../../../records/diff.js';
import { CORRECTED_COLUMNS, type CsvCell, correctedCells, csvTable, METRIC_COLUMNS, metricCells } from '../profile/csv-table.js';

const COLUMNS = [
  ...METRIC_COLUMNS,
  'side',
  'model_id',
  'run_id',
  'k',
  'n',
  'estimate',
  'delta',
  'lo',
  'hi',
  'level',
  'p',
  'q',
  'q_family',
  'significant',
  'aliases',
  ...CORRECTED_COLUMNS,
] as const;

/**
 * diff.csv: diff.json's metric rows as one table, two rows per metric x domain (side `base`, then
 * `candidate`), each with its side's k, n and estimate. The comparison (candidate minus base, its
 * interval at `level`, p, q with the family q was adjusted over; p, q and q_family empty for a metric
 * too rare to test) is repeated on both rows, so a dataframe filtered to one side still has it. Rows
 * keep diff.json's order. With `diff --labels`, the judge-corrected change (repeated on both rows,
 * empty without labels or with too few: `corrected_reason` says why).
 */
export function diffCsv(diff: DiffFile): string {
  const level = diff.settings.level ?? 0.95; // files written before the level was recorded used 95%
  const family = qFamilyText(diffQFamily(diff));
  const rows = diff.metrics.flatMap((m): CsvCell[][] => {
    const comparison = [
      ...[m.delta, m.lo, m.hi, level, m.p, m.q, m.q !== null ? family : null, m.significant ? 'true' : 'false', aliasText(m)],
      ...correctedCells(m.corrected),
    ];
    const side = (name: string, s: DiffFile['base'], point: MetricDiff['base']): CsvCell[] => [
      ...metricCells(m.metric, m.domain),
      name,
      s.modelId,
      s.runId,
      point.k,
      point.n,
      point.estimate,
      ...comparison,
    ];
    return [side('base', diff.base, m.base), side('candidate', diff.cand, m.cand)];
  });
  return csvTable(COLUMNS, rows);
}

/** "refusal:none (complement); value:x (same)": the duplicates and complements a row stands for. */
function aliasText(m: MetricDiff): string | null {
  const aliases = m.aliases ?? [];
  return aliases.length > 0 ? aliases.map((a) => `${a.metric} (${a.relation})`).join('; ') : null;
}
