import { REFUSAL_KEYS } from '../../label/label-data.js';

export interface KeyActions {
  type: (index: number) => void;
  refusal: (index: number) => void;
  values: (field: 'ai' | 'human') => void;
  submit: () => void;
  move: (step: 1 | -1) => void;
  undo: () => void;
  export: () => void;
  help: () => void;
}

/** Whether a key press belongs to a text field or a native control rather than to the page's shortcuts. */
function ownedByControl(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  if (t.closest('input, textarea, select')) return true;
  // Enter and Space on a button press it, except on the label buttons (Enter there = answer complete).
  return (e.key === 'Enter' || e.key === ' ') && t.tagName === 'BUTTON' && t.getAttribute('role') !== 'radio';
}

/** The page's keyboard shortcuts (listed in its help and docs/labelling.md). */
export function bindKeys(count: number, act: KeyActions): void {
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || ownedByControl(e)) return;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
      e.preventDefault();
      return act.undo();
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const digit = Number(e.key);
    const refusal = (REFUSAL_KEYS as readonly string[]).indexOf(e.key);
    const handlers: Record<string, () => void> = {
      a: () => act.values('ai'),
      h: () => act.values('human'),
      Enter: act.submit,
      j: () => act.move(1),
      ArrowRight: () => act.move(1),
      k: () => act.move(-1),
      ArrowLeft: () => act.move(-1),
      z: act.undo,
      e: act.export,
      '?': act.help,
    };
    let run: (() => void) | undefined = handlers[e.key];
    if (Number.isInteger(digit) && digit >= 1 && digit <= count) run = () => act.type(digit - 1);
    else if (refusal >= 0) run = () => act.refusal(refusal);
    if (!run) return;
    e.preventDefault();
    run();
  });
}
