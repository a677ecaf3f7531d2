import { el } from './dom.js';

/**
 * A <details> titled "label (count)" whose content is built by `fill` the first time it is opened:
 * a large run's thousands of transcripts are only turned into DOM on demand. `open` builds it now,
 * already expanded (a filtered list opens its first groups).
 */
export function lazyDetails(label: string, count: number, fill: (details: HTMLDetailsElement) => void, open = false): HTMLDetailsElement {
  const details = el('details');
  const summary = el('summary');
  summary.appendChild(el('span', null, label));
  summary.appendChild(el('span', 'count', `(${count})`));
  details.appendChild(summary);
  let filled = false;
  const fillOnce = () => {
    if (filled) return;
    filled = true;
    fill(details);
  };
  if (open) {
    fillOnce();
    details.open = true;
  }
  details.addEventListener('toggle', () => {
    if (details.open) fillOnce();
  });
  return details;
}
