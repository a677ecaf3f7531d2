import type { TranscriptCell } from '../transcript-cell.js';
import { el } from './dom.js';
import type { FilterState } from './filters.js';
import { compareText } from './group.js';

/**
 * The filter controls of the transcripts section (static markup from transcript-section.ts; the
 * ids are the page's contract with its tests). Any missing element simply filters nothing.
 */
export class Controls {
  private readonly search = byId<HTMLInputElement>('transcript-search');
  private readonly domain = byId<HTMLSelectElement>('domain-filter');
  private readonly type = byId<HTMLSelectElement>('type-filter');
  private readonly model = byId<HTMLSelectElement>('model-filter');
  private readonly expect = byId<HTMLInputElement>('expect-filter');
  private readonly watch = byId<HTMLInputElement>('watch-filter');
  private readonly changed = byId<HTMLInputElement>('changed-filter');

  constructor(cells: readonly TranscriptCell[]) {
    addOptions(this.domain, distinct(cells.map((c) => c.domain)));
    addOptions(
      this.type,
      distinct(cells.map((c) => c.responseType ?? '')).filter((t) => t !== ''),
      (t) => t.replace(/_/g, ' '),
    );
    addOptions(this.model, distinct(cells.map((c) => c.model)));
    // "changed between sides" means something only on a diff's page, which has both sides.
    const sides = new Set(cells.map((c) => c.side));
    const changedLabel = byId<HTMLElement>('changed-filter-label');
    if (changedLabel && sides.has('base') && sides.has('cand')) changedLabel.hidden = false;
  }

  /** Calls `onChange` on every edit; typing is debounced so a 5,000-cell page filters once per pause. */
  listen(onChange: () => void): void {
    let timer: number | undefined;
    this.search?.addEventListener('input', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(onChange, 150);
    });
    for (const control of [this.domain, this.type, this.model, this.expect, this.watch, this.changed])
      control?.addEventListener('change', onChange);
  }

  read(link: FilterState['link']): FilterState {
    return {
      search: this.search?.value ?? '',
      model: this.model?.value ?? '',
      domain: this.domain?.value ?? '',
      responseType: this.type?.value ?? '',
      expectFailed: this.expect?.checked ?? false,
      watchHit: this.watch?.checked ?? false,
      changed: this.changed?.checked ?? false,
      link,
    };
  }

  reset(): void {
    if (this.search) this.search.value = '';
    for (const select of [this.domain, this.type, this.model]) if (select) select.value = '';
    for (const box of [this.expect, this.watch, this.changed]) if (box) box.checked = false;
  }
}

function byId<T extends HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareText);
}

/** Appends one option per value (the "all" option is already in the page). */
function addOptions(select: HTMLSelectElement | null, values: readonly string[], text: (v: string) => string = (v) => v): void {
  if (!select) return;
  for (const value of values) {
    const option = el('option', null, text(value));
    option.value = value;
    select.appendChild(option);
  }
}
