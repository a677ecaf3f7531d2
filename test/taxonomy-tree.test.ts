import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import { builtinTree, checkShares, loadPublishedTree, PUBLISHED_TREE_SHA256, parsePublishedTree } from '../src/taxonomy/index.js';
import { nodesAtLevel } from '../src/taxonomy/tree.js';
import { sha256 } from '../src/util/hash.js';
import { TREE_CSV } from './helpers/taxonomy-data.js';

describe('published tree loader', () => {
  it('loads 3,307 leaves + 266 + 26 + 5 and reproduces the level-3 shares from the leaves', async () => {
    const tree = await loadPublishedTree(TREE_CSV);
    expect([0, 1, 2, 3].map((l) => nodesAtLevel(tree, l).length)).toEqual([3307, 266, 26, 5]);
    expect(tree.sha256).toBe(PUBLISHED_TREE_SHA256);
    expect(tree.id).toBe(`values-in-the-wild@${PUBLISHED_TREE_SHA256.slice(0, 12)}`);
    const checks = checkShares(tree);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    const top = Object.fromEntries(checks.filter((c) => c.level === 3).map((c) => [c.name, c.summed]));
    const published = {
      'Practical values': 31.426,
      'Epistemic values': 22.203,
      'Social values': 21.41,
      'Protective values': 13.862,
      'Personal values': 11.099,
    };
    for (const [name, share] of Object.entries(published)) expect(Math.abs(top[name]! - share)).toBeLessThan(0.05);
    // Every leaf reaches a top-level category through levels 1 and 2.
    for (const leaf of nodesAtLevel(tree, 0)) expect(leaf.parent?.parent?.parent?.level).toBe(3);
  });

  const header = 'cluster_id,description,name,level,parent_cluster_id,pct_total_occurrences';
  const small = [header, 'top,Top,Top values,3,,100', 'mid,Mid,Mid,2,top,100', 'low,Low,Low,1,mid,100', 'honesty,,honesty,0,low,100'];

  it('accepts a small well-formed tree when counts are not enforced', () => {
    const tree = parsePublishedTree(`${small.join('\n')}\n`, 'small.csv', { expectCounts: false });
    expect(checkShares(tree).every((c) => c.ok)).toBe(true);
  });

  it.each([
    ['a missing column', [header.replace(',level', ''), 'x,y,z,,1'], /small\.csv:1: missing column\(s\) level/],
    ['a bad level', [...small.slice(0, 3), 'low,Low,Low,7,mid,100'], /small\.csv:4 \(level\): level must be 0, 1, 2 or 3/],
    ['a dangling parent', [...small.slice(0, 4), 'honesty,,honesty,0,nowhere,100'], /small\.csv:5 \(parent_cluster_id\): parent "nowhere"/],
    ['a bad share', [...small.slice(0, 4), 'honesty,,honesty,0,low,lots'], /small\.csv:5 \(pct_total_occurrences\)/],
    ['ragged CSV', [...small.slice(0, 4), 'honesty,,honesty,0'], /small\.csv:5: not valid CSV/],
  ])('rejects %s with a located error', (_what, lines, message) => {
    expect(() => parsePublishedTree(`${lines.join('\n')}\n`, 'small.csv', { expectCounts: false })).toThrow(message);
  });

  it('rejects a truncated copy of the official file (row counts)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vs-tree-'));
    const file = path.join(dir, 'values_tree.csv');
    const lines = readFileSync(TREE_CSV, 'utf8').split('\n');
    writeFileSync(file, `${lines.slice(0, -50).join('\n')}\n`);
    await expect(loadPublishedTree(file)).rejects.toThrow(/expected 3307 \/ 266 \/ 26 \/ 5 rows/);
    await expect(loadPublishedTree(path.join(dir, 'missing.csv'))).rejects.toBeInstanceOf(InputError);
  });
});

describe('built-in tree', () => {
  it('has the published 5 + 26 category names under the same parents, with descriptions of its own', async () => {
    const builtin = builtinTree();
    const published = await loadPublishedTree(TREE_CSV);
    const pairs = (t: typeof builtin) =>
      nodesAtLevel(t, 2)
        .map((n) => `${n.parent!.name} > ${n.name}`)
        .sort();
    expect(pairs(builtin)).toEqual(pairs(published));
    expect(
      nodesAtLevel(builtin, 3)
        .map((n) => n.name)
        .sort(),
    ).toEqual(
      nodesAtLevel(published, 3)
        .map((n) => n.name)
        .sort(),
    );
    const publishedDescriptions = new Set(published.nodes.map((n) => n.description));
    for (const n of [...nodesAtLevel(builtin, 2), ...nodesAtLevel(builtin, 3)]) {
      expect(n.description.length).toBeGreaterThan(20);
      expect(publishedDescriptions.has(n.description)).toBe(false);
    }
  });

  it('lists each leaf once, lower case, at least 8 per category', () => {
    const builtin = builtinTree();
    const leaves = nodesAtLevel(builtin, 0).map((n) => n.name);
    expect(new Set(leaves).size).toBe(leaves.length);
    for (const l of leaves) expect(l).toBe(l.toLowerCase());
    for (const cat of nodesAtLevel(builtin, 2)) expect(cat.children.length).toBeGreaterThanOrEqual(8);
  });

  it('pins the sha256 of the official file', () => {
    expect(sha256(readFileSync(TREE_CSV, 'utf8'))).toBe(PUBLISHED_TREE_SHA256);
  });
});
