import type { TranscriptCell } from '../transcript-cell.js';
import { cellView } from './cell-view.js';
import { el } from './dom.js';
import { compareText, groupBy } from './group.js';
import { lazyDetails } from './lazy-details.js';

/**
 * How many transcripts a filtered list builds at once: the groups holding the first ones open,
 * the rest stay collapsed (and are built when opened), so a filter matching 5,000 cells stays fast.
 */
const OPEN_BUDGET = 40;

/** By model label, then sample number. */
function byModelThenSample(a: TranscriptCell, b: TranscriptCell): number {
  return compareText(a.model, b.model) || a.sample - b.sample;
}

/** Cells left to open; shared by the groups of one rendering. */
interface Budget {
  left: number;
}

/** One scenario; its transcripts are built when it is first opened (or now, while the budget lasts). */
function scenarioDetails(scenario: string, cells: TranscriptCell[], budget: Budget | null): HTMLDetailsElement {
  // A scenario is opened whole; the first one always is, however many cells it has.
  const open = budget !== null && budget.left > 0 && (cells.length <= budget.left || budget.left === OPEN_BUDGET);
  if (open && budget) budget.left -= cells.length;
  const details = lazyDetails(
    scenario,
    cells.length,
    (box) => {
      for (const cell of cells.sort(byModelThenSample)) box.appendChild(cellView(cell));
    },
    open,
  );
  details.className = 'scenario';
  details.dataset.scenario = scenario;
  return details;
}

/** One domain; its scenarios are listed when it is first opened (or now, while the budget lasts). */
function domainDetails(domain: string, cells: readonly TranscriptCell[], budget: Budget | null): HTMLDetailsElement {
  const open = budget !== null && budget.left > 0;
  const details = lazyDetails(
    domain,
    cells.length,
    (box) => {
      // Opened by the user later: its scenarios start collapsed, like an unfiltered list.
      const inner = open ? budget : null;
      for (const [scenario, inScenario] of groupBy(cells, (c) => c.scenario)) box.appendChild(scenarioDetails(scenario, inScenario, inner));
    },
    open,
  );
  details.className = 'domain';
  details.dataset.domain = domain;
  return details;
}

/**
 * Replaces the browser's content with the given transcripts, grouped by domain then scenario. With
 * `expand` (a filter is active) the first groups are opened, up to OPEN_BUDGET transcripts.
 */
export function renderBrowser(root: HTMLElement, cells: readonly TranscriptCell[], expand = false): void {
  root.textContent = '';
  if (cells.length === 0) {
    root.appendChild(el('p', 'muted empty', expand ? 'No transcripts match.' : 'No transcripts.'));
    return;
  }
  if (expand && cells.length > OPEN_BUDGET)
    root.appendChild(el('p', 'muted', 'The first groups are open; open a domain or scenario for the rest of the matches.'));
  const budget = expand ? { left: OPEN_BUDGET } : null;
  for (const [domain, inDomain] of groupBy(cells, (c) => c.domain)) root.appendChild(domainDetails(domain, inDomain, budget));
}
