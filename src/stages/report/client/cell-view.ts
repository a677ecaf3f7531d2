import type { TranscriptCell } from '../transcript-cell.js';
import { el, textNode } from './dom.js';
import { judgmentTags, judgmentView } from './judgment-view.js';
import { responseView } from './response-view.js';

/**
 * One transcript: heading, judgment tags, the conversation, errors, then the judgment. `anchor`
 * gives it the element id `cell-<id>`: only the browser's copy has it, so a cell shown again in
 * the examples panel does not duplicate an id.
 */
export function cellView(cell: TranscriptCell, anchor = true): HTMLDivElement {
  const box = el('div', 'cell');
  if (anchor) box.id = `cell-${cell.id}`;
  box.dataset.cell = cell.id;
  const head = el('h4', null, `${cell.model} · sample ${cell.sample}`);
  head.appendChild(el('span', 'cell-id', cell.id));
  box.appendChild(head);
  box.appendChild(judgmentTags(cell));
  for (const node of conversation(cell)) box.appendChild(node);
  if (cell.error) box.appendChild(el('p', 'err', `cell error: ${cell.error}`));
  if (cell.judgeError) box.appendChild(el('p', 'err', `judge error: ${cell.judgeError}`));
  const judgment = judgmentView(cell);
  if (judgment) box.appendChild(judgment);
  return box;
}

/** System prompt (when non-empty), the request's messages, then the response unless the call failed. */
function conversation(cell: TranscriptCell): HTMLDivElement[] {
  const nodes: HTMLDivElement[] = [];
  if (cell.system) nodes.push(message('msg', 'system', cell.system));
  // A user message keeps the class "msg " (trailing space), exactly as the page always had it.
  // Earlier assistant turns are the scenario's script, not the model's answer: labelled so, and styled as the prompt.
  for (const m of cell.messages) nodes.push(message('msg ', m.role === 'assistant' ? 'assistant (scripted turn)' : m.role, m.text));
  if (cell.response !== null) nodes.push(responseView(cell));
  return nodes;
}

function message(className: string, role: string, text: string): HTMLDivElement {
  const box = el('div', className);
  box.appendChild(el('div', 'role', role));
  box.appendChild(textNode(text));
  return box;
}
