import type { ExamplePair, ExampleSet, ExamplesData } from '../example-data.js';
import type { TranscriptCell } from '../transcript-cell.js';
import { cellView } from './cell-view.js';
import { el } from './dom.js';

/** What the panel needs from the page: the cells by id, the side labels, and a way to list the cells below. */
export interface ExamplesContext {
  cells: ReadonlyMap<string, TranscriptCell>;
  data: ExamplesData;
  /** Shows exactly these cells in the transcript browser. */
  showCells: (ids: string[], label: string) => void;
}

function side(label: string, className: string, id: string, ctx: ExamplesContext): HTMLDivElement {
  const box = el('div', `pair-side ${className}`);
  box.appendChild(el('div', 'side-label', label));
  const cell = ctx.cells.get(id);
  box.appendChild(cell ? cellView(cell, false) : el('p', 'muted', `cell ${id} is not in this report`));
  return box;
}

function pairView(pair: ExamplePair, ctx: ExamplesContext): HTMLElement {
  const box = el('section', 'pair');
  box.dataset.scenario = pair.scenario;
  box.appendChild(el('h4', 'pair-head', `${pair.scenario} · ${pair.domain}`));
  const sides = el('div', 'pair-sides');
  sides.appendChild(side(ctx.data.baseLabel || 'base', 'base', pair.base, ctx));
  sides.appendChild(side(ctx.data.candidateLabel || 'candidate', 'cand', pair.cand, ctx));
  box.appendChild(sides);
  return box;
}

/**
 * The paired examples of one change, in a sheet fixed to the bottom of the window: it is visible
 * wherever the clicked row is, and the row is scrolled (if needed) to stay in view above it.
 */
export class ExamplesPanel {
  private panel: HTMLElement | null = null;
  private returnFocus: HTMLElement | null = null;

  constructor(private readonly ctx: ExamplesContext) {
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.panel) this.close();
    });
  }

  find(id: string): ExampleSet | undefined {
    return this.ctx.data.sets.find((s) => s.id === id);
  }

  open(set: ExampleSet, source: HTMLElement): void {
    this.close();
    const panel = el('aside', 'examples-panel');
    panel.id = 'examples-panel';
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-labelledby', 'examples-title');
    panel.tabIndex = -1;
    panel.dataset.example = set.id;
    panel.appendChild(this.head(set));
    panel.appendChild(el('p', 'muted detail', set.detail));
    if (set.pairs.length === 0) panel.appendChild(el('p', 'muted', 'No paired examples for this change.'));
    for (const pair of set.pairs) panel.appendChild(pairView(pair, this.ctx));
    document.body.appendChild(panel);
    document.body.classList.add('examples-open');
    this.panel = panel;
    this.returnFocus = source;
    panel.focus({ preventScroll: true });
    keepAbove(source, panel);
  }

  close(): void {
    if (!this.panel) return;
    this.panel.remove();
    this.panel = null;
    document.body.classList.remove('examples-open');
    this.returnFocus?.focus({ preventScroll: true });
    this.returnFocus = null;
  }

  private head(set: ExampleSet): HTMLDivElement {
    const head = el('div', 'panel-head');
    const title = el('h3', null, set.title);
    title.id = 'examples-title';
    head.appendChild(title);
    const ids = set.pairs.flatMap((p) => [p.base, p.cand]);
    if (ids.length > 0) {
      const list = el('button', 'panel-list', 'list these cells');
      list.type = 'button';
      list.addEventListener('click', () => {
        this.close();
        this.ctx.showCells(ids, set.title);
      });
      head.appendChild(list);
    }
    const close = el('button', 'panel-close', 'Close ✕');
    close.type = 'button';
    close.setAttribute('aria-label', 'Close the examples');
    close.addEventListener('click', () => this.close());
    head.appendChild(close);
    return head;
  }
}

/** Scrolls the page just enough that `source` is not hidden behind the fixed panel. */
function keepAbove(source: HTMLElement, panel: HTMLElement): void {
  const row = source.getBoundingClientRect();
  const top = panel.getBoundingClientRect().top;
  if (row.bottom > top - 8) window.scrollBy(0, row.bottom - top + 8);
  else if (row.top < 0) window.scrollBy(0, row.top - 8);
}
