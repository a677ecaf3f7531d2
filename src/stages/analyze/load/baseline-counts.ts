import type { BaselineFile } from '../../../records/baseline.js';
import { METRIC_PREFIX, metricDenominator, parseMetricKey } from '../../../records/metric-key.js';

/** A count that cannot be: where it is (field path) and why. */
export interface CountProblem {
  path: (string | number)[];
  message: string;
}

const sum = (xs: Iterable<number>): number => {
  let n = 0;
  for (const x of xs) n += x;
  return n;
};

/**
 * Counts a run could never have produced. Baselines live in git, so a hand edit or a careless merge
 * fix is plausible, and the statistics would take any non-negative integers at face value: a
 * numerator above its denominator, cells that do not add up, totals that disagree with the recorded
 * completeness. The first problems found, each with its field path; empty when the counts agree.
 */
export function countProblems(b: BaselineFile): CountProblem[] {
  const out: CountProblem[] = [];
  const at = (path: (string | number)[], message: string) => out.push({ path, message });
  for (const [id, s] of Object.entries(b.table.scenarios)) {
    const base = ['table', 'scenarios', id];
    if (s.cells !== s.den.judged + s.errored)
      at([...base, 'cells'], `${s.cells} cells, but ${s.den.judged} judged + ${s.errored} errored = ${s.den.judged + s.errored}`);
    for (const d of ['expect', 'user_values'] as const)
      if (s.den[d] > s.den.judged) at([...base, 'den', d], `${s.den[d]} is more than the ${s.den.judged} judged cells`);
    for (const [metric, k] of Object.entries(s.counts)) {
      const den = s.den[metricDenominator(metric)];
      if (parseMetricKey(metric).family === 'other') at([...base, 'counts', metric], 'not a metric key valuescope writes');
      else if (k > den) at([...base, 'counts', metric], `${k} cells count in it, more than its denominator (${den})`);
    }
    exclusiveSums(s, base, at);
  }
  const scenarios = Object.values(b.table.scenarios);
  const cells = sum(scenarios.map((s) => s.cells));
  const judged = b.completeness.models[0]?.judged;
  if (judged !== undefined && judged !== cells)
    at(['completeness', 'models', 0, 'judged'], `${judged}, but the scenarios hold ${cells} cells`);
  const errored = sum(scenarios.map((s) => s.errored));
  if (sum(Object.values(b.table.errorKinds)) !== errored)
    at(
      ['table', 'errorKinds'],
      `they add up to ${sum(Object.values(b.table.errorKinds))}, but the scenarios hold ${errored} errored cells`,
    );
  if (b.table.cachedCells > cells) at(['table', 'cachedCells'], `${b.table.cachedCells} is more than the ${cells} cells`);
  if (sum(b.table.served.map((x) => x.cells)) + b.table.servedUnrecorded > cells)
    at(['table', 'served'], `the served identities answered more cells than the ${cells} the baseline holds`);
  for (const [value, w] of Object.entries(b.table.watch)) {
    if (w.cells !== sum(Object.values(w.byDomain)))
      at(['table', 'watch', value, 'cells'], `${w.cells}, but its byDomain counts add up to ${sum(Object.values(w.byDomain))}`);
    if (w.cellIds.length > w.cells) at(['table', 'watch', value, 'cellIds'], `${w.cellIds.length} cell ids for ${w.cells} cells`);
  }
  return out;
}

/** Each cell has one response type and one refusal level: their counts add up to at most their denominator. */
function exclusiveSums(
  s: BaselineFile['table']['scenarios'][string],
  base: string[],
  at: (path: (string | number)[], message: string) => void,
): void {
  const families = [
    { prefix: METRIC_PREFIX.responseType, den: s.den.judged, what: 'response types' },
    { prefix: METRIC_PREFIX.refusal, den: s.den.judged, what: 'refusal levels' },
    { prefix: METRIC_PREFIX.userValuesResponseType, den: s.den.user_values, what: 'response types where the user states values' },
  ];
  for (const f of families) {
    const total = sum(Object.entries(s.counts).flatMap(([k, n]) => (k.startsWith(f.prefix) ? [n] : [])));
    if (total > f.den) at([...base, 'counts'], `its ${f.what} count ${total} cells, more than the ${f.den} they are shares of`);
  }
}
