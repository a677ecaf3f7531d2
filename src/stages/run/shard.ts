/** `run --shard i/n`: the i-th (1-based) of n parts of a run's plan. */
export interface Shard {
  index: number;
  count: number;
}

/** Code-unit order: the same on every machine, whatever its locale (localeCompare is not). */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `<model>/<scenario>/<sample>` (records/transcript.ts cellIdOf; ids cannot contain '/'). */
function partsOf(cellId: string): [string, string, number] {
  const [model = '', scenario = '', sample = ''] = cellId.split('/');
  return [model, scenario, Number(sample)];
}

function compareCells(a: string, b: string): number {
  const [am, as, an] = partsOf(a);
  const [bm, bs, bn] = partsOf(b);
  return byCodeUnit(am, bm) || byCodeUnit(as, bs) || an - bn || byCodeUnit(a, b);
}

/**
 * The shard (1..count) of every cell. It depends on the cell ids alone, never on the order the
 * suite was loaded in (directory listings differ between machines), so every runner of a CI matrix
 * computes the same split from the same plan, and `merge` can say which shard should hold a cell.
 *
 * Cells are sorted by model, scenario and sample and dealt out round-robin in that order. So each
 * shard gets the same number of cells of every model, give or take one, and consecutive scenarios
 * go to different shards: the scenarios of a domain (whose ids share a prefix by convention) are
 * spread over all shards instead of whole domains landing on one machine, and so are the long and
 * the short ones.
 */
export function shardOfCells(cellIds: readonly string[], count: number): Map<string, number> {
  const sorted = [...cellIds].sort(compareCells);
  return new Map(sorted.map((id, i) => [id, (i % count) + 1]));
}

/** The cells of one shard, in their original order. */
export function cellsOfShard<T extends { cellId: string }>(cells: readonly T[], shard: Shard): T[] {
  const of = shardOfCells(
    cells.map((c) => c.cellId),
    shard.count,
  );
  return cells.filter((c) => of.get(c.cellId) === shard.index);
}

export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

const SHARD_NOTE = /^shard \d+\/\d+ of the plan: /;

/** The manifest note of a shard; `merge` drops it from the merged run, which is no shard. */
export function shardNote(shard: Shard, cells: number, planCells: number): string {
  return `shard ${shardLabel(shard)} of the plan: ${cells} of ${planCells} cells (join the shards with valuescope merge)`;
}

export function isShardNote(note: string): boolean {
  return SHARD_NOTE.test(note);
}
