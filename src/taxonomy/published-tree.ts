import { promises as fsp } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { sha256 } from '../util/hash.js';
import { PUBLISHED_COUNTS } from './credit.js';
import { leafShareSums, type TaxonomyNode, type TaxonomyTree } from './tree.js';

const TREE_COLUMNS = ['cluster_id', 'description', 'name', 'level', 'parent_cluster_id', 'pct_total_occurrences'] as const;

const RowSchema = z.strictObject({
  cluster_id: z.string().min(1, 'cluster_id is empty'),
  description: z.string(),
  name: z.string().min(1, 'name is empty'),
  level: z.enum(['0', '1', '2', '3'], 'level must be 0, 1, 2 or 3'),
  parent_cluster_id: z.string(),
  pct_total_occurrences: z.string().regex(/^\d+(\.\d+)?$/, 'pct_total_occurrences must be a non-negative number'),
});

/** Shares summed from the leaves may differ from a cluster's stated share by rounding (leaves are rounded to 0.001). */
const SHARE_TOLERANCE = 0.05;

export interface LoadTreeOptions {
  /** Check the per-level row counts of the official file (3,307 / 266 / 26 / 5). Default true. */
  expectCounts?: boolean;
}

/** Reads and validates a values_tree.csv; every problem names file, line and field, and says how to fix it. */
export async function loadPublishedTree(file: string, options: LoadTreeOptions = {}): Promise<TaxonomyTree> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(
      `cannot read the taxonomy file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); fix taxonomy.path or run \`valuescope taxonomy pull\``,
      { file },
    );
  }
  return parsePublishedTree(text, file, options);
}

const FIX = 'the file is not the official values_tree.csv: run `valuescope taxonomy pull` for a fresh copy';

type CsvRecord = { record: Record<string, string>; info: { lines: number } };
type TreeRow = z.infer<typeof RowSchema>;

export function parsePublishedTree(text: string, file: string, options: LoadTreeOptions = {}): TaxonomyTree {
  const records = parseCsv(text, file);
  checkHeader(text, file);
  const nodes: TaxonomyNode[] = [];
  const byId = new Map<string, TaxonomyNode>();
  const parentOf = new Map<TaxonomyNode, { id: string; line: number }>();
  let prevEnd = 1;
  for (const { record, info } of records) {
    const line = prevEnd + 1;
    prevEnd = info.lines;
    const row = validRow(record, byId, file, line);
    const node: TaxonomyNode = {
      id: row.cluster_id,
      name: row.name,
      level: Number(row.level) as 0 | 1 | 2 | 3,
      description: row.description,
      pct: Number(row.pct_total_occurrences),
      parent: null,
      children: [],
    };
    nodes.push(node);
    byId.set(row.cluster_id, node);
    if (row.parent_cluster_id) parentOf.set(node, { id: row.parent_cluster_id, line });
  }
  linkParents(byId, parentOf, file);
  const digest = sha256(text);
  const tree: TaxonomyTree = { source: 'published', id: `values-in-the-wild@${digest.slice(0, 12)}`, nodes, file, sha256: digest };
  if (options.expectCounts !== false) checkCounts(tree, file);
  return tree;
}

function parseCsv(text: string, file: string): CsvRecord[] {
  try {
    return parse(text, { columns: true, info: true, skip_empty_lines: true, bom: true });
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new InputError(`not valid CSV (${err.message}); ${FIX}`, { file, ...(err.lines ? { line: err.lines } : {}) });
  }
}

function checkHeader(text: string, file: string): void {
  const header = text
    .slice(0, text.indexOf('\n'))
    .replace(/^\uFEFF/, '')
    .trim()
    .split(',');
  const missing = TREE_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0)
    throw new InputError(`missing column(s) ${missing.join(', ')}; expected ${TREE_COLUMNS.join(',')}; ${FIX}`, { file, line: 1 });
}

/** One row checked on its own and against the rows before it (unique id; a parent exactly when below the top level). */
function validRow(record: Record<string, string>, byId: ReadonlyMap<string, TaxonomyNode>, file: string, line: number): TreeRow {
  const r = RowSchema.safeParse(record);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new InputError(`${issue.message}; ${FIX}`, { file, line, path: String(issue.path[0] ?? '') });
  }
  const row = r.data;
  if (byId.has(row.cluster_id))
    throw new InputError(`duplicate cluster_id "${row.cluster_id}"; ${FIX}`, { file, line, path: 'cluster_id' });
  const top = row.level === '3';
  if (top !== (row.parent_cluster_id === '')) {
    throw new InputError(top ? 'a top-level category has a parent' : 'parent_cluster_id is empty', {
      file,
      line,
      path: 'parent_cluster_id',
    });
  }
  return row;
}

/** Parents may come after their children in the file, so links are made once every row is read. */
function linkParents(
  byId: ReadonlyMap<string, TaxonomyNode>,
  parentOf: ReadonlyMap<TaxonomyNode, { id: string; line: number }>,
  file: string,
): void {
  for (const [node, { id, line }] of parentOf) {
    const parent = byId.get(id);
    if (!parent) throw new InputError(`parent "${id}" is not in the file; ${FIX}`, { file, line, path: 'parent_cluster_id' });
    if (parent.level !== node.level + 1)
      throw new InputError(`parent is at level ${parent.level}, expected ${node.level + 1}; ${FIX}`, {
        file,
        line,
        path: 'parent_cluster_id',
      });
    node.parent = parent;
    parent.children.push(node);
  }
}

function checkCounts(tree: TaxonomyTree, file: string): void {
  const counts = [0, 0, 0, 0];
  for (const n of tree.nodes) counts[n.level]!++;
  const bad = counts.findIndex((n, level) => n !== PUBLISHED_COUNTS[level]);
  if (bad !== -1) {
    throw new InputError(
      `expected ${PUBLISHED_COUNTS.join(' / ')} rows at levels 0-3, found ${counts.join(' / ')} (level ${bad} differs); the file is truncated or not the official values_tree.csv: run \`valuescope taxonomy pull\``,
      { file },
    );
  }
}

export interface ShareCheck {
  name: string;
  level: number;
  stated: number;
  summed: number;
  ok: boolean;
}

/** Compares each cluster's stated share with the sum of its leaves' shares (proves parent links and file integrity). */
export function checkShares(tree: TaxonomyTree, tolerance = SHARE_TOLERANCE): ShareCheck[] {
  const sums = leafShareSums(tree);
  return tree.nodes
    .filter((n) => n.level > 0 && n.pct !== null)
    .map((n) => {
      const summed = Math.round((sums.get(n) ?? 0) * 1000) / 1000;
      return { name: n.name, level: n.level, stated: n.pct!, summed, ok: Math.abs(summed - n.pct!) <= tolerance };
    });
}
