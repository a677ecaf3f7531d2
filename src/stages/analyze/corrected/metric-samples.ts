import type { AnalysisJudgment } from '../../../records/analysis-judgment.js';
import { type CellFeatures, cellFeatures, KeyCache } from '../../../records/cell-features.js';
import type { LabelProvenance } from '../../../records/corrected-estimates.js';
import type { HumanGold, HumanLabel } from '../../../records/human-labels.js';
import { metricDenominator } from '../../../records/metric-key.js';
import type { PpiSample } from '../stats/ppi-influence.js';
import { fieldAgreement, humanJudgment, speaksTo, type ValueMapper } from './human-reading.js';
import type { LabelDesign } from './label-design.js';

/** One model's judged cells with the judge's and (for labelled cells) the human's features. */
export interface LabelledCells {
  cells: AnalysisJudgment[];
  judge: CellFeatures[];
  /** Cell index -> the human label (annotators combined) and its features, and each annotator's own. */
  human: Map<
    number,
    {
      gold: HumanGold;
      features: CellFeatures;
      reading: AnalysisJudgment;
      label: HumanLabel;
      each: AnnotatorFeatures[];
    }
  >;
  /** Draw stratum per cell; null for a uniform draw. */
  stratum: Int32Array | null;
}

const NO_WATCH: ReadonlySet<string> = new Set();

/** One annotator's label of a cell, counted as a judgment; `userFeatures` within the judge's user_values denominator. */
interface AnnotatorFeatures {
  gold: HumanGold;
  features: CellFeatures;
  userFeatures: CellFeatures;
}

export function labelledCells(
  cells: AnalysisJudgment[],
  labels: ReadonlyMap<string, HumanLabel>,
  design: LabelDesign,
  map: ValueMapper,
): LabelledCells {
  const cache = new KeyCache();
  const judge = cells.map((j) => cellFeatures(j, NO_WATCH, cache));
  const human: LabelledCells['human'] = new Map();
  cells.forEach((j, i) => {
    const l = labels.get(j.cellId);
    if (!l) return;
    const reading = humanJudgment(j, l.gold, map);
    const each = l.golds.map((g): AnnotatorFeatures => {
      const own = humanJudgment(j, g, map);
      // Whether the user states values is the judge's call (it defines the denominator): the human's
      // reading of a user_values metric keeps the judge's user values beside the human's own.
      const inJudgeDenominator = { ...own, humanValues: [...j.humanValues, ...own.humanValues] };
      return { gold: g, features: cellFeatures(own, NO_WATCH, cache), userFeatures: cellFeatures(inJudgeDenominator, NO_WATCH, cache) };
    });
    human.set(i, { gold: l.gold, features: cellFeatures(reading, NO_WATCH, cache), reading, label: l, each });
  });
  const stratumOf = design.stratumOf;
  return { cells, judge, human, stratum: stratumOf ? Int32Array.from(cells, (j) => stratumOf(j)) : null };
}

/** The metrics some label speaks to, among those the judge or a human counted: the ones to correct, sorted. */
export function correctableMetrics(c: LabelledCells): string[] {
  const seen = new Set<string>();
  for (const f of c.judge) for (const k of f.keys) seen.add(k);
  for (const h of c.human.values()) for (const k of h.features.keys) seen.add(k);
  const golds = [...c.human.values()].flatMap((h) => h.each.map((a) => a.gold));
  return [...seen].filter((m) => golds.some((g) => speaksTo(m, g))).sort();
}

function inDenominator(metric: string, f: CellFeatures): boolean {
  const d = metricDenominator(metric);
  return d === 'judged' || (d === 'expect' ? f.hasExpect : f.userStatesValues);
}

/**
 * The metric's PpiSample over the cells of its denominator (the judge's) in the given scenarios:
 * the judge's 0/1 per cell, and for labelled cells the share of annotators (whose label speaks to the
 * metric) who saw the feature.
 * `scenario` numbers scenario ids (shared by both sides of a difference); cells of unnumbered scenarios are left out.
 */
export function metricSample(c: LabelledCells, metric: string, scenario: ReadonlyMap<string, number>): PpiSample {
  const judge: number[] = [];
  const cluster: number[] = [];
  const labelled: number[] = [];
  const human: number[] = [];
  const strata: number[] = [];
  c.cells.forEach((j, i) => {
    const s = scenario.get(j.scenarioId);
    const f = c.judge[i]!;
    if (s === undefined || !inDenominator(metric, f)) return;
    // The human value is the share of the annotators giving the metric's fields who saw the feature
    // (0 or 1 for one annotator; a two-annotator tie is 1/2, never a dropped cell).
    const speaking = c.human.get(i)?.each.filter((a) => speaksTo(metric, a.gold)) ?? [];
    if (speaking.length > 0) {
      const userMetric = metricDenominator(metric) === 'user_values';
      labelled.push(judge.length);
      human.push(speaking.filter((a) => (userMetric ? a.userFeatures : a.features).keys.has(metric)).length / speaking.length);
    }
    judge.push(f.keys.has(metric) ? 1 : 0);
    cluster.push(s);
    if (c.stratum) strata.push(c.stratum[i]!);
  });
  return { judge, cluster, labelled, human, ...(c.stratum ? { drawStratum: strata } : {}) };
}

/** The labels' provenance over one model's labelled cells: who labelled them, from which files, and how often the judge agreed. */
export function labelledProvenance(c: LabelledCells, design: LabelDesign): LabelProvenance {
  const by = [...c.human.values()].flatMap((h) => h.label.by);
  const pairs = [...c.human].map(([i, h]) => ({ judge: c.cells[i]!, gold: h.gold, human: h.reading }));
  return {
    files: [...new Set(by.map((b) => b.file))].sort(),
    annotators: [...new Set(by.map((b) => b.annotator))].sort(),
    labelled: c.human.size,
    draw: design.text,
    agreement: fieldAgreement(pairs),
  };
}
