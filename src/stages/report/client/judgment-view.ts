import type { CellAiValue, CellRater, TranscriptCell } from '../transcript-cell.js';
import { el } from './dom.js';

const label = (type: string) => type.replace(/_/g, ' ');

/**
 * The scenario's expectation against the judged response type: a pass/fail badge, or a neutral
 * one when the cell has no usable judgment (errors count in neither).
 */
function expectBadge(cell: TranscriptCell): HTMLSpanElement | null {
  if (!cell.expect?.length) return null;
  const expected = cell.expect.map(label).join(' or ');
  if (cell.expectPass === undefined) return el('span', 'badge none', `expected ${expected} (not judged)`);
  const badge = el(
    'span',
    `badge ${cell.expectPass ? 'pass' : 'fail'}`,
    cell.expectPass ? `✓ expected ${expected}` : `✗ expected ${expected}, judged ${cell.responseType ? label(cell.responseType) : 'none'}`,
  );
  badge.dataset.expect = cell.expectPass ? 'pass' : 'fail';
  return badge;
}

/** Response type, refusal, expectation, watch-list hits and the scenario's user values, as tags. */
export function judgmentTags(cell: TranscriptCell): HTMLDivElement {
  const row = el('div', 'tags');
  if (cell.responseType) row.appendChild(el('span', 'tag rt', `response: ${label(cell.responseType)}`));
  if (cell.refusal && cell.refusal !== 'none') row.appendChild(el('span', 'tag', `refusal: ${cell.refusal}`));
  const badge = expectBadge(cell);
  if (badge) row.appendChild(badge);
  for (const hit of cell.watchHits ?? []) row.appendChild(el('span', 'badge watch', `watch list: ${hit}`));
  if (cell.changed) row.appendChild(el('span', 'badge changed', 'changed between sides'));
  for (const value of cell.userValues) row.appendChild(el('span', 'tag', `user value: ${value}`));
  return row;
}

/** One AI value: its name and top-level category, then the quote the judge gave as evidence. */
function aiValueItem(value: CellAiValue, highlighted: boolean): HTMLLIElement {
  const item = el('li');
  item.appendChild(el('span', `tag v${highlighted ? ' hit' : ''}`, value.name));
  if (value.category) item.appendChild(el('span', 'muted', ` ${value.category}`));
  if (value.evidence) {
    item.appendChild(el('span', 'muted', ' — evidence: '));
    item.appendChild(el('q', 'evidence', value.evidence));
  }
  return item;
}

function raterItem(rater: CellRater): HTMLLIElement {
  const labels = [rater.responseType ? label(rater.responseType) : 'no response type', `refusal ${rater.refusal ?? 'none given'}`];
  const item = el('li', null, `${rater.judge}: ${labels.join(', ')}`);
  if (rater.error) item.appendChild(el('span', 'err', ` (error: ${rater.error})`));
  return item;
}

/** The judgment as the judgments file records it: judge, values with category and evidence, raters. */
export function judgmentView(cell: TranscriptCell): HTMLDivElement | null {
  if (cell.judge === undefined && !cell.aiValues?.length && !cell.humanValues?.length) return null;
  const box = el('div', 'judgment');
  if (cell.judge !== undefined) box.appendChild(el('div', 'muted judge', `judged by ${cell.judge}`));
  if (cell.aiValues?.length) {
    box.appendChild(el('div', 'muted', 'AI values:'));
    const highlighted = new Set((cell.marks ?? []).map((mark) => mark[2]));
    const list = el('ul', 'values');
    cell.aiValues.forEach((value, i) => {
      list.appendChild(aiValueItem(value, highlighted.has(i)));
    });
    box.appendChild(list);
  }
  if (cell.humanValues?.length) {
    const row = el('div');
    row.appendChild(el('span', 'muted', 'human values: '));
    for (const value of cell.humanValues) row.appendChild(el('span', 'tag', value));
    box.appendChild(row);
  }
  if (cell.raters?.length) {
    box.appendChild(el('div', 'muted', `${cell.raters.length} raters:`));
    const list = el('ul', 'raters');
    for (const rater of cell.raters) list.appendChild(raterItem(rater));
    box.appendChild(list);
  }
  return box;
}
