import { InputError, UsageError } from '../../../core/errors.js';
import { STRATA_FIELDS, type StrataField, type Stratum } from '../../../records/label-draw.js';
import { mulberry32 } from '../../../util/mulberry32.js';
import { sampleWithoutReplacement } from './seeded-random.js';

/** An eligible cell (successful response and judgment) with the fields a draw may stratify by. */
export type DrawCandidate = { cellId: string } & Record<StrataField, string>;

export interface DrawRequest {
  seed: number;
  sample: number;
  strata: readonly string[];
}

export interface DrawResult {
  strata: Stratum[];
  /** The drawn cell ids in presentation order. */
  cells: string[];
}

/** Refuses a request no draw can satisfy, before anything is read twice or written. */
export function checkDrawRequest(req: DrawRequest): StrataField[] {
  if (!Number.isInteger(req.sample) || req.sample <= 0)
    throw new UsageError(`--sample ${req.sample}: the sample size must be a whole number of at least 1`);
  if (!Number.isInteger(req.seed) || req.seed < 0 || req.seed > 0xffffffff)
    throw new UsageError(`--seed ${req.seed}: the seed must be a whole number from 0 to 4294967295`);
  const known = new Set<string>(STRATA_FIELDS);
  const unknown = req.strata.filter((f) => !known.has(f));
  if (unknown.length > 0)
    throw new UsageError(
      `--strata: unknown field${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}; use any of ${STRATA_FIELDS.join(', ')}`,
    );
  if (new Set(req.strata).size !== req.strata.length) throw new UsageError(`--strata ${req.strata.join(',')}: a field is named twice`);
  return req.strata as StrataField[];
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Proportional allocation of `sample` over strata of the given sizes, rounded by largest remainder
 * (Hamilton): each stratum gets floor(sample * N_h / N), and the cells still missing go one each to
 * the strata with the largest remainders (ties: the larger stratum, then the earlier one). Exact
 * integer arithmetic, so the result never depends on floating-point rounding. No stratum gets more
 * cells than it holds.
 */
export function allocate(populations: readonly number[], sample: number): number[] {
  const total = populations.reduce((a, b) => a + b, 0);
  const counts = populations.map((n) => Math.floor((sample * n) / total));
  const order = populations.map((n, i) => ({ i, n, rem: (sample * n) % total })).sort((a, b) => b.rem - a.rem || b.n - a.n || a.i - b.i);
  let missing = sample - counts.reduce((a, b) => a + b, 0);
  for (const s of order) {
    if (missing <= 0) break;
    counts[s.i] = (counts[s.i] ?? 0) + 1;
    missing--;
  }
  return counts;
}

/**
 * A stratified random sample: candidates are sorted by cell id (so the file order of the run does
 * not matter), grouped by the strata fields, counts allocated proportionally, and each stratum
 * sampled uniformly without replacement; the drawn cells are then shuffled into the page's order.
 * One mulberry32 stream from `seed`, consumed stratum by stratum in key order: the same run, seed,
 * sample and strata always draw the same cells in the same order.
 */
export function drawSample(candidates: readonly DrawCandidate[], req: DrawRequest): DrawResult {
  const fields = checkDrawRequest(req);
  if (req.sample > candidates.length)
    throw new InputError(
      `--sample ${req.sample} is more than the ${candidates.length} eligible cell${candidates.length === 1 ? '' : 's'} (a successful response and judgment): use --sample ${candidates.length} or less`,
    );
  const groups = new Map<string, DrawCandidate[]>();
  for (const c of [...candidates].sort((a, b) => byText(a.cellId, b.cellId))) {
    const key = JSON.stringify(fields.map((f) => c[f]));
    const list = groups.get(key);
    if (list) list.push(c);
    else groups.set(key, [c]);
  }
  const keys = [...groups.keys()].sort(byText);
  const members = keys.map((k) => groups.get(k) ?? []);
  const counts = allocate(
    members.map((m) => m.length),
    req.sample,
  );
  const random = mulberry32(req.seed);
  const strata: Stratum[] = members.map((m, i) => {
    const drawn = sampleWithoutReplacement(m, counts[i] ?? 0, random).map((c) => c.cellId);
    const first = m[0] as DrawCandidate;
    return {
      values: Object.fromEntries(fields.map((f) => [f, first[f]])),
      population: m.length,
      drawn: drawn.length,
      inclusionProbability: drawn.length / m.length,
      cellIds: drawn.sort(byText),
    };
  });
  const all = strata.flatMap((s) => s.cellIds);
  return { strata, cells: sampleWithoutReplacement(all, all.length, random) };
}
