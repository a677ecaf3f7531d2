import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf, listTsFiles } from './helpers/import-graph.js';
import { checkEdge, unitCycles } from './helpers/layers.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(repo, 'src');

describe('architecture: imports only point down (docs/architecture.md)', () => {
  const edges = listTsFiles(src).flatMap((f) => importsOf(f));

  it('finds the imports it checks (sanity: the parser sees static, type-only and dynamic imports)', () => {
    expect(edges.length).toBeGreaterThan(400);
    expect(edges.some((e) => e.kind === 'dynamic')).toBe(true);
    expect(edges.some((e) => e.kind === 'type')).toBe(true);
  });

  it('has no upward import and no import between siblings of one layer', () => {
    const found = edges.flatMap((e) => {
      const v = checkEdge(e, src);
      return v ? [`${path.relative(repo, e.from)}:${e.line} ${v.message}`] : [];
    });
    expect(found, `layer violations:\n${found.join('\n')}`).toEqual([]);
  });

  it('has no cycle between folders', () => {
    expect(unitCycles(edges, src)).toEqual([]);
  });
});
