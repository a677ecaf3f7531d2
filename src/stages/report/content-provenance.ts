import { type Block, cellText, type TableCell } from './blocks.js';
import type { ProvenanceColumn, ProvenanceData } from './provenance-data.js';
import { addCosts, costText } from './provenance-format.js';
import { modelText, ROWS, validationText } from './provenance-rows.js';

/** "Run r1", "Run r1 (both sides)" or "Runs r1 → r2". */
function runsPhrase(cols: readonly ProvenanceColumn[], sides: number): string {
  const ids = [...new Set(cols.map((c) => c.manifest?.runId ?? c.runDir))];
  if (ids.length === 1) return `Run ${ids[0]}${sides > 1 ? ' (both sides)' : ''}`;
  return `Runs ${ids.join(' → ')}`;
}

function judgePhrase(cols: readonly ProvenanceColumn[]): string {
  const judged = cols.flatMap((c) => (c.judge && c.judge.cells > 0 ? [c] : []));
  if (judged.length === 0) return 'not judged';
  const ids = [...new Set(judged.flatMap((c) => c.judge!.judgeIds))].join(', ');
  const models = [...new Set(judged.flatMap((c) => c.judge!.judgeModels))].join(', ');
  const checks = [
    ...new Set(judged.map((c) => (c.validation ? `judge-check: ${validationText(c.validation, c)}` : 'no judge-check on record'))),
  ];
  return `judge ${ids} on ${models} (${checks.join('; ')})`;
}

/** The one line a reader sees without opening the details. */
function summaryLine(cols: readonly ProvenanceColumn[], sides: number): string {
  const suites = [...new Set(cols.map((c) => c.manifest?.suiteHash.slice(0, 12) ?? '?'))].join(' → ');
  const model = addCosts(cols.map((c) => c.cost.model));
  const judge = addCosts(cols.map((c) => c.cost.judge));
  const unknown = [model, judge].find((c) => 'unknown' in c);
  const cost = unknown ? costText(unknown) : `models ${costText(model)}, judge ${costText(judge)}`;
  return `${runsPhrase(cols, sides)}, suite ${suites}, ${judgePhrase(cols)}, ${cost}.`;
}

/**
 * Each side's target settings, when they differ: the one-line summary cannot tell `RUN#a@old` from
 * `RUN#a@new` of one run apart, and a diff's report.md leaves out the tables that can.
 */
function targetSettings(cols: readonly ProvenanceColumn[], sides: number): Block[] {
  const settings = cols.map(modelText);
  if (sides < 2 || cols.length < 2 || settings.every((s) => s === settings[0])) return [];
  return [{ kind: 'list', items: cols.map((c, i) => `${c.label}: ${settings[i]}`) }];
}

/**
 * Rows whose cell is the same in every column are shown once, in a table of their own: a diff of
 * two models of one run would otherwise print the run, its hashes and its judge twice.
 */
function tables(cols: readonly ProvenanceColumn[], sides: number): Block[] {
  const rows = ROWS.map(([name, get]) => ({ name, cells: cols.map(get) }));
  const same = (cells: TableCell[]): boolean => cols.length > 1 && cells.every((c) => cellText(c) === cellText(cells[0]!));
  const shared = rows.filter((r) => same(r.cells));
  const own = rows.filter((r) => !same(r.cells));
  const out: Block[] = [];
  if (shared.length > 0)
    out.push({ kind: 'table', head: ['', sides > 1 ? 'each side' : 'each model'], rows: shared.map((r) => [r.name, r.cells[0]!]) });
  if (own.length > 0) out.push({ kind: 'table', head: ['', ...cols.map((c) => c.label)], rows: own.map((r) => [r.name, ...r.cells]) });
  return out;
}

/**
 * The provenance section of every report (run, diff, gate): where the figures come from and what
 * they cost. One visible line; every figure per side (or per model of a run) in a collapsed table.
 */
export function provenanceBlocks(data: ProvenanceData, labelLines: readonly string[] = []): Block[] {
  const cols = data.columns;
  const heading: Block = { kind: 'heading', level: 3, text: 'Provenance', id: 'provenance' };
  if (cols.length === 0) return [heading, { kind: 'para', text: 'No run directory to describe.' }];
  return [
    heading,
    { kind: 'para', text: summaryLine(cols, data.sides) },
    ...targetSettings(cols, data.sides),
    // Human labels behind judge-corrected figures, and how often the judge agreed with them.
    ...labelLines.map((text): Block => ({ kind: 'para', text })),
    {
      kind: 'details',
      summary: 'Details: runs, models, judge, retries, tokens, cost',
      blocks: tables(cols, data.sides),
      id: 'provenance-details',
    },
  ];
}
