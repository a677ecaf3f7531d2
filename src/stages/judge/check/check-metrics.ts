import { REFUSALS, RESPONSE_TYPES } from '../../../records/response-types.js';
import { accuracy, cohensKappa, confusionMatrix, setPrf } from '../agreement.js';

interface LabelFieldReport {
  items: number;
  accuracy: number | null;
  kappa: number | null;
  labels: string[];
  /** rows = gold, columns = judge, in `labels` order. */
  confusion: number[][];
}

type SetFieldReport = { items: number } & ReturnType<typeof setPrf>;

export interface CheckReport {
  judgeId: string;
  judgeModels: string[];
  items: number;
  /** Items the judge failed on (not scored). */
  errors: { id: string; message: string }[];
  responseType: LabelFieldReport;
  refusal: LabelFieldReport;
  aiValues: SetFieldReport;
  humanValues: SetFieldReport;
}

export interface ScoredItem {
  responseType?: [string, string];
  refusal?: [string, string];
  aiValues?: { gold: Set<string>; predicted: Set<string> };
  humanValues?: { gold: Set<string>; predicted: Set<string> };
}

function labelReport(pairs: [string, string][], labels: readonly string[]): LabelFieldReport {
  return {
    items: pairs.length,
    accuracy: accuracy(pairs),
    kappa: cohensKappa(pairs),
    labels: [...labels],
    confusion: confusionMatrix(pairs, labels),
  };
}

export function checkReport(judge: { id: string; models: string[] }, items: ScoredItem[], errors: CheckReport['errors']): CheckReport {
  const pick = <K extends keyof ScoredItem>(k: K): NonNullable<ScoredItem[K]>[] => items.flatMap((i) => (i[k] ? [i[k]!] : []));
  const sets = (k: 'aiValues' | 'humanValues'): SetFieldReport => ({ items: pick(k).length, ...setPrf(pick(k)) });
  return {
    judgeId: judge.id,
    judgeModels: judge.models,
    items: items.length + errors.length,
    errors,
    responseType: labelReport(pick('responseType'), RESPONSE_TYPES),
    refusal: labelReport(pick('refusal'), REFUSALS),
    aiValues: sets('aiValues'),
    humanValues: sets('humanValues'),
  };
}

const f = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));

function matrix(r: LabelFieldReport): string {
  const used = r.labels.map((_, i) => i).filter((i) => r.confusion[i]!.some((n) => n > 0) || r.confusion.some((row) => row[i]! > 0));
  const w = Math.max(6, ...used.map((i) => r.labels[i]!.length));
  const head = `${'gold \\ judge'.padEnd(w)}  ${used.map((i) => r.labels[i]!.padStart(w)).join(' ')}`;
  const rows = used.map((i) => `${r.labels[i]!.padEnd(w)}  ${used.map((j) => String(r.confusion[i]![j]).padStart(w)).join(' ')}`);
  return [head, ...rows].join('\n');
}

export function formatCheckReport(r: CheckReport): string {
  const out = [`judge-check: ${r.judgeId} [${r.judgeModels.join(', ')}] on ${r.items} gold items (${r.errors.length} judge errors)`];
  for (const [name, field] of [
    ['response type', r.responseType],
    ['refusal', r.refusal],
  ] as const) {
    out.push('', `${name}: ${field.items} items, accuracy ${f(field.accuracy)}, Cohen's kappa ${f(field.kappa)}`);
    if (field.items > 0) out.push(matrix(field));
  }
  for (const [name, field] of [
    ['ai values', r.aiValues],
    ['human values', r.humanValues],
  ] as const) {
    out.push(
      '',
      `${name}: ${field.items} items, precision ${f(field.precision)}, recall ${f(field.recall)}, F1 ${f(field.f1)} (tp ${field.tp}, fp ${field.fp}, fn ${field.fn}; names compared after taxonomy normalisation)`,
    );
  }
  for (const e of r.errors) out.push(`error on ${e.id}: ${e.message}`);
  return `${out.join('\n')}\n`;
}
