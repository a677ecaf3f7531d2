/**
 * The annotator's labels: one record per cell, an undo stack, and a copy in localStorage (keyed by
 * draw and annotator) after every change, so a closed tab or a crash loses nothing.
 */
export interface CellLabel {
  responseType: string | null;
  refusal: string | null;
  aiValues: string[];
  humanValues: string[];
  /**
   * Whether the annotator went into each value field (its key, or adding or removing a name). Only a
   * visited field is a label: an empty list there says "none", an unvisited one says nothing, so a
   * cell labelled for its response type alone does not count as "expresses no values".
   */
  aiVisited: boolean;
  humanVisited: boolean;
  /** The answer was changed after it was complete, i.e. after the judge's labels were shown. */
  revisedAfterReveal: boolean;
  /** The annotator said the answer (values included) is complete; an empty value list is then a label. */
  done: boolean;
  /** When the answer was last changed while complete (ISO time); null while incomplete. */
  labelledAt: string | null;
}

interface Saved {
  v: 1;
  labels: Record<string, CellLabel>;
  position: number;
}

const blank = (): CellLabel => ({
  responseType: null,
  refusal: null,
  aiValues: [],
  humanValues: [],
  aiVisited: false,
  humanVisited: false,
  revisedAfterReveal: false,
  done: false,
  labelledAt: null,
});
const copy = (l: CellLabel): CellLabel => ({ ...l, aiValues: [...l.aiValues], humanValues: [...l.humanValues] });

export function isComplete(l: CellLabel): boolean {
  return l.done && l.responseType !== null && l.refusal !== null;
}

/** localStorage can be missing or full (private windows, quotas): the store then works in memory only. */
function storageOf(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export class LabelStore {
  private readonly labels = new Map<string, CellLabel>();
  private readonly undoStack: { cellId: string; before: CellLabel }[] = [];
  private readonly storage = storageOf();
  position = 0;
  /** False once saving failed: the page tells the annotator to export often. */
  saving = true;

  constructor(
    private readonly key: string,
    private readonly cellIds: readonly string[],
  ) {
    this.load();
  }

  private load(): void {
    const text = this.storage?.getItem(this.key);
    if (!text) return;
    try {
      const saved = JSON.parse(text) as Saved;
      for (const id of this.cellIds) {
        const l = saved.labels?.[id];
        if (l) this.labels.set(id, { ...blank(), ...l });
      }
      if (Number.isInteger(saved.position)) this.position = Math.min(Math.max(saved.position, 0), this.cellIds.length - 1);
    } catch {
      // A damaged copy is ignored; the labels start empty rather than wrong.
    }
  }

  save(): void {
    if (!this.storage) {
      this.saving = false;
      return;
    }
    const saved: Saved = { v: 1, labels: Object.fromEntries(this.labels), position: this.position };
    try {
      this.storage.setItem(this.key, JSON.stringify(saved));
      this.saving = true;
    } catch {
      this.saving = false;
    }
  }

  get(cellId: string): CellLabel {
    return copy(this.labels.get(cellId) ?? blank());
  }

  /** Applies one change to a cell's label; returns false (and records nothing) when it changed nothing. */
  update(cellId: string, change: (l: CellLabel) => void, now: Date): boolean {
    const before = this.get(cellId);
    const after = copy(before);
    change(after);
    if (JSON.stringify(after) === JSON.stringify(before)) return false;
    // Completing the answer reveals the judge; any change after that may be anchored on it.
    if (isComplete(before)) after.revisedAfterReveal = true;
    after.labelledAt = isComplete(after) ? now.toISOString() : null;
    this.undoStack.push({ cellId, before });
    this.labels.set(cellId, after);
    this.save();
    return true;
  }

  /** Undoes the last change; returns the cell it was made to, or null when there is nothing to undo. */
  undo(): string | null {
    const last = this.undoStack.pop();
    if (!last) return null;
    this.labels.set(last.cellId, last.before);
    this.save();
    return last.cellId;
  }

  completed(): number {
    return this.cellIds.filter((id) => isComplete(this.get(id))).length;
  }
}
