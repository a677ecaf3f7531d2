import type { HistoryFile } from '../../../records/history.js';
import { type CsvCell, csvTable, METRIC_COLUMNS, metricCells } from '../profile/csv-table.js';

const COLUMNS = [
  ...METRIC_COLUMNS,
  'run_index',
  'run_id',
  'date',
  'spec',
  'target_id',
  'served_model',
  'k',
  'n',
  'estimate',
  'lo',
  'hi',
  'level',
  'previous_run_id',
  'delta',
  'delta_lo',
  'delta_hi',
  'delta_level',
  'p',
  'q',
  'q_family',
  'flagged',
  'model_change',
] as const;

/**
 * history.csv: one row per run x metric, runs in date order (oldest first), metrics in the history's
 * order. Each row has the run's share with its interval, and the change from the previous run (empty
 * on the first run): delta and interval, p, q with the family it was adjusted over, whether it is
 * flagged, and the served-model change between the two runs. CSV formulas are neutralised (csvTable).
 */
export function historyCsv(h: HistoryFile): string {
  const family = `BH over ${h.settings.family.size} ${h.settings.family.over}`;
  const rows = h.runs.flatMap((run, i) => {
    const cmp = i > 0 ? h.comparisons[i - 1] : undefined;
    return h.settings.metrics.map((metric): CsvCell[] => {
      const s = run.metrics[metric]!;
      const ch = cmp?.changes.find((c) => c.metric === metric);
      const change: CsvCell[] = ch
        ? [h.runs[i - 1]!.runId, ch.delta, ch.lo, ch.hi, h.settings.comparisonLevel, ch.p, ch.q, ch.q !== null ? family : null]
        : [null, null, null, null, null, null, null, null];
      return [
        ...metricCells(metric, null),
        i,
        run.runId,
        run.date,
        run.spec,
        run.targetId,
        run.dominantModel,
        s.k,
        s.n,
        s.estimate,
        s.lo,
        s.hi,
        h.settings.level,
        ...change,
        ch ? String(ch.flagged) : null,
        cmp?.modelChange ? `${cmp.modelChange.kind}: ${cmp.modelChange.from} -> ${cmp.modelChange.to}` : null,
      ];
    });
  });
  return csvTable(COLUMNS, rows);
}
