import type { TranscriptCell } from '../transcript-cell.js';
import { el, textNode } from './dom.js';

/**
 * The model's answer, with each span the judge quoted as evidence wrapped in a <mark> whose
 * tooltip names the value. Marks arrive sorted; one that overlaps the previous is skipped.
 */
export function responseView(cell: TranscriptCell): HTMLDivElement {
  const box = el('div', 'msg assistant');
  box.appendChild(el('div', 'role', `${cell.model}: answer`));
  const text = cell.response ?? '';
  let pos = 0;
  for (const [start, end, valueIndex] of cell.marks ?? []) {
    if (start < pos) continue;
    box.appendChild(textNode(text.slice(pos, start)));
    const mark = el('mark', null, text.slice(start, end));
    const value = cell.aiValues?.[valueIndex];
    if (value) mark.title = value.name;
    box.appendChild(mark);
    pos = end;
  }
  box.appendChild(textNode(text.slice(pos)));
  return box;
}
