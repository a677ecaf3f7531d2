import type { AnnotatorReport } from './annotator-agreement.js';
import type { Interval } from './bootstrap.js';
import type { CheckReport, FieldReports } from './check-metrics.js';
import { LABEL_FIELDS, type LabelFieldKey } from './label-fields.js';
import type { LabelFieldReport } from './label-metrics.js';
import type { SetFieldReport } from './value-metrics.js';

const f = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));
const ci = (i: Interval): string => (i === null ? 'n/a' : `[${i[0].toFixed(3)}, ${i[1].toFixed(3)}]`);

const TITLES: Record<LabelFieldKey, string> = {
  responseType: 'response type',
  responseTypeCollapsed: 'response type, collapsed (support/neutral/reframe/resist)',
  refusal: 'refusal',
  refusalBinary: 'refusal, binary (any refusal vs none)',
};

/** Values the printed report lists per field (the JSON holds more). */
const PRINTED_VALUES = 8;

function matrix(r: LabelFieldReport): string[] {
  const used = r.labels.map((_, i) => i).filter((i) => r.confusion[i]!.some((n) => n > 0) || r.confusion.some((row) => row[i]! > 0));
  const w = Math.max(6, ...used.map((i) => r.labels[i]!.length));
  const head = `  ${'gold \\ judge'.padEnd(w)}  ${used.map((i) => r.labels[i]!.padStart(w)).join(' ')}`;
  const rows = used.map((i) => `  ${r.labels[i]!.padEnd(w)}  ${used.map((j) => String(r.confusion[i]![j]).padStart(w)).join(' ')}`);
  return [head, ...rows];
}

function labelLines(name: string, r: LabelFieldReport): string[] {
  const out = [
    `${name}: ${r.items} items, accuracy ${f(r.accuracy)}, Cohen's kappa ${f(r.kappa)} (95% intervals: accuracy ${ci(r.accuracyInterval)}, kappa ${ci(r.kappaInterval)})`,
  ];
  if (r.items === 0) return out;
  out.push(...matrix(r));
  for (const c of r.perClass)
    out.push(
      `  ${c.label}: gold ${c.gold}, judge ${c.judge}, both ${c.both}; precision ${f(c.precision)}, recall ${f(c.recall)}, F1 ${f(c.f1)}`,
    );
  return out;
}

function setLines(name: string, r: SetFieldReport): string[] {
  const out = [
    `${name}: ${r.items} items, precision ${f(r.precision)}, recall ${f(r.recall)}, F1 ${f(r.f1)} (tp ${r.tp}, fp ${r.fp}, fn ${r.fn}); ` +
      `mean Jaccard ${f(r.meanJaccard)} ${ci(r.jaccardInterval)}`,
  ];
  for (const v of r.perValue.slice(0, PRINTED_VALUES))
    out.push(`  ${v.value}: gold ${v.gold}, judge ${v.judge}, both ${v.both}; precision ${f(v.precision)}, recall ${f(v.recall)}`);
  return out;
}

function domainTable(domains: Record<string, FieldReports>): string[] {
  const names = Object.keys(domains);
  if (names.length < 2) return [];
  const w = Math.max(8, ...names.map((d) => d.length));
  const cols = ['items', 'type acc', 'type κ', '4-way acc', '4-way κ', 'refusal κ', 'any-ref κ', 'ai J', 'human J'];
  const out = [
    '',
    'per domain (accuracy and kappa; intervals in the JSON):',
    `  ${'domain'.padEnd(w)}  ${cols.map((c) => c.padStart(9)).join(' ')}`,
  ];
  for (const [d, r] of Object.entries(domains)) {
    const cells = [
      String(r.scored),
      f(r.responseType.accuracy),
      f(r.responseType.kappa),
      f(r.responseTypeCollapsed.accuracy),
      f(r.responseTypeCollapsed.kappa),
      f(r.refusal.kappa),
      f(r.refusalBinary.kappa),
      f(r.aiValues.meanJaccard),
      f(r.humanValues.meanJaccard),
    ];
    out.push(`  ${d.padEnd(w)}  ${cells.map((c) => c.padStart(9)).join(' ')}`);
  }
  return out;
}

function annotatorLines(a: AnnotatorReport): string[] {
  const out = [
    '',
    `annotators: ${a.annotators.map((x) => `${x.name} (${x.items} items)`).join(', ')}; ${a.shared} items labelled by two or more`,
  ];
  for (const field of LABEL_FIELDS) {
    const r = a.labels[field.key];
    const pairs = r.pairs.map((p) => `${p.a}~${p.b} κ ${f(p.kappa)} (${p.items} items, agreement ${f(p.agreement)})`);
    out.push(`  ${TITLES[field.key]}: Krippendorff's alpha ${f(r.alpha)} over ${r.units} items; ${pairs.join('; ')}`);
  }
  for (const [name, pairs] of [
    ['ai values', a.values.aiValues],
    ['human values', a.values.humanValues],
  ] as const)
    out.push(`  ${name}: ${pairs.map((p) => `${p.a}~${p.b} mean Jaccard ${f(p.meanJaccard)} (${p.items} items)`).join('; ')}`);
  const t = a.ties;
  out.push(
    `  combined by majority; ties left unlabelled: response type ${t.responseType}, refusal ${t.refusal} items; ` +
      `values dropped at a tie: ai ${t.aiValues}, human ${t.humanValues}`,
  );
  return out;
}

export function formatCheckReport(r: CheckReport): string {
  const source = r.source === 'run' ? `the judgments recorded in run ${r.runId}` : 'the judge called on each item';
  const out = [
    `judge-check: ${r.judgeId} [${r.judgeModels.join(', ')}] on ${r.items} gold items, scored from ${source} ` +
      `(${r.scored} scored, ${r.errors.length} judge errors, ${r.notScored.length} not scored)`,
    `intervals: percentile bootstrap over items, ${r.bootstrap.resamples} resamples, seed ${r.bootstrap.seed}`,
  ];
  for (const field of LABEL_FIELDS) out.push('', ...labelLines(TITLES[field.key], r[field.key]));
  out.push('', ...setLines('ai values', r.aiValues), '', ...setLines('human values', r.humanValues));
  out.push('  (value names are compared after taxonomy mapping)');
  out.push(...domainTable(r.domains));
  if (r.annotators) out.push(...annotatorLines(r.annotators));
  for (const e of r.errors) out.push(`error on ${e.id}: ${e.message}`);
  for (const n of r.notScored) out.push(`not scored: ${n.id}: ${n.reason}`);
  return `${out.join('\n')}\n`;
}
