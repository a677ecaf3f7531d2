import type { LabelCell, LabelMessage } from '../../label/label-data.js';
import { el } from '../dom.js';
import type { CellLabel } from './store.js';

const words = (key: string | null): string => (key ?? '—').replace(/_/g, ' ');
const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function message(role: string, text: string, extra = ''): HTMLElement {
  const box = el('div', `msg ${role}${extra}`);
  box.appendChild(el('span', 'role', role));
  box.appendChild(document.createTextNode(text));
  return box;
}

/** One transcript, as text only: system prompt, the conversation, and the final response being labelled. */
export function renderTranscript(cell: LabelCell): void {
  byId('cell-meta').textContent = `domain ${cell.domain} · scenario ${cell.scenario} · cell ${cell.cellId}`;
  const box = byId('conversation');
  box.textContent = '';
  if (cell.system !== undefined) box.appendChild(message('system', cell.system));
  cell.messages.forEach((m: LabelMessage) => {
    box.appendChild(message(m.role, m.content));
  });
  const final = message('assistant', cell.response, ' final');
  final.setAttribute('aria-label', 'final response (the one you label)');
  box.appendChild(final);
}

function setChecked(groupId: string, attr: string, value: string | null): void {
  byId(groupId)
    .querySelectorAll<HTMLButtonElement>('[role=radio]')
    .forEach((b) => {
      b.setAttribute('aria-checked', String(b.dataset[attr] === value));
    });
}

/** What the annotator still has to give before the answer counts as complete. */
export function missingParts(l: CellLabel): string[] {
  const out: string[] = [];
  if (l.responseType === null) out.push('a response type (1–7)');
  if (l.refusal === null) out.push('a refusal level (n, p, f)');
  if (!l.done) out.push('Enter when the values are in');
  return out;
}

/** The answer panel in the state of `l`; the judge's labels only when the answer is complete. */
export function renderAnswer(l: CellLabel, judge: LabelCell['judge'], complete: boolean): void {
  setChecked('type-group', 'type', l.responseType);
  setChecked('refusal-group', 'refusal', l.refusal);
  byId('rubric')
    .querySelectorAll('dt')
    .forEach((dt) => {
      dt.classList.toggle('current', dt.id === `rubric-${l.responseType}` || dt.id === `rubric-${l.refusal}`);
    });
  const submit = byId<HTMLButtonElement>('submit');
  submit.classList.toggle('done', complete);
  submit.textContent = complete ? 'Answer complete ✓ (Enter: next cell)' : 'Answer complete (Enter)';
  const missing = missingParts(l);
  byId('missing').textContent = complete ? '' : `still needed: ${missing.join(', ')}`;
  const panel = byId('judge');
  panel.hidden = !complete;
  const dl = byId('judge-labels');
  dl.textContent = '';
  if (!complete) return;
  const row = (term: string, theirs: string, same: boolean) => {
    dl.appendChild(el('dt', null, term));
    const dd = el('dd', same ? 'agree' : 'disagree', `${theirs} ${same ? '(same as yours)' : '(yours differs)'}`);
    dl.appendChild(dd);
  };
  const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.some((y) => y.toLowerCase() === x.toLowerCase()));
  row('response type', words(judge.responseType), judge.responseType === l.responseType);
  row('refusal', words(judge.refusal), judge.refusal === l.refusal);
  row('AI values', judge.aiValues.join(', ') || 'none', sameSet(judge.aiValues, l.aiValues));
  row('human values', judge.humanValues.join(', ') || 'none', sameSet(judge.humanValues, l.humanValues));
}

export function renderProgress(index: number, total: number, completed: number, annotator: string): void {
  byId('progress').textContent = `Cell ${index + 1} of ${total} · ${completed} of ${total} labelled · annotator ${annotator}`;
}

export function say(text: string): void {
  byId('status').textContent = text;
}
