import { accuracy, cohensKappa, confusionMatrix } from '../agreement.js';
import { type BootstrapOptions, bootstrapIntervals, type Interval } from './bootstrap.js';

/** Precision and recall of one label, the judge's calls against gold. */
interface ClassFigures {
  label: string;
  /** Items gold gives this label (support). */
  gold: number;
  /** Items the judge gives this label. */
  judge: number;
  /** Items both give it. */
  both: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface LabelFieldReport {
  items: number;
  accuracy: number | null;
  accuracyInterval: Interval;
  kappa: number | null;
  kappaInterval: Interval;
  labels: string[];
  /** rows = gold, columns = judge, in `labels` order. */
  confusion: number[][];
  /** One row per label that gold or the judge used, in `labels` order. */
  perClass: ClassFigures[];
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

function classFigures(labels: readonly string[], m: number[][]): ClassFigures[] {
  return labels.flatMap((label, i) => {
    const gold = m[i]!.reduce((a, b) => a + b, 0);
    const judge = m.reduce((a, row) => a + row[i]!, 0);
    if (gold === 0 && judge === 0) return [];
    const both = m[i]![i]!;
    const precision = ratio(both, judge);
    const recall = ratio(both, gold);
    const f1 =
      precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return [{ label, gold, judge, both, precision, recall, f1 }];
  });
}

/** Accuracy and Cohen's kappa of one resample, from its k x k confusion counts. */
function resampleStats(gold: Uint8Array, judge: Uint8Array, k: number): (idx: Uint32Array) => number[] {
  const counts = new Float64Array(k * k);
  const rows = new Float64Array(k);
  const cols = new Float64Array(k);
  return (idx) => {
    counts.fill(0);
    rows.fill(0);
    cols.fill(0);
    for (const i of idx) {
      counts[gold[i]! * k + judge[i]!]!++;
      rows[gold[i]!]!++;
      cols[judge[i]!]!++;
    }
    const n = idx.length;
    let agree = 0;
    let pe = 0;
    for (let c = 0; c < k; c++) {
      agree += counts[c * k + c]!;
      pe += (rows[c]! / n) * (cols[c]! / n);
    }
    const po = agree / n;
    return [po, pe === 1 ? Number.NaN : (po - pe) / (1 - pe)];
  };
}

/** Judge vs gold on one label field: accuracy and kappa with bootstrap intervals, confusion, per-class figures. */
export function labelReport(
  pairs: readonly (readonly [string, string])[],
  labels: readonly string[],
  boot: BootstrapOptions & { label: string },
): LabelFieldReport {
  const confusion = confusionMatrix(pairs, labels);
  const index = new Map(labels.map((l, i) => [l, i]));
  const gold = Uint8Array.from(pairs, ([g]) => index.get(g)!);
  const judge = Uint8Array.from(pairs, ([, j]) => index.get(j)!);
  const [accuracyInterval, kappaInterval] = bootstrapIntervals(pairs.length, 2, resampleStats(gold, judge, labels.length), boot);
  return {
    items: pairs.length,
    accuracy: accuracy(pairs),
    accuracyInterval: accuracyInterval ?? null,
    kappa: cohensKappa(pairs),
    kappaInterval: kappaInterval ?? null,
    labels: [...labels],
    confusion,
    perClass: classFigures(labels, confusion),
  };
}
