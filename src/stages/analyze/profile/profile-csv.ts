import type { ModelProfile, ProfileFile, ProfileSection } from '../../../records/profile.js';
import { CORRECTED_COLUMNS, type CsvCell, correctedCells, csvTable, METRIC_COLUMNS, metricCells } from './csv-table.js';

const COLUMNS = ['model_id', 'run_id', ...METRIC_COLUMNS, 'k', 'n', 'estimate', 'lo', 'hi', 'level', ...CORRECTED_COLUMNS] as const;

/**
 * profile.csv: profile.json's proportions as one table, one row per model x metric x domain (the
 * overall section first, with an empty domain, then each domain in profile.json's order), so a
 * spreadsheet or a dataframe reads the numbers without walking nested JSON. Interval bounds are at
 * `level`, the profile's interval level. With human labels (`profile --labels`), the overall rows of
 * the metrics they speak to also carry the judge-corrected share (empty with too few labels:
 * `corrected_reason` says why); the columns are always there, so a reader's schema does not change.
 */
export function profileCsv(profile: ProfileFile): string {
  const rows: CsvCell[][] = [];
  const section = (modelId: string, domain: string | null, s: ProfileSection, corrected?: ModelProfile['corrected']) => {
    for (const [metric, p] of Object.entries(s.metrics)) {
      const c = correctedCells(corrected?.metrics[metric]);
      rows.push([modelId, profile.runId, ...metricCells(metric, domain), p.k, p.n, p.estimate, p.lo, p.hi, profile.settings.level, ...c]);
    }
  };
  for (const m of profile.models) {
    section(m.modelId, null, m.overall, m.corrected);
    for (const [domain, s] of Object.entries(m.domains)) section(m.modelId, domain, s);
  }
  return csvTable(COLUMNS, rows);
}
