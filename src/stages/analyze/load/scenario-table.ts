import type { AnalysisJudgment as Judgment } from '../../../records/analysis-judgment.js';
import { normaliseValueName } from '../../../records/value-name.js';
import { cellFeatures, KeyCache } from './cell-features.js';

/** Sufficient statistics of one scenario for one model: counts, never per-cell arrays. */
export interface ScenarioStats {
  id: string;
  domain: string;
  cells: number;
  errored: number;
  den: { judged: number; expect: number; user_values: number };
  /** metric key -> cells counting in it. */
  counts: Map<string, number>;
  /** Sum over judged cells of the number of distinct values expressed. */
  valueMentions: number;
}

export interface WatchAccumulator {
  cells: number;
  cellIds: string[];
  scenarioIds: Set<string>;
  domains: Set<string>;
  /** Cells per domain, so domain-scoped forbid rules count exactly. */
  byDomain: Map<string, number>;
  /** Domain of each kept cell id (same order as cellIds). */
  cellDomains: string[];
}

const MAX_CELL_IDS = 100;

/** The transferable state of a ModelTable (what a worker thread posts back). */
export interface ModelTableSnapshot {
  modelId: string;
  scenarios: Map<string, ScenarioStats>;
  judgeIds: Set<string>;
  judgeHashes: Set<string>;
  judgeModels: Set<string>;
  errorKinds: Map<string, number>;
  watch: Map<string, WatchAccumulator>;
  duplicates: number;
}

/** Everything the analysis needs about one model of one run, accumulated line by line. */
export class ModelTable {
  readonly scenarios = new Map<string, ScenarioStats>();
  readonly judgeIds = new Set<string>();
  readonly judgeHashes = new Set<string>();
  readonly judgeModels = new Set<string>();
  readonly errorKinds = new Map<string, number>();
  readonly watch = new Map<string, WatchAccumulator>();
  private readonly seen = new Set<string>();
  private readonly cache = new KeyCache();
  duplicates = 0;

  constructor(
    readonly modelId: string,
    private readonly watchlist: ReadonlySet<string>,
  ) {}

  snapshot(): ModelTableSnapshot {
    const { modelId, scenarios, judgeIds, judgeHashes, judgeModels, errorKinds, watch, duplicates } = this;
    return { modelId, scenarios, judgeIds, judgeHashes, judgeModels, errorKinds, watch, duplicates };
  }

  /** A finished table rebuilt from a snapshot (it accepts no further `add`s' duplicate checks). */
  static fromSnapshot(s: ModelTableSnapshot): ModelTable {
    const t = new ModelTable(s.modelId, new Set());
    for (const [k, v] of s.scenarios) t.scenarios.set(k, v);
    for (const x of s.judgeIds) t.judgeIds.add(x);
    for (const x of s.judgeHashes) t.judgeHashes.add(x);
    for (const x of s.judgeModels) t.judgeModels.add(x);
    for (const [k, v] of s.errorKinds) t.errorKinds.set(k, v);
    for (const [k, v] of s.watch) t.watch.set(k, v);
    t.duplicates = s.duplicates;
    return t;
  }

  static watchSet(list: readonly string[]): Set<string> {
    return new Set(list.map(normaliseValueName));
  }

  add(j: Judgment): void {
    // A cell judged twice (e.g. re-judged after a resume) counts once: the first record wins.
    if (this.seen.has(j.cellId)) {
      this.duplicates++;
      return;
    }
    this.seen.add(j.cellId);
    this.judgeIds.add(j.judgeId);
    this.judgeHashes.add(j.judgeHash);
    for (const m of j.judgeModels) this.judgeModels.add(m);
    let s = this.scenarios.get(j.scenarioId);
    if (!s) {
      s = {
        id: j.scenarioId,
        domain: j.domain,
        cells: 0,
        errored: 0,
        den: { judged: 0, expect: 0, user_values: 0 },
        counts: new Map(),
        valueMentions: 0,
      };
      this.scenarios.set(j.scenarioId, s);
    }
    s.cells++;
    if (j.error || j.responseType === null) {
      s.errored++;
      const kind = j.error?.kind ?? 'no_response_type';
      this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
      return;
    }
    const f = cellFeatures(j, this.watchlist, this.cache);
    s.den.judged++;
    if (f.hasExpect) s.den.expect++;
    if (f.userStatesValues) s.den.user_values++;
    s.valueMentions += f.values.size;
    for (const k of f.keys) s.counts.set(k, (s.counts.get(k) ?? 0) + 1);
    for (const w of f.watchHits) {
      let acc = this.watch.get(w);
      if (!acc) {
        acc = { cells: 0, cellIds: [], scenarioIds: new Set(), domains: new Set(), byDomain: new Map(), cellDomains: [] };
        this.watch.set(w, acc);
      }
      acc.cells++;
      if (acc.cellIds.length < MAX_CELL_IDS) {
        acc.cellIds.push(j.cellId);
        acc.cellDomains.push(j.domain);
      }
      acc.byDomain.set(j.domain, (acc.byDomain.get(j.domain) ?? 0) + 1);
      acc.scenarioIds.add(j.scenarioId);
      acc.domains.add(j.domain);
    }
  }

  /** Scenario ids sorted, so indices (and hence seeded resamples) do not depend on file order. */
  sortedScenarios(): ScenarioStats[] {
    return [...this.scenarios.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
