import type { AnnotatorReport } from './annotator-agreement.js';
import type { BootstrapOptions } from './bootstrap.js';
import { LABEL_FIELDS, type LabelFieldKey, type Labels, VALUE_FIELDS, type ValueFieldKey } from './label-fields.js';
import { type LabelFieldReport, labelReport } from './label-metrics.js';
import { type SetFieldReport, type SetPair, setReport } from './value-metrics.js';

/** The figures of one group of items (all of them, or one domain). */
export type FieldReports = { scored: number } & Record<LabelFieldKey, LabelFieldReport> & Record<ValueFieldKey, SetFieldReport>;

export interface CheckReport extends FieldReports {
  judgeId: string;
  judgeModels: string[];
  /** `judge`: the judge was called on every item; `run`: the run's recorded judgments were scored. */
  source: 'judge' | 'run';
  /** With source `run`: the run whose judgments were scored. */
  runId: string | null;
  goldFiles: string[];
  /** Gold items (after combining annotators). */
  items: number;
  /** Items the judge failed on when called (not scored). */
  errors: { id: string; message: string }[];
  /** Items that could not be scored against the run (no successful judgment of the cell, no cellId). */
  notScored: { id: string; reason: string }[];
  bootstrap: BootstrapOptions & { method: 'percentile'; unit: 'item' };
  /** The same figures per gold item `domain` (items without one: "(none)"). */
  domains: Record<string, FieldReports>;
  /** With several gold files: their agreement and how they were combined; else null. */
  annotators: AnnotatorReport | null;
}

/** One gold item next to the judge's reading of it. Value sets hold taxonomy keys. */
export interface ScoredItem {
  id: string;
  domain: string;
  gold: Labels;
  judge: Labels;
  aiValues?: SetPair;
  humanValues?: SetPair;
}

export const NO_DOMAIN = '(none)';

function fieldReports(items: readonly ScoredItem[], boot: BootstrapOptions, group: string): FieldReports {
  const out: Partial<FieldReports> = { scored: items.length };
  for (const f of LABEL_FIELDS) {
    const pairs = items.flatMap((i): [string, string][] => {
      const g = f.read(i.gold);
      const j = f.read(i.judge);
      return g !== null && j !== null ? [[g, j]] : [];
    });
    out[f.key] = labelReport(pairs, f.labels, { ...boot, label: `${group}/${f.key}` });
  }
  for (const k of VALUE_FIELDS) {
    const sets = items.flatMap((i) => (i[k] ? [i[k]] : []));
    out[k] = setReport(sets, { ...boot, label: `${group}/${k}` });
  }
  return out as FieldReports;
}

export function checkReport(
  head: Pick<CheckReport, 'judgeId' | 'judgeModels' | 'source' | 'runId' | 'goldFiles' | 'items' | 'errors' | 'notScored' | 'annotators'>,
  items: readonly ScoredItem[],
  boot: BootstrapOptions,
): CheckReport {
  const byDomain = new Map<string, ScoredItem[]>();
  for (const i of items) {
    const group = byDomain.get(i.domain);
    if (group) group.push(i);
    else byDomain.set(i.domain, [i]);
  }
  const domains = Object.fromEntries(
    [...byDomain.keys()].sort().map((d) => [d, fieldReports(byDomain.get(d)!, boot, `domain:${d}`)] as const),
  );
  return {
    ...head,
    bootstrap: { method: 'percentile', unit: 'item', ...boot },
    ...fieldReports(items, boot, 'all'),
    domains,
  };
}
