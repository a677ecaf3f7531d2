import type { CellAiValue, TranscriptCell } from '../transcript-cell.js';
import { el, textNode } from './dom.js';
import { responseView } from './response-view.js';

/** One transcript: heading, judgment tags, the conversation, errors, then the values found. */
export function cellView(cell: TranscriptCell): HTMLDivElement {
  const box = el('div', 'cell');
  box.id = `cell-${cell.id}`;
  box.appendChild(el('h4', null, `${cell.model} · sample ${cell.sample}`));
  box.appendChild(judgmentTags(cell));
  for (const node of conversation(cell)) box.appendChild(node);
  if (cell.error) box.appendChild(el('p', 'err', `cell error: ${cell.error}`));
  if (cell.judgeError) box.appendChild(el('p', 'err', `judge error: ${cell.judgeError}`));
  if (cell.aiValues?.length) box.appendChild(aiValuesRow(cell, cell.aiValues));
  if (cell.humanValues?.length) box.appendChild(tagRow('human values: ', cell.humanValues));
  return box;
}

/** Response type, refusal level and the scenario's user values, as tags (the row exists even when empty). */
function judgmentTags(cell: TranscriptCell): HTMLDivElement {
  const row = el('div');
  if (cell.responseType) row.appendChild(el('span', 'tag rt', `response: ${cell.responseType.replace(/_/g, ' ')}`));
  if (cell.refusal && cell.refusal !== 'none') row.appendChild(el('span', 'tag', `refusal: ${cell.refusal}`));
  for (const value of cell.userValues) row.appendChild(el('span', 'tag', `user value: ${value}`));
  return row;
}

/** System prompt (when non-empty), the request's messages, then the response unless the call failed. */
function conversation(cell: TranscriptCell): HTMLDivElement[] {
  const nodes: HTMLDivElement[] = [];
  if (cell.system) nodes.push(message('msg', 'system', cell.system));
  // A user message keeps the class "msg " (trailing space), exactly as the page always had it.
  for (const m of cell.messages) nodes.push(message(`msg ${m.role === 'assistant' ? 'assistant' : ''}`, m.role, m.text));
  if (cell.response !== null) nodes.push(responseView(cell));
  return nodes;
}

function message(className: string, role: string, text: string): HTMLDivElement {
  const box = el('div', className);
  box.appendChild(el('div', 'role', role));
  box.appendChild(textNode(text));
  return box;
}

/** The AI values, each tagged "name · category"; the ones highlighted in the response get class `hit`. */
function aiValuesRow(cell: TranscriptCell, values: readonly CellAiValue[]): HTMLDivElement {
  const row = el('div');
  row.appendChild(el('span', 'muted', 'AI values: '));
  const highlighted = new Set((cell.marks ?? []).map((mark) => mark[2]));
  values.forEach((value, i) => {
    const tag = el('span', `tag v${highlighted.has(i) ? ' hit' : ''}`, value.name + (value.category ? ` · ${value.category}` : ''));
    if (value.evidence) tag.title = `evidence: ${value.evidence}`;
    row.appendChild(tag);
  });
  return row;
}

function tagRow(label: string, tags: readonly string[]): HTMLDivElement {
  const row = el('div');
  row.appendChild(el('span', 'muted', label));
  for (const tag of tags) row.appendChild(el('span', 'tag', tag));
  return row;
}
