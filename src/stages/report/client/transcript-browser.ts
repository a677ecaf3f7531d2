import type { TranscriptCell } from '../transcript-cell.js';
import { cellView } from './cell-view.js';
import { el } from './dom.js';
import { compareText, groupBy } from './group.js';
import { lazyDetails } from './lazy-details.js';

/** By model label, then sample number. */
function byModelThenSample(a: TranscriptCell, b: TranscriptCell): number {
  return compareText(a.model, b.model) || a.sample - b.sample;
}

/** One collapsed scenario; its transcripts are built when it is first opened. */
function scenarioDetails(scenario: string, cells: TranscriptCell[]): HTMLDetailsElement {
  const details = lazyDetails(scenario, cells.length, (open) => {
    for (const cell of cells.sort(byModelThenSample)) open.appendChild(cellView(cell));
  });
  details.className = 'scenario';
  details.dataset.scenario = scenario;
  return details;
}

/** One collapsed domain; its scenarios are listed when it is first opened. */
function domainDetails(domain: string, cells: readonly TranscriptCell[]): HTMLDetailsElement {
  return lazyDetails(domain, cells.length, (open) => {
    for (const [scenario, inScenario] of groupBy(cells, (c) => c.scenario)) open.appendChild(scenarioDetails(scenario, inScenario));
  });
}

/** Replaces the browser's content with the given transcripts, grouped by domain then scenario. */
export function renderBrowser(root: HTMLElement, cells: readonly TranscriptCell[]): void {
  root.textContent = '';
  if (cells.length === 0) {
    root.appendChild(el('p', 'muted', 'No transcripts.'));
    return;
  }
  for (const [domain, inDomain] of groupBy(cells, (c) => c.domain)) root.appendChild(domainDetails(domain, inDomain));
}
