import type { LabelCell, LabelPageData } from '../../label/label-data.js';
import { download, exportName, exportText } from './export.js';
import { bindKeys } from './keys.js';
import { type CellLabel, isComplete, type LabelStore } from './store.js';
import { ValueBox } from './values-box.js';
import { missingParts, renderAnswer, renderProgress, renderTranscript, say } from './view.js';

type Field = 'ai' | 'human';
const listOf = (l: CellLabel, f: Field): string[] => (f === 'ai' ? l.aiValues : l.humanValues);
const visit = (l: CellLabel, f: Field): void => {
  if (f === 'ai') l.aiVisited = true;
  else l.humanVisited = true;
};

/** Adds a name unless the list already holds it (in any letter case). */
function addName(list: string[], name: string): void {
  if (!list.some((v) => v.toLowerCase() === name.toLowerCase())) list.push(name);
}

/** The labelling session: one cell at a time, every change through the store (saved, undoable). */
export class Labeller {
  private readonly boxes: Record<Field, ValueBox>;
  private index: number;

  constructor(
    private readonly data: LabelPageData,
    private readonly store: LabelStore,
    private readonly annotator: string,
  ) {
    this.index = store.position;
    const names = data.taxonomy.names;
    const lower = names.map((n) => n.toLowerCase());
    const known = new Set(lower);
    const box = (f: Field) =>
      new ValueBox(f, names, lower, known, {
        add: (name) =>
          this.change((l) => {
            visit(l, f);
            addName(listOf(l, f), name);
          }),
        remove: (i) =>
          this.change((l) => {
            visit(l, f);
            const list = listOf(l, f);
            list.splice(i < 0 ? list.length - 1 : i, 1);
          }),
        leave: () => (document.activeElement as HTMLElement | null)?.blur(),
      });
    this.boxes = { ai: box('ai'), human: box('human') };
  }

  private get cell(): LabelCell {
    return this.data.cells[this.index] as LabelCell;
  }

  start(): void {
    const types = this.data.rubric.responseTypes.map((r) => r.key);
    const refusals = this.data.rubric.refusals.map((r) => r.key);
    bindKeys(types.length, {
      type: (i) => this.choose('responseType', types[i]),
      refusal: (i) => this.choose('refusal', refusals[i]),
      values: (f) => {
        if (!(f === 'ai' ? this.store.get(this.cell.cellId).aiVisited : this.store.get(this.cell.cellId).humanVisited))
          this.change((l) => visit(l, f));
        this.boxes[f].focus();
      },
      submit: () => this.submit(),
      move: (step) => this.show(this.index + step),
      undo: () => this.undo(),
      export: () => this.export(),
      help: () => toggleHelp(),
    });
    this.bindButtons(types, refusals);
    if (!this.store.saving) say('Labels cannot be saved in this browser (storage is off or full): export often.');
    this.show(this.index);
  }

  private bindButtons(types: string[], refusals: string[]): void {
    const click = (id: string, f: () => void) => document.getElementById(id)?.addEventListener('click', f);
    document.querySelectorAll<HTMLButtonElement>('[data-type]').forEach((b) => {
      b.addEventListener('click', () =>
        this.choose(
          'responseType',
          types.find((t) => t === b.dataset.type),
        ),
      );
    });
    document.querySelectorAll<HTMLButtonElement>('[data-refusal]').forEach((b) => {
      b.addEventListener('click', () =>
        this.choose(
          'refusal',
          refusals.find((r) => r === b.dataset.refusal),
        ),
      );
    });
    click('submit', () => this.submit());
    click('prev', () => this.show(this.index - 1));
    click('next', () => this.show(this.index + 1));
    click('undo', () => this.undo());
    click('export', () => this.export());
    click('help-toggle', toggleHelp);
  }

  private show(i: number): void {
    const total = this.data.cells.length;
    if (i < 0 || i >= total) {
      say(i < 0 ? 'This is the first cell.' : 'This is the last cell: export your labels with e.');
      return;
    }
    this.index = i;
    this.store.position = i;
    this.store.save();
    this.boxes.ai.clear();
    this.boxes.human.clear();
    renderTranscript(this.cell);
    this.refresh();
    window.scrollTo(0, 0);
  }

  private refresh(): void {
    const l = this.store.get(this.cell.cellId);
    renderAnswer(l, this.cell.judge, isComplete(l));
    this.boxes.ai.render(l.aiValues);
    this.boxes.human.render(l.humanValues);
    renderProgress(this.index, this.data.cells.length, this.store.completed(), this.annotator);
  }

  private change(edit: (l: CellLabel) => void): void {
    if (this.store.update(this.cell.cellId, edit, new Date())) this.refresh();
  }

  private choose(field: 'responseType' | 'refusal', value: string | undefined): void {
    if (value === undefined) return;
    this.change((l) => {
      l[field] = value;
    });
  }

  private submit(): void {
    const l = this.store.get(this.cell.cellId);
    if (isComplete(l)) {
      this.show(this.index + 1);
      return;
    }
    if (l.responseType === null || l.refusal === null) {
      say(`Not complete yet: give ${missingParts(l).slice(0, -1).join(' and ')}.`);
      return;
    }
    this.change((x) => {
      x.done = true;
    });
    say('Answer recorded; the judge’s labels are shown. Enter goes to the next cell.');
  }

  private undo(): void {
    const cellId = this.store.undo();
    if (cellId === null) {
      say('Nothing to undo.');
      return;
    }
    const at = this.data.cells.findIndex((c) => c.cellId === cellId);
    if (at !== this.index && at >= 0) this.show(at);
    else this.refresh();
    say(`Undone (cell ${at + 1}).`);
  }

  private export(): void {
    const { text, lines } = exportText(this.data, this.store, this.annotator);
    if (lines === 0) {
      say('Nothing to export yet: no cell has a complete answer.');
      return;
    }
    const name = exportName(this.annotator, this.data.drawId);
    download(text, name);
    say(`Exported ${lines} labelled cell${lines === 1 ? '' : 's'} to ${name}.`);
  }
}

function toggleHelp(): void {
  const help = document.getElementById('help');
  if (!help) return;
  help.hidden = !help.hidden;
  document.getElementById('help-toggle')?.setAttribute('aria-expanded', String(!help.hidden));
}
