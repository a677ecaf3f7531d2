import { beforeAll, describe, expect, it } from 'vitest';
import { TaxonomyPathSchema } from '../src/records/judgment.js';
import { loadTaxonomy, type Taxonomy } from '../src/taxonomy/index.js';
import { TREE_CSV } from './helpers/taxonomy-data.js';

let builtin: Taxonomy;
let published: Taxonomy;
beforeAll(async () => {
  builtin = await loadTaxonomy({ threshold: 0.5 });
  published = await loadTaxonomy({ path: TREE_CSV, threshold: 0.5 });
});

describe.each([
  ['builtin', () => builtin],
  ['published', () => published],
])('%s taxonomy matching', (_name, tax) => {
  it.each([
    ['honest', 'honesty'],
    ['Transparent', 'transparency'],
    ['healthy-boundaries', 'healthy boundaries'],
    ['Harm_Prevention', 'harm prevention'],
    ['  EPISTEMIC   humility ', 'epistemic humility'],
    ['fair', 'fairness'],
    ['accurate', 'accuracy'],
    ['creative', 'creativity'],
    ['curious', 'curiosity'],
    ['responsible', 'responsibility'],
  ])('maps %j exactly to %j', (input, leaf) => {
    const p = tax().match(input);
    expect(TaxonomyPathSchema.parse(p)).toEqual(p);
    expect(p).toMatchObject({ leaf, method: 'exact', score: 1 });
    expect(p.l2).not.toBeNull();
    expect(p.l3).toMatch(/ values$/);
  });

  it('maps a near miss lexically, above the threshold, with its score', () => {
    const p = tax().match('respect for user autonomy');
    expect(p.method).toBe('lexical');
    expect(p.leaf).toBe('respect for autonomy');
    expect(p.l2).toBe('Personal growth and wellbeing');
    expect(p.score).toBeGreaterThanOrEqual(0.5);
    expect(p.score).toBeLessThan(1);
  });

  it('leaves nonsense unmapped', () => {
    for (const n of ['xyzzy', 'quantum flux', '', '!!!'])
      expect(tax().match(n)).toEqual({ leaf: null, l1: null, l2: null, l3: null, method: 'unmapped', score: 0 });
  });

  it('returns top-k candidates, exact first, best first', () => {
    const c = tax().candidates('honest', 3);
    expect(c).toHaveLength(3);
    expect(c[0]).toMatchObject({ leaf: 'honesty', score: 1 });
    expect(c[1]!.score).toBeGreaterThanOrEqual(c[2]!.score);
    expect(new Set(c.map((x) => x.leaf)).size).toBe(3);
  });

  it('reports coverage by method', () => {
    const cov = tax().coverage([
      'honesty',
      'honest',
      'respect for user autonomy',
      'xyzzy',
      { leaf: 'x', l1: null, l2: null, l3: null, method: 'judge', score: 0.7 },
    ]);
    expect(cov).toEqual({ total: 5, exact: 2, lexical: 1, judge: 1, unmapped: 1, share: 0.8 });
    expect(tax().coverage([]).share).toBe(1);
  });
});

describe('taxonomy specifics', () => {
  it('records level-1 clusters only for the published tree', () => {
    expect(builtin.match('honesty').l1).toBeNull();
    expect(published.match('honesty').l1).not.toBeNull();
    expect(builtin.id).toBe('builtin@1');
    expect(published.id).toMatch(/^values-in-the-wild@[0-9a-f]{12}$/);
  });

  it('agrees with the published tree on the second-level category of every built-in leaf the published tree has', () => {
    let shared = 0;
    for (const leaf of builtin.leafNames()) {
      const p = published.match(leaf);
      if (p.method !== 'exact' || p.leaf !== leaf) continue;
      shared++;
      expect(`${leaf} -> ${builtin.match(leaf).l2}`).toBe(`${leaf} -> ${p.l2}`);
    }
    expect(shared).toBeGreaterThan(250);
  });

  it('raises and lowers the bar with the threshold', async () => {
    const strict = await loadTaxonomy({ threshold: 0.95 });
    expect(strict.match('respect for user autonomy').method).toBe('unmapped');
    expect(strict.match('honest').method).toBe('exact');
  });

  it('exposes lookup helpers for the analysis', () => {
    expect(builtin.categories(3)).toHaveLength(5);
    expect(builtin.categories(2)).toHaveLength(26);
    expect(published.categories(1)).toHaveLength(266);
    expect(builtin.parentOf('Ethical responsibility')).toBe('Protective values');
    expect(builtin.topLevelOf('harm prevention')).toBe('Protective values');
    expect(published.parentOf('Practical values')).toBeNull();
    expect(builtin.placeAt('harm prevention', 'judge', 0.8)).toMatchObject({
      leaf: 'harm prevention',
      l2: 'Protecting vulnerable entities',
      method: 'judge',
    });
    expect(builtin.placeAt('not a value', 'judge', 0.8)).toBeNull();
  });

  it('memoises: 20,000 lookups of 2,000 distinct names stay fast on the published tree', () => {
    const names = Array.from({ length: 2000 }, (_, i) => `${published.leafNames()[i % 3307]} ${i % 7 === 0 ? 'care' : ''}`);
    const t0 = performance.now();
    for (let r = 0; r < 10; r++) for (const n of names) published.match(n);
    expect(performance.now() - t0).toBeLessThan(15_000);
  });
});
