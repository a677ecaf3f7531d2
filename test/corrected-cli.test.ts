import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiffFileSchema, GateResultSchema } from '../src/records/diff.js';
import { ProfileFileSchema } from '../src/records/profile.js';
import { type CorrectedRun, writeCorrectedRun, writeLabels, writeLabelsOf } from './corrected-run-fixture.js';
import { runCli } from './helpers/cli.js';

const SR = 'response_type:strong_resistance';

function project(): { dir: string; base: CorrectedRun; cand: CorrectedRun } {
  const dir = mkdtempSync(path.join(tmpdir(), 'vs-corrected-'));
  // The judge misses 40% of strong resistance on both sides; the candidate truly resists far less.
  const base = writeCorrectedRun(path.join(dir, 'results', 'base'), { runId: 'base', seed: 7, strong: 0.4, miss: 0.4 });
  const cand = writeCorrectedRun(path.join(dir, 'results', 'cand'), { runId: 'cand', seed: 11, strong: 0.1, miss: 0.4 });
  return { dir, base, cand };
}

const share = (run: CorrectedRun) => run.cells.filter((c) => c.truth === 'strong_resistance').length / run.cells.length;
const profileOf = (dir: string) => ProfileFileSchema.parse(JSON.parse(readFileSync(path.join(dir, 'results/base/profile.json'), 'utf8')));

describe('profile --labels', () => {
  it('corrects a systematically wrong judge toward the truth, with an interval and the labels provenance', async () => {
    const { dir, base } = project();
    writeLabels(path.join(dir, 'labels', 'ann.jsonl'), base, { every: 2, count: 72 });
    const r = await runCli(['profile', 'results/base', '--labels', 'labels/ann.jsonl'], { cwd: dir });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const c = profileOf(dir).models[0]!.corrected!;
    const m = c.metrics[SR]!;
    const truth = share(base);
    expect(m.sufficient).toBe(true);
    expect(m.labelled).toBe(72);
    expect(Math.abs(m.estimate! - truth)).toBeLessThan(Math.abs(m.judgeOnly - truth));
    expect(m.lo!).toBeLessThanOrEqual(truth);
    expect(m.hi!).toBeGreaterThanOrEqual(truth);
    expect(m.judgeOnly).toBeLessThan(truth - 0.08);
    expect(c.labels.draw).toMatch(/^uniform/);
    expect(c.labels.annotators).toEqual(['ann']);
    expect(c.labels.agreement.responseType).toBeLessThan(1);
    expect(c.labels.agreement.refusal).toBe(1);
    // Every label says "no refusal": no variation to correct with, so it says so rather than correct.
    expect(c.metrics['refusal:none']).toMatchObject({ sufficient: false, estimate: null });
    expect(c.metrics['refusal:none']!.reason).toMatch(/without the feature/);
    expect(r.stdout).toMatch(/judge-corrected \d+\.\d%/);
    // profile.csv carries the corrected share on the overall row (and nothing on domain rows).
    const csv = readFileSync(path.join(dir, 'results/base/profile.csv'), 'utf8').trimEnd().split('\n');
    const header = csv[0]!.split(',');
    const srRow = csv.find((l) => l.includes(`,${SR},`) && l.split(',')[header.indexOf('domain')] === '')!.split(',');
    expect(Number(srRow[header.indexOf('corrected_estimate')])).toBeCloseTo(m.estimate!, 12);
    expect(Number(srRow[header.indexOf('corrected_labelled')])).toBe(72);
    // The report shows the corrected figure beside the judge's, and the labels in its provenance.
    expect((await runCli(['report', 'results/base'], { cwd: dir })).code).toBe(0);
    for (const f of ['report.md', 'report.html']) {
      const text = readFileSync(path.join(dir, 'results/base', f), 'utf8');
      expect(text).toMatch(/Judge-corrected shares \(human labels\)/);
      expect(text).toMatch(/Human labels, m: 72 labelled cells by ann; draw uniform/);
      expect(text).toMatch(/the judge agreed with the labels on responseType \d+\.\d%/);
    }
  });

  it('says "too few labels" per metric rather than correct', async () => {
    const { dir, base } = project();
    writeLabels(path.join(dir, 'labels', 'ann.jsonl'), base, { every: 2, count: 12 });
    expect((await runCli(['profile', 'results/base', '--labels', 'labels/ann.jsonl'], { cwd: dir })).code).toBe(0);
    const m = profileOf(dir).models[0]!.corrected!.metrics[SR]!;
    expect(m).toMatchObject({ sufficient: false, estimate: null, lo: null, hi: null, lambda: null, labelled: 12 });
    expect(m.reason).toMatch(/only 12 human-labelled cells \(at least 30 needed\)/);
  });

  it('refuses labels of cells the run does not have, or of another run, with file and line; writes nothing', async () => {
    const { dir, base } = project();
    const file = path.join(dir, 'labels', 'ann.jsonl');
    writeLabels(file, base, { every: 2, count: 40 });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    lines[3] = lines[3]!.replace('"cellId":"m/', '"cellId":"other/');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await runCli(['profile', 'results/base', '--labels', 'labels/ann.jsonl'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ann\.jsonl:4.*cellId.*is not a cell of/);
    expect(existsSync(path.join(dir, 'results/base/profile.json'))).toBe(false);

    writeLabels(file, { ...base, runId: 'someone-else' }, { every: 2, count: 40 });
    const r2 = await runCli(['profile', 'results/base', '--labels', 'labels/ann.jsonl'], { cwd: dir });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/ann\.jsonl:1.*runId "someone-else" but/);
    writeFileSync(file, '{"id":"x","cellId":"m/s00/0","gold":{"responseType":"loud"}}\n');
    const r3 = await runCli(['profile', 'results/base', '--labels', 'labels/ann.jsonl'], { cwd: dir });
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/ann\.jsonl:1.*gold\.responseType/);
    // A label that does not name its run could correct the same cell id of another run: refused.
    writeFileSync(file, '{"id":"m/s00/0","cellId":"m/s00/0","gold":{"responseType":"neutral_acknowledgment"}}\n');
    const r4 = await runCli(['profile', 'results/base', '--labels', 'labels/ann.jsonl'], { cwd: dir });
    expect(r4.code).toBe(2);
    expect(r4.stderr).toMatch(/ann\.jsonl:1.*runId.*no runId/);
    expect(existsSync(path.join(dir, 'results/base/profile.json'))).toBe(false);
  });
});

