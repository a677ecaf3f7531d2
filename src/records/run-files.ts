import path from 'node:path';

/**
 * The names of the files in a run directory and in a diff directory. They are spelled here and
 * nowhere else in src/, so a writer and its readers can never disagree about a name
 * (test/architecture.test.ts checks that no other file spells them).
 */
export const RUN_FILES = {
  manifest: 'manifest.json',
  transcripts: 'transcripts.jsonl',
  judgments: 'judgments.jsonl',
  judgeSummary: 'judge-summary.json',
  /** `judge-check --run DIR`: the judge's agreement with gold labels, shown in the run's report provenance. */
  judgeCheck: 'judge-check.json',
  /** `import --label-column`: the human label each imported cell came with (records/cell-label.ts), gold for `judge-check --run`. */
  labels: 'labels.jsonl',
  profile: 'profile.json',
  /** profile.json's metrics as a table, for spreadsheets and dataframes (stages/analyze/profile/profile-csv.ts). */
  profileCsv: 'profile.csv',
  reportMarkdown: 'report.md',
  reportHtml: 'report.html',
  charts: 'charts',
  /** Batch mode's journal of the model batches: recorded before each submit, so a resume reattaches (records/batch-journal.ts). */
  batches: 'batches.jsonl',
  /** The same journal for the judge's batches. */
  judgeBatches: 'judge-batches.jsonl',
  /** The write lock of a run or diff directory (records/dir-lock.ts). */
  lock: '.lock',
} as const;

/** A diff directory holds the diff, the gate's verdict and their report (report files as in RUN_FILES). */
export const DIFF_FILES = {
  diff: 'diff.json',
  /** diff.json's metric rows as a table, one row per side (stages/analyze/diff/diff-csv.ts). */
  diffCsv: 'diff.csv',
  diffMarkdown: 'diff.md',
  gate: 'gate.json',
  gateJunit: 'gate.junit.xml',
  gateSummary: 'gate-summary.md',
} as const;

/** A history directory (`valuescope history`): one target's key metrics over runs, and their charts (charts/history-*.png). */
export const HISTORY_FILES = {
  history: 'history.json',
  /** history.json as a table, one row per run x metric (stages/analyze/history/history-csv.ts). */
  historyCsv: 'history.csv',
  historyMarkdown: 'history.md',
  historyHtml: 'history.html',
} as const;

export type RunFileName = keyof typeof RUN_FILES;
export type DiffDirFileName = keyof typeof DIFF_FILES;

export function runFile(dir: string, file: RunFileName): string {
  return path.join(dir, RUN_FILES[file]);
}

/**
 * The CSV export written beside a JSON file that has no fixed name (profile-<model>.json, a
 * `--out FILE` copy): the same name with .csv for .json, so the table always sits next to its source.
 */
export function csvBeside(jsonFile: string): string {
  return path.extname(jsonFile).toLowerCase() === '.json' ? `${jsonFile.slice(0, -'.json'.length)}.csv` : `${jsonFile}.csv`;
}

export function diffFile(dir: string, file: DiffDirFileName): string {
  return path.join(dir, DIFF_FILES[file]);
}

export function historyFile(dir: string, file: keyof typeof HISTORY_FILES): string {
  return path.join(dir, HISTORY_FILES[file]);
}
