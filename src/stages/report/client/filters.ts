import type { TranscriptCell } from '../transcript-cell.js';

/** A filter set by a report link (client/links.ts): the cells counting in a metric, or a list of cells. */
export type LinkFilter =
  | { kind: 'metric'; metric: string; domain: string | null }
  | { kind: 'cells'; ids: ReadonlySet<string>; label?: string };

/** What the transcript browser shows: every non-empty field narrows the list. */
export interface FilterState {
  search: string;
  model: string;
  domain: string;
  responseType: string;
  expectFailed: boolean;
  watchHit: boolean;
  changed: boolean;
  link: LinkFilter | null;
}

export function isFiltered(f: FilterState): boolean {
  return (
    f.search.trim() !== '' ||
    f.model !== '' ||
    f.domain !== '' ||
    f.responseType !== '' ||
    f.expectFailed ||
    f.watchHit ||
    f.changed ||
    f.link !== null
  );
}

/**
 * The lower-cased text a search looks in, built once per cell on the first search (not at load:
 * a page that is never searched pays nothing). Fields are joined with a newline so a query cannot
 * match across two of them.
 */
export class SearchIndex {
  private readonly texts = new WeakMap<TranscriptCell, string>();

  text(cell: TranscriptCell): string {
    let t = this.texts.get(cell);
    if (t === undefined) {
      const parts = [cell.id, cell.scenario, cell.system ?? '', ...cell.messages.map((m) => m.text), cell.response ?? ''];
      for (const v of cell.aiValues ?? []) parts.push(v.name);
      parts.push(...(cell.humanValues ?? []), ...cell.userValues);
      t = parts.join('\n').toLowerCase();
      this.texts.set(cell, t);
    }
    return t;
  }
}

function linkMatches(link: LinkFilter, cell: TranscriptCell): boolean {
  if (link.kind === 'cells') return link.ids.has(cell.id);
  if (link.domain !== null && cell.domain !== link.domain) return false;
  return cell.metrics?.includes(link.metric) ?? false;
}

/** The cells the filter lets through, in their original order. */
export function applyFilter(cells: readonly TranscriptCell[], f: FilterState, index: SearchIndex): TranscriptCell[] {
  const query = f.search.trim().toLowerCase();
  return cells.filter(
    (c) =>
      (f.model === '' || c.model === f.model) &&
      (f.domain === '' || c.domain === f.domain) &&
      (f.responseType === '' || c.responseType === f.responseType) &&
      (!f.expectFailed || c.expectPass === false) &&
      (!f.watchHit || (c.watchHits?.length ?? 0) > 0) &&
      (!f.changed || c.changed === true) &&
      (f.link === null || linkMatches(f.link, c)) &&
      (query === '' || index.text(c).includes(query)),
  );
}

/** The chip's text for a link filter: "showing cells counting in <metric> (<domain>)". */
export function linkFilterText(link: LinkFilter): string {
  if (link.kind === 'cells') {
    const n = `${link.ids.size} cell${link.ids.size === 1 ? '' : 's'}`;
    return link.label !== undefined ? `showing the ${n} of the examples of ${link.label}` : `showing the ${n} linked here`;
  }
  return `showing cells counting in ${link.metric}${link.domain !== null ? ` (${link.domain})` : ''}`;
}
