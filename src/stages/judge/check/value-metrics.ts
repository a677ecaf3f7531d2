import { setPrf, valueSetAgreement } from '../agreement.js';
import { type BootstrapOptions, bootstrapIntervals, type Interval } from './bootstrap.js';

/** One value's figures: in how many items gold lists it, the judge lists it, both list it. */
interface ValueFigures {
  value: string;
  gold: number;
  judge: number;
  both: number;
  precision: number | null;
  recall: number | null;
}

export type SetFieldReport = { items: number } & ReturnType<typeof setPrf> & {
    /** Mean over items of |gold ∩ judge| / |gold ∪ judge|; an item where both list no value counts 1. */
    meanJaccard: number | null;
    jaccardInterval: Interval;
    /** The values gold lists most often (at most TOP_VALUES), most frequent first. */
    perValue: ValueFigures[];
  };

export interface SetPair {
  gold: ReadonlySet<string>;
  predicted: ReadonlySet<string>;
}

/** How many values the JSON report lists per field; the printed report shows fewer. */
const TOP_VALUES = 20;

function perValue(items: readonly SetPair[]): ValueFigures[] {
  const counts = new Map<string, { gold: number; judge: number; both: number }>();
  const entry = (v: string) => {
    const c = counts.get(v) ?? { gold: 0, judge: 0, both: 0 };
    counts.set(v, c);
    return c;
  };
  for (const { gold, predicted } of items) {
    for (const v of gold) entry(v).gold++;
    for (const v of predicted) {
      const c = entry(v);
      c.judge++;
      if (gold.has(v)) c.both++;
    }
  }
  return [...counts]
    .filter(([, c]) => c.gold > 0)
    .sort(([a, x], [b, y]) => y.gold - x.gold || y.judge - x.judge || a.localeCompare(b))
    .slice(0, TOP_VALUES)
    .map(([value, c]) => ({
      value,
      ...c,
      precision: c.judge === 0 ? null : c.both / c.judge,
      recall: c.both / c.gold,
    }));
}

/** Judge vs gold on one value-set field (names already mapped to their taxonomy keys). */
export function setReport(items: readonly SetPair[], boot: BootstrapOptions & { label: string }): SetFieldReport {
  const jaccard = Float64Array.from(items, (i) => valueSetAgreement(i.gold, i.predicted));
  const mean = (idx: ArrayLike<number>, at: (k: number) => number): number => {
    let s = 0;
    for (let k = 0; k < idx.length; k++) s += at(k);
    return s / idx.length;
  };
  const [jaccardInterval] = bootstrapIntervals(items.length, 1, (idx) => [mean(idx, (k) => jaccard[idx[k]!]!)], boot);
  return {
    items: items.length,
    ...setPrf(items),
    meanJaccard: items.length === 0 ? null : mean(jaccard, (k) => jaccard[k]!),
    jaccardInterval: jaccardInterval ?? null,
    perValue: perValue(items),
  };
}
