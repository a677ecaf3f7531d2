/**
 * The report's only script (bundled into one IIFE by esbuild and allowed by its hash in the page's
 * CSP; see html-client.ts). It builds the transcript browser from the JSON embedded in the page,
 * lazily, one domain or scenario at a time; filters it; follows the report's links to transcripts
 * and paired examples. It only ever inserts text with textContent / createTextNode: no model text
 * is ever parsed as HTML.
 */
import type { ExamplesData } from '../example-data.js';
import type { TranscriptCell } from '../transcript-cell.js';
import { Controls } from './controls.js';
import { el } from './dom.js';
import { ExamplesPanel } from './examples-panel.js';
import { applyFilter, isFiltered, type LinkFilter, linkFilterText, SearchIndex } from './filters.js';
import { onReportLink, type ReportLink } from './links.js';
import { renderBrowser } from './transcript-browser.js';

/** An embedded JSON block. Written by the report's own writer into this very page, so trusted to match its type. */
function readJson<T>(id: string, fallback: T): T {
  const blob = document.getElementById(id);
  if (!blob?.textContent) return fallback;
  try {
    return JSON.parse(blob.textContent) as T;
  } catch {
    return fallback;
  }
}

/** The active link filter as a chip with a "clear" button; hidden when there is none. */
function renderChip(chip: HTMLElement | null, link: LinkFilter | null, clear: () => void): void {
  if (!chip) return;
  chip.textContent = '';
  chip.hidden = link === null;
  if (!link) return;
  chip.appendChild(el('span', null, `${linkFilterText(link)} — `));
  const button = el('button', 'chip-clear', 'clear');
  button.type = 'button';
  button.addEventListener('click', clear);
  chip.appendChild(button);
}

/** A report link as a browser filter; a link naming cells is the more specific one. */
function linkFilter(link: ReportLink): LinkFilter | null {
  if (link.cells) return { kind: 'cells', ids: new Set(link.cells) };
  if (link.metric !== undefined) return { kind: 'metric', metric: link.metric, domain: link.domain ?? null };
  return null;
}

function start(): void {
  const root = document.getElementById('browser');
  if (!root) return;
  const cells = readJson<TranscriptCell[]>('cells', []);
  const examples = readJson<ExamplesData>('examples', { baseLabel: '', candidateLabel: '', sets: [] });
  const controls = new Controls(cells);
  const index = new SearchIndex();
  const count = document.getElementById('transcript-count');
  let link: LinkFilter | null = null;
  const render = () => {
    const state = controls.read(link);
    const filtered = isFiltered(state);
    const shown = filtered ? applyFilter(cells, state, index) : cells;
    renderBrowser(root, shown, filtered);
    if (count) count.textContent = `${shown.length} of ${cells.length} transcripts`;
    renderChip(document.getElementById('active-filter'), link, () => {
      link = null;
      render();
    });
  };
  const showLinked = (next: LinkFilter) => {
    panel.close();
    controls.reset();
    link = next;
    render();
    document.getElementById('transcripts')?.scrollIntoView({ block: 'start' });
  };
  const panel = new ExamplesPanel({
    cells: new Map(cells.map((c) => [c.id, c])),
    data: examples,
    showCells: (ids, label) => showLinked({ kind: 'cells', ids: new Set(ids), label }),
  });
  onReportLink((target, source) => {
    const set = target.example !== undefined ? panel.find(target.example) : undefined;
    if (set) return panel.open(set, source);
    const filter = linkFilter(target);
    if (filter) showLinked(filter);
  });
  controls.listen(render);
  document.getElementById('clear-filters')?.addEventListener('click', () => {
    controls.reset();
    link = null;
    render();
  });
  render();
}

start();
