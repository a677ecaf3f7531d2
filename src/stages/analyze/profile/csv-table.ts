// csv-stringify (the node-csv project, well kept): RFC 4180 quoting of commas, quotes and line breaks.
import { stringify } from 'csv-stringify/sync';
import { parseMetricKey, shareBaseText } from '../../../records/metric-key.js';

/** One cell of an exported table: text, a number, or null for an empty cell. */
export type CsvCell = string | number | null;

/**
 * The columns that describe a metric, shared by profile.csv and diff.csv so both read alike:
 * the family and bare name a dataframe filters on (`value`, "honesty"), the taxonomy level of a
 * category, and what the share is a share of (the words the reports print beside every share).
 */
export const METRIC_COLUMNS = ['metric', 'family', 'name', 'taxonomy_level', 'domain', 'share_of'] as const;

export function metricCells(metric: string, domain: string | null): CsvCell[] {
  const m = parseMetricKey(metric);
  return [metric, m.family, m.name, m.family === 'category' ? m.level : null, domain, shareBaseText(metric)];
}

/** The judge-corrected figure of a row (profile.csv and diff.csv alike): empty cells without labels. */
export const CORRECTED_COLUMNS = ['corrected_estimate', 'corrected_lo', 'corrected_hi', 'corrected_labelled', 'corrected_reason'] as const;

export function correctedCells(
  c: { estimate: number | null; lo: number | null; hi: number | null; labelled?: number; reason?: string | undefined } | undefined,
): CsvCell[] {
  if (!c) return [null, null, null, null, null];
  return [c.estimate, c.lo, c.hi, c.labelled ?? null, c.reason ?? null];
}

/**
 * A CSV table with a header line. Every number is written in plain decimal notation with all its
 * digits (1e-7 as 0.0000001), so the file holds exactly the JSON's numbers and no spreadsheet reads
 * it as a date or a percentage. Text cells that a spreadsheet would run as a formula (leading
 * = + - @, tab or CR: value names come from model output, via the judge) get a leading apostrophe,
 * as OWASP's CSV-injection advice says; numbers, negative ones included, stay numbers.
 */
export function csvTable(columns: readonly string[], rows: readonly CsvCell[][]): string {
  return stringify([[...columns], ...rows], { escape_formulas: true, cast: { number: plainDecimal } });
}

/** String(x) without exponent notation: the same shortest round-trip digits, with the point moved. */
function plainDecimal(x: number): string {
  const s = String(x);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign = '', lead = '', frac = '', expText = '0'] = m;
  const exp = Number(expText);
  const digits = lead + frac;
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  // String() uses exponents only from 1e21 up, beyond the at most 17 significant digits: only zeros follow.
  return `${sign}${digits.padEnd(exp + 1, '0')}`;
}
