import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabelDraw, LabelDrawSchema } from '../src/records/label-draw.js';
import { allocate, type DrawCandidate, drawSample } from '../src/stages/report/label/draw-sample.js';
import { runCli } from './helpers/cli.js';
import { FIXTURE_DOMAINS, INELIGIBLE, writeLabelRun } from './label-run-fixture.js';

let root: string;
let eligible: string[];
const run = () => path.join(root, 'run');

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'vs-label-draw-'));
  eligible = writeLabelRun(run());
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function label(args: string[], out: string): Promise<{ code: number; stdout: string; stderr: string; draw?: LabelDraw }> {
  const r = await runCli(['label', run(), '--out', out, ...args], { cwd: root, now: () => new Date('2026-02-01T00:00:00Z') });
  const file = path.join(root, out, 'draw.json');
  return existsSync(file) ? { ...r, draw: LabelDrawSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) } : r;
}

describe('valuescope label: the draw', () => {
  it('is reproducible from (run, seed, sample, strata), and another seed draws other cells', async () => {
    const a = await label(['--sample', '20', '--seed', '7', '--strata', 'domain'], 'a');
    const b = await label(['--sample', '20', '--seed', '7', '--strata', 'domain'], 'b');
    const c = await label(['--sample', '20', '--seed', '8', '--strata', 'domain'], 'c');
    expect(a.code, a.stderr).toBe(0);
    expect(b.draw).toEqual(a.draw);
    expect(readFileSync(path.join(root, 'b', 'label.html'), 'utf8')).toBe(readFileSync(path.join(root, 'a', 'label.html'), 'utf8'));
    expect(c.draw?.cells).not.toEqual(a.draw?.cells);
    expect(c.draw?.drawId).not.toBe(a.draw?.drawId);
    expect(a.stdout).toContain('Drew 20 of 100 eligible cells (6 without a successful response and judgment left out), seed 7');
  });

  it('allocates proportionally per stratum and records populations, counts and inclusion probabilities', async () => {
    const { draw, stdout } = await label(['--sample', '20', '--seed', '1', '--strata', 'domain'], 'prop');
    expect(stdout).not.toMatch(/fewer than 2 cells/);
    expect(draw?.eligible).toBe(100);
    expect(draw?.ineligible).toBe(INELIGIBLE);
    expect(draw?.strata.map((s) => [s.values.domain, s.population, s.drawn, s.inclusionProbability])).toEqual([
      ['alpha', FIXTURE_DOMAINS.alpha, 12, 0.2],
      ['beta', FIXTURE_DOMAINS.beta, 6, 0.2],
      ['gamma', FIXTURE_DOMAINS.gamma, 2, 0.2],
    ]);
    // Each stratum's cells are its own, and only eligible cells are ever drawn.
    for (const s of draw?.strata ?? []) for (const id of s.cellIds) expect(id).toContain(`/${s.values.domain}-s`);
    expect(draw?.cells.every((id) => eligible.includes(id))).toBe(true);
    expect(new Set(draw?.cells).size).toBe(20);
    expect([...(draw?.cells ?? [])].sort()).toEqual(draw?.strata.flatMap((s) => s.cellIds).sort());
    expect(draw?.judges).toEqual([{ id: 'lexical@3', hash: 'hash-lexical', cells: 100 }]);
    expect(draw).toMatchObject({ seed: 1, sample: 20, strataFields: ['domain'], run: { id: 'label-fixture-run', dir: run() } });
  });

  it('stratifies by the judge’s response type within domain, every count within one of its exact quota', async () => {
    const { draw, stdout } = await label(['--sample', '37', '--seed', '3', '--strata', 'domain,responseType'], 'two');
    const strata = draw?.strata ?? [];
    // Strata too thin for a corrected estimate are said at draw time, with the sample that would do.
    const thin = strata.filter((s) => s.drawn < 2).length;
    expect(thin).toBeGreaterThan(0);
    const smallest = Math.min(...strata.map((s) => s.population));
    expect(stdout).toContain(`warning: ${thin} of ${strata.length} strata got fewer than 2 cells`);
    expect(stdout).toContain(`--sample ${Math.ceil(200 / smallest)} or more`);
    expect(strata.reduce((a, s) => a + s.population, 0)).toBe(100);
    expect(strata.reduce((a, s) => a + s.drawn, 0)).toBe(37);
    for (const s of strata) {
      const quota = (37 * s.population) / 100;
      expect(s.drawn).toBeGreaterThanOrEqual(Math.floor(quota));
      expect(s.drawn).toBeLessThanOrEqual(Math.ceil(quota));
      expect(s.inclusionProbability).toBeCloseTo(s.drawn / s.population, 12);
    }
    // alpha's 60 cells cycle through the 7 types: the first four types get 9, the last three 8.
    const alpha = Object.fromEntries(strata.filter((s) => s.values.domain === 'alpha').map((s) => [s.values.responseType, s.population]));
    expect(alpha).toEqual({
      strong_support: 9,
      mild_support: 9,
      neutral_acknowledgment: 9,
      reframing: 9,
      mild_resistance: 8,
      strong_resistance: 8,
      no_values: 8,
    });
  });

  it('rounds by largest remainder (ties: the larger stratum, then the earlier)', () => {
    expect(allocate([5, 3, 2], 5)).toEqual([3, 1, 1]);
    expect(allocate([1, 1, 1], 2)).toEqual([1, 1, 0]);
    expect(allocate([10, 1], 11)).toEqual([10, 1]);
    expect(allocate([60, 30, 10], 7)).toEqual([4, 2, 1]);
  });

  it('is random within strata: every cell of a stratum is drawn about n_h / N_h of the time, in no fixed order', () => {
    const candidates: DrawCandidate[] = eligible.map((cellId) => ({
      cellId,
      domain: cellId.split('/')[1]!.replace(/-s\d+$/, ''),
      responseType: 'x',
      refusal: 'none',
      model: 'm',
    }));
    const draws = 4000;
    const hits = new Map<string, number>();
    const firstDomain = new Map<string, number>();
    for (let seed = 0; seed < draws; seed++) {
      const d = drawSample(candidates, { seed, sample: 10, strata: ['domain'] });
      for (const id of d.cells) hits.set(id, (hits.get(id) ?? 0) + 1);
      const first = d.cells[0]!.split('/')[1]!.replace(/-s\d+$/, '');
      firstDomain.set(first, (firstDomain.get(first) ?? 0) + 1);
    }
    // Allocation 6/3/1 of 60/30/10: p = 0.1 for every cell; 5 standard deviations of a binomial(4000, 0.1) = 95.
    for (const id of eligible) expect(Math.abs((hits.get(id) ?? 0) - 400), id).toBeLessThan(95);
    // The page's order is shuffled: the first cell is from alpha 60% of the time, not always.
    expect(Math.abs((firstDomain.get('alpha') ?? 0) / draws - 0.6)).toBeLessThan(0.04);
  });

  it.each([
    [['--sample', '0'], /--sample 0: the sample size must be a whole number of at least 1/],
    [['--strata', 'domain,colour'], /--strata: unknown field colour; use any of domain, responseType, refusal, model/],
    [['--sample', '101'], /--sample 101 is more than the 100 eligible cells .*use --sample 100 or less/],
    [['--sample', '-3'], /expected a whole number/],
    [['--annotator', '  '], /--annotator " {2}": give a name/],
  ])('refuses %j with exit 2 and writes nothing', async (args, message) => {
    const out = `bad-${args.join('')}`;
    const r = await label(args, out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(path.join(root, out))).toBe(false);
  });

  it('refuses what is not a judged run directory, and a --out holding another draw', async () => {
    const notRun = await runCli(['label', root, '--out', 'x'], { cwd: root });
    expect(notRun.code).toBe(2);
    expect(notRun.stderr).toMatch(/is not a run directory: no manifest\.json here/);
    const unjudged = path.join(root, 'unjudged');
    writeLabelRun(unjudged);
    rmSync(path.join(unjudged, 'judgments.jsonl'));
    const r = await runCli(['label', unjudged, '--out', 'y'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no judgments: judge the run first with: valuescope judge/);
    expect(existsSync(path.join(root, 'x')) || existsSync(path.join(root, 'y'))).toBe(false);
    await label(['--sample', '5', '--seed', '1'], 'taken');
    const again = await label(['--sample', '5', '--seed', '2'], 'taken');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already records another draw/);
    expect(again.draw?.seed).toBe(1);
  });
});
