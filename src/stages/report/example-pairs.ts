import { AnalysisJudgmentSchema } from '../../records/analysis-judgment.js';
import { cellFeatures, KeyCache } from '../../records/cell-features.js';
import { metricDenominator } from '../../records/metric-key.js';
import { runFile } from '../../records/run-files.js';
import { normaliseValueName } from '../../records/value-name.js';
import { readJsonl } from '../../util/jsonl.js';
import type { ExampleSet } from './example-data.js';

/** A change to find examples for: the metric, its domain (null: all) and the sign of its change. */
export interface ExampleTarget {
  id: string;
  metric: string;
  domain: string | null;
  delta: number;
  title: string;
  detail: string;
}

interface Side {
  runDir: string;
  modelId: string;
  /** Prefix of this side's cell ids in the page (transcript-data.ts, CellSource.idPrefix). */
  idPrefix?: string;
}

/** Per scenario and side: cells in the metric's denominator, how many count in it, one cell id of each kind. */
interface Tally {
  n: number;
  k: number;
  hasCell?: string;
  lacksCell?: string;
}

export interface PairsFound {
  sets: ExampleSet[];
  /** Scenarios whose most frequent response type differs between the sides (the browser's "changed" filter). */
  changedScenarios: Set<string>;
  /** Taxonomy parent (top-level category) of each value and lower-level category seen: "value:honesty" -> "Epistemic values". */
  parents: Map<string, string>;
}

const PAIRS_PER_SET = 3;

/**
 * One pass over each side's judgments (effective line per cell; never the transcripts) to pick, for
 * every target, the scenarios where the two sides differ most in the direction of the change, and a
 * cell from each side that shows it: when the metric fell, a base cell counting in it beside a
 * candidate cell that does not. Memory: one tally per target, scenario and side.
 */
export async function findExamplePairs(
  base: Side,
  cand: Side,
  targets: readonly ExampleTarget[],
  watchlist: ReadonlySet<string>,
): Promise<PairsFound> {
  const tallies = targets.map(() => new Map<string, [Tally, Tally]>());
  const modal = new Map<string, [Map<string, number>, Map<string, number>]>();
  const parents = new Map<string, string>();
  const domains = new Map<string, string>();
  for (const [i, side] of [base, cand].entries()) {
    const cache = new KeyCache();
    const file = runFile(side.runDir, 'judgments');
    // One pass: only successful judgments count, and a cell's effective one is its first success
    // (records/effective-records.ts), so later successes of a counted cell are duplicates.
    const counted = new Set<string>();
    for await (const { value: j } of readJsonl(file, AnalysisJudgmentSchema)) {
      if (j.modelId !== side.modelId || j.error || counted.has(j.cellId)) continue;
      counted.add(j.cellId);
      domains.set(j.scenarioId, j.domain);
      const f = cellFeatures(j, watchlist, cache);
      for (const v of j.aiValues) recordParents(v.taxonomy, f.values, parents);
      countType(modal, j.scenarioId, i, j.responseType ?? 'none');
      targets.forEach((t, ti) => {
        if (t.domain !== null && t.domain !== j.domain) return;
        const d = metricDenominator(t.metric);
        if ((d === 'expect' && !f.hasExpect) || (d === 'user_values' && !f.userStatesValues)) return;
        const pair = tallies[ti]!.get(j.scenarioId) ?? [
          { n: 0, k: 0 },
          { n: 0, k: 0 },
        ];
        tallies[ti]!.set(j.scenarioId, pair);
        const tally = pair[i]!;
        tally.n++;
        if (f.keys.has(t.metric)) {
          tally.k++;
          tally.hasCell ??= (side.idPrefix ?? '') + j.cellId;
        } else tally.lacksCell ??= (side.idPrefix ?? '') + j.cellId;
      });
    }
  }
  const sets = targets.flatMap((t, ti) => pickPairs(t, tallies[ti]!, domains));
  return { sets, changedScenarios: changedOf(modal), parents };
}

function pickPairs(t: ExampleTarget, tally: Map<string, [Tally, Tally]>, domains: Map<string, string>): ExampleSet[] {
  const fell = t.delta < 0;
  const ranked = [...tally.entries()]
    .map(([scenario, [b, c]]) => ({ scenario, b, c, gap: (c.n > 0 ? c.k / c.n : 0) - (b.n > 0 ? b.k / b.n : 0) }))
    .filter((x) => x.b.n > 0 && x.c.n > 0 && (fell ? x.gap < 0 : x.gap > 0))
    .sort((x, y) => Math.abs(y.gap) - Math.abs(x.gap) || x.scenario.localeCompare(y.scenario));
  const pairs = ranked.flatMap(({ scenario, b, c }) => {
    const baseCell = fell ? b.hasCell : b.lacksCell;
    const candCell = fell ? c.lacksCell : c.hasCell;
    return baseCell && candCell ? [{ scenario, domain: domains.get(scenario) ?? '', base: baseCell, cand: candCell }] : [];
  });
  if (pairs.length === 0) return [];
  return [{ id: t.id, title: t.title, detail: t.detail, metric: t.metric, domain: t.domain, pairs: pairs.slice(0, PAIRS_PER_SET) }];
}

function recordParents(
  t: { leaf: string | null; l1: string | null; l2: string | null; l3: string | null },
  values: ReadonlySet<string>,
  parents: Map<string, string>,
): void {
  if (!t.l3) return;
  if (t.l1) parents.set(`category:l1:${t.l1}`, t.l3);
  if (t.l2) parents.set(`category:l2:${t.l2}`, t.l3);
  // A value's metric is named by its normalised leaf (records/cell-features.ts).
  const leaf = t.leaf ? normaliseValueName(t.leaf) : null;
  if (leaf && values.has(leaf)) parents.set(`value:${leaf}`, t.l3);
}

function countType(modal: Map<string, [Map<string, number>, Map<string, number>]>, scenario: string, side: number, type: string): void {
  const entry = modal.get(scenario) ?? [new Map<string, number>(), new Map<string, number>()];
  modal.set(scenario, entry);
  const m = entry[side]!;
  m.set(type, (m.get(type) ?? 0) + 1);
}

function changedOf(modal: Map<string, [Map<string, number>, Map<string, number>]>): Set<string> {
  const top = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
  const out = new Set<string>();
  for (const [scenario, [b, c]] of modal) if (b.size > 0 && c.size > 0 && top(b) !== top(c)) out.add(scenario);
  return out;
}
