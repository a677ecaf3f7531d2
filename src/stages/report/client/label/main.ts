/**
 * The labelling page's only script (bundled by esbuild, allowed by its hash in the page's CSP; see
 * stages/report/label/label-script.ts). It reads the draw embedded in the page, asks for the
 * annotator's name when `--annotator` did not give it, and runs the session. Text goes into the
 * page through textContent only; it makes no request of any kind.
 */
import type { LabelPageData } from '../../label/label-data.js';
import { Labeller } from './labeller.js';
import { LabelStore } from './store.js';

const LAST_ANNOTATOR = 'valuescope-label:last-annotator';

function readData(): LabelPageData | null {
  try {
    return JSON.parse(document.getElementById('label-data')?.textContent ?? '') as LabelPageData;
  } catch {
    return null;
  }
}

function begin(data: LabelPageData, annotator: string): void {
  try {
    window.localStorage.setItem(LAST_ANNOTATOR, annotator);
  } catch {
    // Remembering the name is a convenience only.
  }
  (document.getElementById('annotator-form') as HTMLElement).hidden = true;
  (document.getElementById('workspace') as HTMLElement).hidden = false;
  const store = new LabelStore(
    `valuescope-label:${data.drawId}:${annotator}`,
    data.cells.map((c) => c.cellId),
  );
  new Labeller(data, store, annotator).start();
}

/** Without --annotator, the name is asked first: it goes into every exported line and keys the saved labels. */
function askAnnotator(data: LabelPageData): void {
  const form = document.getElementById('annotator-form') as HTMLFormElement;
  const input = document.getElementById('annotator-input') as HTMLInputElement;
  form.hidden = false;
  try {
    input.value = window.localStorage.getItem(LAST_ANNOTATOR) ?? '';
  } catch {
    input.value = '';
  }
  input.focus();
  input.select();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = input.value.trim();
    if (name) {
      input.blur();
      begin(data, name);
    }
  });
}

function start(): void {
  const data = readData();
  if (!data || data.cells.length === 0) return;
  if (data.annotator) begin(data, data.annotator);
  else askAnnotator(data);
}

start();
