import { el } from './dom.js';

/**
 * A collapsed <details> titled "label (count)" whose content is built by `fill` the first time it
 * is opened: a large run's thousands of transcripts are only turned into DOM on demand.
 */
export function lazyDetails(label: string, count: number, fill: (details: HTMLDetailsElement) => void): HTMLDetailsElement {
  const details = el('details');
  const summary = el('summary');
  summary.appendChild(el('span', null, label));
  summary.appendChild(el('span', 'count', `(${count})`));
  details.appendChild(summary);
  let filled = false;
  details.addEventListener('toggle', () => {
    if (details.open && !filled) {
      filled = true;
      fill(details);
    }
  });
  return details;
}
