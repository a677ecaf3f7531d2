import { el } from '../dom.js';

const MAX_SUGGESTIONS = 8;

/** The name equal to the query, then names starting with it, then names with a word starting with it, then any containing it. */
function suggest(names: readonly string[], lower: readonly string[], query: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const tiers: string[][] = [[], [], [], []];
  for (let i = 0; i < names.length; i++) {
    const n = lower[i] ?? '';
    const at = n.indexOf(q);
    if (at < 0) continue;
    const tier = n === q ? 0 : at === 0 ? 1 : n[at - 1] === ' ' || n[at - 1] === '-' ? 2 : 3;
    if (tiers[tier]!.length < MAX_SUGGESTIONS) tiers[tier]!.push(names[i]!);
  }
  return tiers.flat().slice(0, MAX_SUGGESTIONS);
}

export interface ValueBoxEvents {
  add: (name: string) => void;
  remove: (index: number) => void;
  /** The annotator left the field (Esc, or Enter on an empty field). */
  leave: () => void;
}

/**
 * A value field as an ARIA combobox: typing lists taxonomy names; ↑/↓ choose, Enter adds the chosen
 * name (or the typed text, which may be a name outside the taxonomy), Backspace on an empty field
 * removes the last name, Esc closes the list or leaves the field.
 */
export class ValueBox {
  private readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly chips: HTMLUListElement;
  private options: string[] = [];
  private active = -1;

  constructor(
    private readonly prefix: string,
    private readonly names: readonly string[],
    private readonly lower: readonly string[],
    private readonly known: ReadonlySet<string>,
    private readonly on: ValueBoxEvents,
  ) {
    this.input = document.getElementById(`${prefix}-input`) as HTMLInputElement;
    this.list = document.getElementById(`${prefix}-list`) as HTMLUListElement;
    this.chips = document.getElementById(`${prefix}-chips`) as HTMLUListElement;
    this.input.addEventListener('input', () => this.refresh());
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('blur', () => this.close());
    // mousedown, not click: a click would blur the input (closing the list) before it lands.
    this.list.addEventListener('mousedown', (e) => {
      const li = (e.target as HTMLElement).closest('li');
      if (!li) return;
      e.preventDefault();
      this.commit(li.textContent ?? '');
    });
  }

  focus(): void {
    this.input.focus();
  }

  render(values: readonly string[]): void {
    this.chips.textContent = '';
    values.forEach((v, i) => {
      const li = el('li', this.known.has(v.toLowerCase()) ? null : 'off', v);
      if (!this.known.has(v.toLowerCase())) li.title = 'not a taxonomy name (kept as typed)';
      const x = el('button', null, '×');
      x.type = 'button';
      x.setAttribute('aria-label', `remove ${v}`);
      x.addEventListener('click', () => this.on.remove(i));
      li.appendChild(x);
      this.chips.appendChild(li);
    });
  }

  clear(): void {
    this.input.value = '';
    this.close();
  }

  private refresh(): void {
    this.options = suggest(this.names, this.lower, this.input.value);
    // A name that starts with what was typed is chosen for Enter; otherwise Enter adds the text as typed.
    const typed = this.input.value.trim().toLowerCase();
    this.active = this.options[0]?.toLowerCase().startsWith(typed) ? 0 : -1;
    this.list.textContent = '';
    this.options.forEach((o, i) => {
      const li = el('li', null, o);
      li.id = `${this.prefix}-opt-${i}`;
      li.setAttribute('role', 'option');
      this.list.appendChild(li);
    });
    this.list.hidden = this.options.length === 0;
    this.input.setAttribute('aria-expanded', String(!this.list.hidden));
    this.mark();
  }

  private mark(): void {
    this.list.querySelectorAll('li').forEach((li, i) => {
      li.setAttribute('aria-selected', String(i === this.active));
    });
    if (this.active >= 0) this.input.setAttribute('aria-activedescendant', `${this.prefix}-opt-${this.active}`);
    else this.input.removeAttribute('aria-activedescendant');
    this.list.querySelector('[aria-selected=true]')?.scrollIntoView({ block: 'nearest' });
  }

  private close(): void {
    this.options = [];
    this.active = -1;
    this.list.hidden = true;
    this.list.textContent = '';
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  private commit(name: string): void {
    const v = name.trim();
    this.clear();
    if (v) this.on.add(v);
  }

  private onKey(e: KeyboardEvent): void {
    const open = !this.list.hidden;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!open) return;
      e.preventDefault();
      // Positions -1 (the text as typed) .. n-1, round and round.
      const step = e.key === 'ArrowDown' ? 1 : -1;
      const n = this.options.length + 1;
      this.active = ((this.active + 1 + step + n) % n) - 1;
      this.mark();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const typed = this.input.value.trim();
      if (typed === '') this.on.leave();
      else this.commit(open && this.active >= 0 ? (this.options[this.active] ?? typed) : typed);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (open) this.close();
      else this.on.leave();
    } else if (e.key === 'Backspace' && this.input.value === '') {
      e.preventDefault();
      this.on.remove(-1);
    }
  }
}
