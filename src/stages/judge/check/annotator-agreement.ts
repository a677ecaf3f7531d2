import { accuracy, cohensKappa, krippendorffAlphaNominal, valueSetAgreement } from '../agreement.js';
import type { CombineTies, ItemVotes } from './combine-gold.js';
import type { GoldFile } from './gold-files.js';
import { LABEL_FIELDS, type LabelFieldKey, VALUE_FIELDS, type ValueFieldKey } from './label-fields.js';

interface PairAgreement {
  a: string;
  b: string;
  /** Items both annotators labelled (for this field). */
  items: number;
  /** Share of those items with the same label. */
  agreement: number | null;
  kappa: number | null;
}

interface FieldAgreement {
  /** Krippendorff's alpha (nominal) over every annotator; items with one label only are not pairable. */
  alpha: number | null;
  /** Items with at least two labels for this field. */
  units: number;
  pairs: PairAgreement[];
}

export interface AnnotatorReport {
  annotators: { name: string; file: string; items: number }[];
  /** Items labelled by two or more annotators (agreement is measured on these). */
  shared: number;
  labels: Record<LabelFieldKey, FieldAgreement>;
  /** Mean Jaccard of two annotators' value sets (taxonomy keys) over the items both gave the field. */
  values: Record<ValueFieldKey, { a: string; b: string; items: number; meanJaccard: number | null }[]>;
  /** How combining by majority went: ties left unlabelled / values dropped. */
  ties: CombineTies;
}

function pairsOf(names: readonly string[]): [number, number][] {
  return names.flatMap((_, i) => names.slice(i + 1).map((__, d): [number, number] => [i, i + 1 + d]));
}

function labelAgreement(
  votes: readonly ItemVotes[],
  names: readonly string[],
  read: (typeof LABEL_FIELDS)[number]['read'],
): FieldAgreement {
  const grid = votes.map((v) => v.labels.map((l) => (l ? read(l.gold) : null)));
  return {
    alpha: krippendorffAlphaNominal(grid),
    units: grid.filter((row) => row.filter((x) => x !== null).length >= 2).length,
    pairs: pairsOf(names).map(([i, j]) => {
      const both = grid.flatMap((row): [string, string][] => (row[i] != null && row[j] != null ? [[row[i]!, row[j]!]] : []));
      return { a: names[i]!, b: names[j]!, items: both.length, agreement: accuracy(both), kappa: cohensKappa(both) };
    }),
  };
}

function valueAgreement(votes: readonly ItemVotes[], names: readonly string[], field: ValueFieldKey, key: (name: string) => string) {
  return pairsOf(names).map(([i, j]) => {
    const scores = votes.flatMap((v) => {
      const a = v.labels[i]?.gold[field];
      const b = v.labels[j]?.gold[field];
      return a && b ? [valueSetAgreement(new Set(a.map(key)), new Set(b.map(key)))] : [];
    });
    return {
      a: names[i]!,
      b: names[j]!,
      items: scores.length,
      meanJaccard: scores.length === 0 ? null : scores.reduce((x, y) => x + y, 0) / scores.length,
    };
  });
}

/** How far several annotators agree, on the items they share (docs/judge-check.md, "Several annotators"). */
export function annotatorReport(
  files: readonly GoldFile[],
  votes: readonly ItemVotes[],
  ties: CombineTies,
  key: (name: string) => string,
): AnnotatorReport {
  const names = files.map((f) => f.annotator);
  return {
    annotators: files.map((f) => ({ name: f.annotator, file: f.file, items: f.entries.length })),
    shared: votes.filter((v) => v.labels.filter(Boolean).length >= 2).length,
    labels: Object.fromEntries(LABEL_FIELDS.map((f) => [f.key, labelAgreement(votes, names, f.read)])) as AnnotatorReport['labels'],
    values: Object.fromEntries(VALUE_FIELDS.map((f) => [f, valueAgreement(votes, names, f, key)])) as AnnotatorReport['values'],
    ties,
  };
}
