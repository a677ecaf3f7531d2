import type { BaselineTable, BaselineWatch } from '../../../records/baseline.js';
import type { ModelTableSnapshot, ScenarioStats, WatchAccumulator } from './scenario-table.js';
import { servedKey, servedOfKey } from './scenario-table.js';

const byKey = <V>([a]: [string, V], [b]: [string, V]) => (a < b ? -1 : a > b ? 1 : 0);
const sortedObject = <V>(m: ReadonlyMap<string, V>): Record<string, V> => Object.fromEntries([...m].sort(byKey));
const sortedMap = <V>(o: Record<string, V>): Map<string, V> => new Map(Object.entries(o).sort(byKey));
const sorted = (s: ReadonlySet<string>): string[] => [...s].sort();

/** A table's snapshot as a baseline file holds it: Maps as objects, Sets as sorted arrays. */
export function tableToBaseline(s: ModelTableSnapshot, tracked: ReadonlySet<string>): BaselineTable {
  const watch = new Map([...s.watch].filter(([value]) => tracked.has(value)).map(([value, acc]) => [value, watchToBaseline(acc)]));
  return {
    modelId: s.modelId,
    scenarios: sortedObject(
      new Map(
        [...s.scenarios].map(([id, x]) => [
          id,
          {
            domain: x.domain,
            cells: x.cells,
            errored: x.errored,
            den: { ...x.den },
            counts: sortedObject(x.counts),
            valueMentions: x.valueMentions,
          },
        ]),
      ),
    ),
    judgeIds: sorted(s.judgeIds),
    judgeHashes: sorted(s.judgeHashes),
    judgeModels: sorted(s.judgeModels),
    errorKinds: sortedObject(s.errorKinds),
    watch: sortedObject(watch),
    duplicates: s.duplicates,
    cachedCells: s.cachedCells,
    cachedFrom: sortedObject(s.cachedFrom),
    served: [...s.served].sort(byKey).map(([key, cells]) => ({ ...servedOfKey(key), cells })),
    servedUnrecorded: s.servedUnrecorded,
  };
}

function watchToBaseline(acc: WatchAccumulator): BaselineWatch {
  return {
    cells: acc.cells,
    cellIds: [...acc.cellIds],
    cellDomains: [...acc.cellDomains],
    scenarioIds: sorted(acc.scenarioIds),
    domains: sorted(acc.domains),
    byDomain: sortedObject(acc.byDomain),
  };
}

/**
 * The snapshot a baseline holds, keeping only the accumulators of `watch` (the values the analysis
 * asks for). Maps are filled in sorted key order: every computation downstream sorts what it
 * iterates, so the order a run's judgments happened to be in cannot matter.
 */
export function tableFromBaseline(t: BaselineTable, watch: ReadonlySet<string>): ModelTableSnapshot {
  const scenarios = new Map<string, ScenarioStats>(
    Object.entries(t.scenarios)
      .sort(byKey)
      .map(([id, x]) => [
        id,
        {
          id,
          domain: x.domain,
          cells: x.cells,
          errored: x.errored,
          den: { ...x.den },
          counts: sortedMap(x.counts),
          valueMentions: x.valueMentions,
        },
      ]),
  );
  const accs = Object.entries(t.watch)
    .filter(([value]) => watch.has(value))
    .sort(byKey)
    .map(([value, a]): [string, WatchAccumulator] => [
      value,
      {
        cells: a.cells,
        cellIds: [...a.cellIds],
        cellDomains: [...a.cellDomains],
        scenarioIds: new Set(a.scenarioIds),
        domains: new Set(a.domains),
        byDomain: sortedMap(a.byDomain),
      },
    ]);
  return {
    modelId: t.modelId,
    scenarios,
    judgeIds: new Set(t.judgeIds),
    judgeHashes: new Set(t.judgeHashes),
    judgeModels: new Set(t.judgeModels),
    errorKinds: sortedMap(t.errorKinds),
    watch: new Map(accs),
    duplicates: t.duplicates,
    cachedCells: t.cachedCells,
    cachedFrom: sortedMap(t.cachedFrom),
    served: new Map(t.served.map((s) => [servedKey(s), s.cells])),
    servedUnrecorded: t.servedUnrecorded,
  };
}
