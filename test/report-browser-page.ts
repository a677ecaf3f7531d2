import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Block, CellLink } from '../src/stages/report/blocks.js';
import type { ExamplesData } from '../src/stages/report/example-data.js';
import { writeHtmlPage } from '../src/stages/report/html-page.js';
import type { TranscriptCell } from '../src/stages/report/transcript-cell.js';
import { streamCells } from '../src/stages/report/transcript-data.js';
import { writeRunFixture } from './report-run-fixture.js';

/**
 * A two-sided report page for the transcript-browser tests, written through the real renderer
 * (writeHtmlPage) from real run directories (streamCells): the fixture runs of report-run-fixture.ts,
 * edited so that every filter has something to find.
 */
export const LONG_WORD = `https://example.com/${'unbroken'.repeat(40)}`;
export const WATCH_CELL = 'model-b/jailbreak-roleplay-s1/0';
export const ERROR_CELL = 'model-a/mental-health-support-s1/1';
export const PANEL_CELL = 'model-a/relationship-advice-s0/1';
export const CHANGED_SCENARIO = 'relationship-advice-s1';
export const EXAMPLE_PAIRS = [
  {
    scenario: 'relationship-advice-s0',
    domain: 'relationship-advice',
    base: 'model-a/relationship-advice-s0/0',
    cand: 'model-b/relationship-advice-s0/0',
  },
  { scenario: 'jailbreak-roleplay-s1', domain: 'jailbreak-roleplay', base: 'model-a/jailbreak-roleplay-s1/1', cand: WATCH_CELL },
];

type Json = Record<string, unknown>;

function editJsonl(file: string, edit: (line: Json) => void): void {
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Json);
  for (const line of lines) edit(line);
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
}

const tax = (l3: string) => ({ leaf: null, l1: null, l2: null, l3, method: 'exact', score: 1 });

/**
 * Scenarios "*-s0" expect strong_support (the fixture judges sample 0 strong_support, sample 1
 * mild_support: half of them fail); one candidate cell expresses the watched "dominance"; one base
 * judgment failed; one base judgment came from two raters; one response holds a very long word.
 */
function editRun(dir: string): void {
  const expectOf = (scenario: unknown) => (String(scenario).endsWith('-s0') ? { expect: ['strong_support'] } : {});
  editJsonl(path.join(dir, 'transcripts.jsonl'), (t) => {
    Object.assign(t, expectOf(t.scenarioId));
    if (t.cellId === 'model-a/relationship-advice-s0/0') (t.response as Json).text += ` see ${LONG_WORD} for more`;
  });
  editJsonl(path.join(dir, 'judgments.jsonl'), (j) => {
    Object.assign(j, expectOf(j.scenarioId));
    if (j.cellId === WATCH_CELL) (j.aiValues as Json[]).push({ name: 'dominance', evidence: 'click me', taxonomy: tax('Social values') });
    if (j.cellId === ERROR_CELL)
      Object.assign(j, {
        error: { kind: 'judge_parse', message: 'no JSON in the reply' },
        responseType: null,
        refusal: null,
        aiValues: [],
      });
    if (j.cellId === PANEL_CELL)
      j.raters = [
        { judge: 'judge-x@1', sample: 0, responseType: 'mild_support', refusal: 'none', aiValues: ['honesty'], humanValues: [] },
        { judge: 'judge-y@1', sample: 0, responseType: 'reframing', refusal: 'partial', aiValues: [], humanValues: [] },
      ];
  });
}

/** A table with many wide columns: it must scroll inside its box, never widen the page. */
function wideTable(): Block {
  const head = Array.from({ length: 24 }, (_, i) => `column number ${i + 1} with a long header`);
  const rows = [0, 1].map((r) => head.map((_, i) => (i === 3 ? `row ${r} ${LONG_WORD}` : `value ${r}.${i}`)));
  return { kind: 'table', head, rows, caption: 'A very wide table' };
}

/** The report's content: banners, a linked changes table (row links and a cell link), a wide table, a details block. */
function pageBlocks(): Block[] {
  const rowLinks: (CellLink | null)[] = [
    { metric: 'response_type:strong_support', domain: null, example: 'ex-1' },
    { metric: 'value:honesty', domain: 'jailbreak-roleplay' },
    // Not the CellLink shape (an unknown key): the page must ignore it.
    { metric: 'value:honesty', evil: 'x' } as CellLink,
    { metric: 'refusal_rate', domain: null, example: 'no-such-example' },
  ];
  return [
    { kind: 'banner', tone: 'synthetic', title: 'SYNTHETIC DATA', text: 'These answers come from the offline demo, not a real model.' },
    { kind: 'banner', tone: 'incomplete', title: 'INCOMPLETE INPUT', text: 'One run directory is missing cells.' },
    { kind: 'heading', level: 2, text: 'Summary', id: 'summary-top' },
    {
      kind: 'table',
      id: 'changes',
      head: ['metric', 'domain', 'change', 'cells'],
      align: ['l', 'l', 'r', 'r'],
      rows: [
        ['strong support', 'all', '−50.0 pts', '12'],
        ['honesty', 'jailbreak-roleplay', '+0.0 pts', '8'],
        ['broken link', 'all', '+1.0 pts', '1'],
        ['refusal rate', 'all', '+2.0 pts', { text: '1 cell', link: { cells: [WATCH_CELL] } }],
      ],
      rowLinks,
    },
    wideTable(),
    { kind: 'details', summary: 'Judge and settings', blocks: [{ kind: 'para', text: `A long identifier: ${LONG_WORD}` }] },
  ];
}

const EXAMPLES: ExamplesData = {
  baseLabel: 'model-a',
  candidateLabel: 'model-b',
  sets: [
    {
      id: 'ex-1',
      title: 'strong support (all domains)',
      detail: '−50.0 pts [−62.0, −38.0]: scenarios whose answers differ most',
      metric: 'response_type:strong_support',
      domain: null,
      pairs: EXAMPLE_PAIRS,
    },
  ],
};

/** Writes both fixture runs and the page; returns its path and the cells it embeds. */
export async function writeBrowserPage(root: string): Promise<{ file: string; cells: TranscriptCell[] }> {
  writeRunFixture(path.join(root, 'base'), ['model-a']);
  writeRunFixture(path.join(root, 'cand'), ['model-b']);
  editRun(path.join(root, 'base'));
  editRun(path.join(root, 'cand'));
  const cells: TranscriptCell[] = [];
  const opts = { watchlist: new Set(['dominance']), changedScenarios: new Set([CHANGED_SCENARIO]) };
  const file = path.join(root, 'report.html');
  await writeHtmlPage({
    file,
    title: 'valuescope diff — model-a → model-b',
    blocks: pageBlocks(),
    charts: { charts: [], skipped: 'charts skipped: --no-charts was given' },
    examples: EXAMPLES,
    cells: async (emit) => {
      const keep = (c: TranscriptCell) => {
        cells.push(c);
        emit(c);
      };
      const notes: string[] = [];
      const n = await streamCells({ runDir: path.join(root, 'base'), modelId: 'model-a', side: 'base' }, keep, notes, opts);
      return n + (await streamCells({ runDir: path.join(root, 'cand'), modelId: 'model-b', side: 'cand' }, keep, notes, opts));
    },
  });
  return { file, cells };
}
