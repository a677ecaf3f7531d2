/**
 * The report's only script (bundled into one IIFE by esbuild and allowed by its hash in the page's
 * CSP; see html-client.ts). It builds the transcript browser from the JSON embedded in the page,
 * lazily, one domain or scenario at a time, and only ever inserts text with textContent /
 * createTextNode: no model text is ever parsed as HTML.
 */
import type { TranscriptCell } from '../transcript-cell.js';
import { el } from './dom.js';
import { compareText } from './group.js';
import { renderBrowser } from './transcript-browser.js';

/** Fills the model <select> with every model label, sorted; "all models" is already in the page. */
function addModelOptions(select: HTMLSelectElement, cells: readonly TranscriptCell[]): void {
  for (const model of [...new Set(cells.map((c) => c.model))].sort(compareText)) {
    const option = el('option', null, model);
    option.value = model;
    select.appendChild(option);
  }
}

function start(): void {
  const blob = document.getElementById('cells');
  const root = document.getElementById('browser');
  const select = document.getElementById('model-filter') as HTMLSelectElement | null;
  if (!blob || !root) return;
  // Written by the report's own writer (transcript-data.ts) into this very page, so trusted to match the type.
  const cells = JSON.parse(blob.textContent || '[]') as TranscriptCell[];
  const render = () => {
    const model = select ? select.value : '';
    renderBrowser(root, model ? cells.filter((c) => c.model === model) : cells);
  };
  if (select) {
    addModelOptions(select, cells);
    select.addEventListener('change', render);
  }
  render();
}

start();
