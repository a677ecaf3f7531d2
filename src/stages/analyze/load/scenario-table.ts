import type { AnalysisJudgment as Judgment } from '../../../records/analysis-judgment.js';
import { cellFeatures, KeyCache } from '../../../records/cell-features.js';
import type { AnswerProvenance, ServedIdentity } from '../../../records/profile.js';
import { normaliseValueName } from '../../../records/value-name.js';

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
  cachedCells: number;
  cachedFrom: Map<string, number>;
  served: Map<string, number>;
  servedUnrecorded: number;
}

/** Everything the analysis needs about one model of one run, accumulated line by line. */
export class ModelTable {
  readonly scenarios = new Map<string, ScenarioStats>();
  readonly judgeIds = new Set<string>();
  readonly judgeHashes = new Set<string>();
  readonly judgeModels = new Set<string>();
  readonly errorKinds = new Map<string, number>();
  readonly watch = new Map<string, WatchAccumulator>();
  /** cellId -> null when its judgment succeeded, else what its failed judgment counted (a re-attempt takes it back). */
  private readonly seen = new Map<string, CountedFailure | null>();
  private readonly cache = new KeyCache();
  duplicates = 0;
  /** Cells (counted once, by their effective judgment) whose answer was not requested for this run: cache or `--reuse-from`. */
  cachedCells = 0;
  /** Origin run id -> cached cells taken from it (cached cells of unknown origin are in cachedCells only). */
  readonly cachedFrom = new Map<string, number>();
  /** Served identity key (servedKey) -> cells (counted once, by their effective judgment) it answered. */
  readonly served = new Map<string, number>();
  /** Answered cells whose judgment records no served identity (older runs, imports, servers sending none). */
  servedUnrecorded = 0;

  constructor(
    readonly modelId: string,
    private readonly watchlist: ReadonlySet<string>,
  ) {}

  snapshot(): ModelTableSnapshot {
    const { modelId, scenarios, judgeIds, judgeHashes, judgeModels, errorKinds, watch, duplicates, cachedCells, cachedFrom } = this;
    const { served, servedUnrecorded } = this;
    return {
      modelId,
      scenarios,
      judgeIds,
      judgeHashes,
      judgeModels,
      errorKinds,
      watch,
      duplicates,
      cachedCells,
      cachedFrom,
      served,
      servedUnrecorded,
    };
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
    t.cachedCells = s.cachedCells;
    for (const [k, v] of s.cachedFrom) t.cachedFrom.set(k, v);
    for (const [k, v] of s.served) t.served.set(k, v);
    t.servedUnrecorded = s.servedUnrecorded;
    return t;
  }

  static watchSet(list: readonly string[]): Set<string> {
    return new Set(list.map(normaliseValueName));
  }

  add(j: Judgment): void {
    // A cell counts once, by its effective judgment (records/effective-records.ts): a success is
    // never replaced (a second one is a duplicate); a failed judgment is, by a later re-attempt.
    const prior = this.seen.get(j.cellId);
    if (prior === null) {
      this.duplicates++;
      return;
    }
    if (prior !== undefined) this.forget(prior);
    const counted = this.countAnswer(j);
    this.seen.set(j.cellId, j.error ? { scenarioId: j.scenarioId, kind: j.error.kind, ...counted } : null);
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

  /** Takes back everything a failed judgment counted, when a re-attempt replaces it. */
  private forget(f: CountedFailure): void {
    const s = this.scenarios.get(f.scenarioId);
    if (s) {
      s.cells--;
      s.errored--;
    }
    decrement(this.errorKinds, f.kind);
    if (f.cached) {
      this.cachedCells--;
      if (f.cachedFrom !== null) decrement(this.cachedFrom, f.cachedFrom);
    }
    if (f.served === null) this.servedUnrecorded--;
    else if (f.served !== undefined) decrement(this.served, f.served);
  }

  /** Where this model's answers came from, as profile.json and diff.json record it. */
  answers(): AnswerProvenance {
    let cells = 0;
    for (const s of this.scenarios.values()) cells += s.cells;
    const from = [...this.cachedFrom].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return {
      cells,
      cached: this.cachedCells,
      cachedShare: cells > 0 ? this.cachedCells / cells : null,
      cachedFrom: Object.fromEntries(from),
    };
  }

  /**
   * Counts where the cell's answer came from (old judgments without `cached` count as requested for
   * the run) and which model gave it (the API's `model` and fingerprint: a cell without an answer
   * counts nowhere; an answered cell whose judgment records none counts as unrecorded). Returns what
   * it counted, for `forget`.
   */
  private countAnswer(j: Judgment): Omit<CountedFailure, 'scenarioId' | 'kind'> {
    const cached = j.cached === true;
    const cachedFrom = cached ? (j.cachedFrom ?? null) : null;
    if (cached) {
      this.cachedCells++;
      if (cachedFrom !== null) this.cachedFrom.set(cachedFrom, (this.cachedFrom.get(cachedFrom) ?? 0) + 1);
    }
    const key = j.served ? servedKey(j.served) : null;
    if (key === null && j.error?.kind === 'no_response') return { cached, cachedFrom, served: undefined };
    if (key === null) this.servedUnrecorded++;
    else this.served.set(key, (this.served.get(key) ?? 0) + 1);
    return { cached, cachedFrom, served: key };
  }

  /** The served identities of this model's answers, most cells first. */
  servedIdentities(): ServedIdentity[] {
    return [...this.served]
      .map(([key, cells]) => ({ ...servedOfKey(key), cells }))
      .sort((a, b) => b.cells - a.cells || (servedKey(a) < servedKey(b) ? -1 : 1));
  }

  /** Scenario ids sorted, so indices (and hence seeded resamples) do not depend on file order. */
  sortedScenarios(): ScenarioStats[] {
    return [...this.scenarios.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

/** What a failed judgment counted: its scenario and error kind, and its answer's provenance. */
interface CountedFailure {
  scenarioId: string;
  kind: string;
  cached: boolean;
  /** The origin run of a cached answer; null: unknown or not cached. */
  cachedFrom: string | null;
  /** The served key counted; null: counted as unrecorded; undefined: not counted (no answer). */
  served: string | null | undefined;
}

function decrement(m: Map<string, number>, key: string): void {
  const left = (m.get(key) ?? 0) - 1;
  if (left > 0) m.set(key, left);
  else m.delete(key);
}

/** One string per served identity (model and fingerprint), the key of ModelTable.served. */
export function servedKey(s: { model: string; fingerprint?: string | undefined }): string {
  return JSON.stringify([s.model, s.fingerprint ?? null]);
}

export function servedOfKey(key: string): { model: string; fingerprint?: string } {
  const [model, fingerprint] = JSON.parse(key) as [string, string | null];
  return { model, ...(fingerprint !== null ? { fingerprint } : {}) };
}