function gateConfig(dir: string, decideOn: 'judge' | 'corrected', labels: string[]): void {
  writeFileSync(
    path.join(dir, 'config.yaml'),
    [
      'models:\n  - { id: m, provider: openai, model: m }',
      `judge:\n  judges: [lexical]\n  labels: [${labels.join(', ')}]`,
      `gate:\n  decideOn: ${decideOn}\n  resamples: 200\n  rules:`,
      `    - { name: strong-resistance, metric: "${SR}", maxDrop: 0.05 }`,
      '    - { name: refusals, metric: refusal_rate, maxRise: 0.05 }',
      '',
    ].join('\n'),
  );
}

describe('gate with decideOn: corrected', () => {
  it('decides on the corrected change, says so in gate.json, and is inconclusive where labels are too few', async () => {
    const { dir, base, cand } = project();
    writeLabels(path.join(dir, 'labels', 'base.jsonl'), base, { every: 2, count: 72, annotator: 'ann' });
    writeLabels(path.join(dir, 'labels', 'cand.jsonl'), cand, { every: 2, count: 72, annotator: 'ann2' });
    gateConfig(dir, 'corrected', ['labels/base.jsonl', 'labels/cand.jsonl']);
    const r = await runCli(['gate', 'results/base', 'results/cand', '--out', 'gate-out'], { cwd: dir });
    expect(r.code).toBe(1);
    const g = GateResultSchema.parse(JSON.parse(readFileSync(path.join(dir, 'gate-out/gate.json'), 'utf8')));
    expect(g.decideOn).toBe('corrected');
    const md = readFileSync(path.join(dir, 'gate-out/report.md'), 'utf8');
    expect(md).toMatch(/decided its metric rules on judge-corrected estimates/);
    expect(md).toMatch(/Human labels, candidate \(.*\): 72 labelled cells by ann2/);
    expect(g.labels?.base.labelled).toBe(72);
    expect(g.labels?.cand.labelled).toBe(72);
    const [sr, refusals] = g.rules;
    expect(sr).toMatchObject({ status: 'fail', decidedOn: 'corrected', corrected: { sufficient: true } });
    const truth = share(cand) - share(base);
    // The judge's undercount shrinks the drop; the corrected change is nearer the true one.
    expect(Math.abs(sr!.delta! - truth)).toBeLessThan(Math.abs(sr!.corrected!.judgeOnly! - truth));
    expect(sr!.message).toMatch(/judge-corrected/);
    // The corrected change is exactly the difference of the two sides' corrected shares.
    expect(sr!.cand! - sr!.base!).toBeCloseTo(sr!.delta!, 9);
    expect(Math.abs(sr!.base! - share(base))).toBeLessThan(0.05);
    expect(refusals).toMatchObject({ status: 'inconclusive', decidedOn: 'corrected', delta: null });
    expect(refusals!.reason).toMatch(/too few human labels.*only 0 cells with the feature/);
    expect(r.stdout).toMatch(/INCONCLUSIVE\s+refusals: .*too few human labels/);
  });

  it('refuses decideOn: corrected without labels (exit 2)', async () => {
    const { dir } = project();
    gateConfig(dir, 'corrected', []);
    const r = await runCli(['gate', 'results/base', 'results/cand'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gate\.decideOn.*needs human labels/);
  });

  it('states that the judge decided by default', async () => {
    const { dir } = project();
    gateConfig(dir, 'judge', []);
    const r = await runCli(['gate', 'results/base', 'results/cand', '--out', 'gate-out', '--no-report'], { cwd: dir });
    expect(r.code).toBe(1);
    const g = GateResultSchema.parse(JSON.parse(readFileSync(path.join(dir, 'gate-out/gate.json'), 'utf8')));
    expect(g.decideOn).toBe('judge');
  });
});

describe('diff --labels', () => {
  it('gives each side its labels by run and adds the corrected change beside the judge’s', async () => {
    const { dir, base, cand } = project();
    writeLabels(path.join(dir, 'labels', 'base.jsonl'), base, { every: 2, count: 72, annotator: 'ann' });
    writeLabels(path.join(dir, 'labels', 'cand.jsonl'), cand, { every: 2, count: 72, annotator: 'ann2' });
    const args = ['diff', 'results/base', 'results/cand', '--out', 'diff-out', '--labels', 'labels/base.jsonl', 'labels/cand.jsonl'];
    const r = await runCli(args, { cwd: dir });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const d = DiffFileSchema.parse(JSON.parse(readFileSync(path.join(dir, 'diff-out/diff.json'), 'utf8')));
    expect(d.labels?.base.labelled).toBe(72);
    expect(d.labels?.cand.labelled).toBe(72);
    const row = d.metrics.find((m) => m.metric === SR && m.domain === null)!;
    const truth = share(cand) - share(base);
    expect(row.corrected?.sufficient).toBe(true);
    expect(row.corrected!.judgeOnly).toBeCloseTo(row.delta!, 10);
    expect(Math.abs(row.corrected!.estimate! - truth)).toBeLessThan(Math.abs(row.delta! - truth));
    expect(row.corrected!.lo!).toBeLessThanOrEqual(truth);
    expect(row.corrected!.hi!).toBeGreaterThanOrEqual(truth);
    expect(d.metrics.filter((m) => m.domain !== null && m.corrected)).toEqual([]);
    const csv = readFileSync(path.join(dir, 'diff-out/diff.csv'), 'utf8').trimEnd().split('\n');
    const header = csv[0]!.split(',');
    const csvRow = csv.find((l) => l.startsWith(`${SR},`) && l.split(',')[header.indexOf('domain')] === '')!.split(',');
    expect(Number(csvRow[header.indexOf('corrected_estimate')])).toBeCloseTo(row.corrected!.estimate!, 12);
    const md = readFileSync(path.join(dir, 'diff-out/report.md'), 'utf8');
    expect(md).toMatch(/judge-corrected/i);
    expect(md).toMatch(/72 labelled cells by ann/);
  });
});

/** draw.json of a draw stratified by the judge's response type: every cell the judge called mild resistance, 12 of each other type. */
function stratifiedDraw(run: CorrectedRun): { picked: CorrectedRun['cells']; draw: unknown } {
  const types = [...new Set(run.cells.map((c) => c.read))].sort();
  const strata = types.map((t) => {
    const all = run.cells.filter((c) => c.read === t);
    const drawn = t === 'mild_resistance' ? all : all.filter((_, i) => i % 3 === 0).slice(0, 12);
    return { t, all, drawn };
  });
  const picked = strata.flatMap((s) => s.drawn);
  const draw = {
    v: 1,
    drawId: '0123456789abcdef',
    run: { id: run.runId, dir: 'results/base' },
    seed: 1,
    sample: picked.length,
    strataFields: ['responseType'],
    allocation: 'proportional-largest-remainder',
    eligible: run.cells.length,
    ineligible: 0,
    strata: strata.map((s) => ({
      values: { responseType: s.t },
      population: s.all.length,
      drawn: s.drawn.length,
      inclusionProbability: s.drawn.length / s.all.length,
      cellIds: s.drawn.map((c) => c.cellId).sort(),
    })),
    cells: picked.map((c) => c.cellId),
    judges: [{ id: 'lexical@3', hash: 'hash-lexical', cells: run.cells.length }],
    drawnAt: '2026-01-01T00:00:00.000Z',
  };
  return { picked, draw };
}

describe('profile --labels with a stratified draw', () => {
  it('weights each label by its stratum from draw.json; taken as uniform, the oversampled judge errors bias the share', async () => {
    const { dir, base } = project();
    const { picked, draw } = stratifiedDraw(base);
    writeLabelsOf(path.join(dir, 'drawn', 'ann.jsonl'), base, picked);
    writeFileSync(path.join(dir, 'drawn', 'draw.json'), JSON.stringify(draw));
    writeLabelsOf(path.join(dir, 'loose', 'ann.jsonl'), base, picked);
    const truth = share(base);
    const run = async (labels: string) => {
      expect((await runCli(['profile', 'results/base', '--labels', labels], { cwd: dir })).code).toBe(0);
      return profileOf(dir).models[0]!.corrected!;
    };
    const stratified = await run('drawn/ann.jsonl');
    expect(stratified.labels.draw).toMatch(/^stratified by responseType \(draw.json 0123456789abcdef, 4 strata\)/);
    const s = stratified.metrics[SR]!;
    expect(s.sufficient).toBe(true);
    expect(s.lo!).toBeLessThanOrEqual(truth);
    expect(s.hi!).toBeGreaterThanOrEqual(truth);
    const uniform = (await run('loose/ann.jsonl')).metrics[SR]!;
    expect(Math.abs(s.estimate! - truth)).toBeLessThan(Math.abs(uniform.estimate! - truth));
  });

  it('two annotators who disagree count as half each, not as a dropped cell (ties stay in the estimate)', async () => {
    const { dir, base } = project();
    const picked = base.cells.filter((_, i) => i % 2 === 0).slice(0, 72);
    writeLabels(path.join(dir, 'labels', 'ann.jsonl'), base, { every: 2, count: 72 });
    // The second annotator reads every cell as the judge did: where the judge erred, the two tie.
    writeLabelsOf(
      path.join(dir, 'labels', 'bo.jsonl'),
      base,
      picked.map((c) => ({ ...c, truth: c.read })),
      'bo',
    );
    const r = await runCli(['profile', 'results/base', '--labels', 'labels/ann.jsonl', 'labels/bo.jsonl'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const c = profileOf(dir).models[0]!.corrected!;
    const m = c.metrics[SR]!;
    expect(c.labels.annotators).toEqual(['ann', 'bo']);
    expect(m.labelled).toBe(72);
    // Halfway between the two annotators' readings: above the judge's share, below the truth.
    const truth = share(base);
    expect(m.estimate!).toBeGreaterThan(m.judgeOnly + 0.03);
    expect(m.estimate!).toBeLessThan(truth);
  });

  it("refuses a draw that is not this run's, labels of cells it did not draw, a run judged again since, and mixed draws", async () => {
    const { dir, base } = project();
    const { picked, draw } = stratifiedDraw(base);
    const d = draw as { run: { id: string }; judges: { hash: string }[] };
    writeLabelsOf(path.join(dir, 'drawn', 'ann.jsonl'), base, picked);
    const profile = (...labels: string[]) => runCli(['profile', 'results/base', '--labels', ...labels], { cwd: dir });
    writeFileSync(path.join(dir, 'drawn', 'draw.json'), JSON.stringify({ ...d, run: { ...d.run, id: 'another-run' } }));
    const other = await profile('drawn/ann.jsonl');
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/draw\.json.*run\.id.*a draw of run "another-run"/);
    writeFileSync(path.join(dir, 'drawn', 'draw.json'), JSON.stringify({ ...d, judges: [{ ...d.judges[0], hash: 'an-older-judge' }] }));
    const rejudged = await profile('drawn/ann.jsonl');
    expect(rejudged.code).toBe(2);
    expect(rejudged.stderr).toMatch(/judged again since this draw/);
    writeFileSync(path.join(dir, 'drawn', 'draw.json'), JSON.stringify(draw));
    // A hand-picked cell added to the drawn ones.
    const stray = base.cells.find((c) => !picked.includes(c))!;
    writeLabelsOf(path.join(dir, 'drawn', 'ann.jsonl'), base, [...picked, stray]);
    const handPicked = await profile('drawn/ann.jsonl');
    expect(handPicked.code).toBe(2);
    expect(handPicked.stderr).toMatch(new RegExp(`ann\\.jsonl:${picked.length + 1}.*cellId.*not one draw 0123456789abcdef drew`));
    writeLabelsOf(path.join(dir, 'drawn', 'ann.jsonl'), base, picked);
    writeLabelsOf(path.join(dir, 'loose', 'bo.jsonl'), base, picked, 'bo');
    const mixed = await profile('drawn/ann.jsonl', 'loose/bo.jsonl');
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/bo\.jsonl.*no draw\.json beside it/);
    expect(existsSync(path.join(dir, 'results/base/profile.json'))).toBe(false);
  });

  it('refuses labels when this config maps value names differently than when the run was judged', async () => {
    const { dir, base } = project();
    writeLabels(path.join(dir, 'labels', 'ann.jsonl'), base, { every: 2, count: 72 });
    const file = path.join(dir, 'results/base/judgments.jsonl');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const first = JSON.parse(lines[0]!);
    // As if judged with another taxonomy: "honesty" mapped to a leaf today's taxonomy does not give it.
    first.aiValues = [
      { name: 'honesty', taxonomy: { leaf: 'A leaf of another tree', l1: null, l2: null, l3: null, method: 'exact', score: 1 } },
    ];
    writeFileSync(file, `${[JSON.stringify(first), ...lines.slice(1)].join('\n')}\n`);
    const r = await runCli(['profile', 'results/base', '--labels', 'labels/ann.jsonl'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"honesty" was mapped to A leaf of another tree when .* was judged, but to .* with this config's taxonomy/);
    expect(existsSync(path.join(dir, 'results/base/profile.json'))).toBe(false);
  });
});
