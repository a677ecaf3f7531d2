import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createLexicalJudgeResponder } from '../src/devtools/demo/judge-responder.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import type { Judgment } from '../src/records/judgment.js';
import type { Transcript } from '../src/records/transcript.js';
import type { Block } from '../src/stages/report/blocks.js';
import { provenanceBlocks } from '../src/stages/report/content-provenance.js';
import { gatherProvenance, type ProvenanceColumn } from '../src/stages/report/provenance-data.js';
import { renderMarkdown } from '../src/stages/report/render-markdown.js';
import { REPO_ROOT, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

const PRICES = {
  'claude-synthetic': { input: 3, output: 15 },
  'gpt-synthetic': { input: 2, output: 8 },
  'synthetic-judge': { input: 1, output: 4 },
};

let server: LocalServer;
let project: string;
let runDir: string;

/** A real run through the CLI: two models on the local server with faults, judged by the `default` LLM judge on the same server. */
beforeAll(async () => {
  server = await startLocalServer({
    structuredResponder: createLexicalJudgeResponder(),
    ...{ errorRate: 0.25, rate429: 0.1, overloadRate: 0.05, retryAfterMs: 20, badJsonRate: 0.1, seed: 5 },
  });
  project = await mkdtemp(path.join(tmpdir(), 'vs-provenance-'));
  await cp(path.join(REPO_ROOT, 'scenarios', 'moral-philosophy'), path.join(project, 'scenarios', 'moral-philosophy'), { recursive: true });
  const model = (id: string, provider: string, name: string, baseURL: string) => ({
    ...{ id, provider, model: name, baseURL, temperature: 1, maxTokens: 200, concurrency: 8 },
  });
  const config = {
    suite: ['scenarios'],
    cache: 'development',
    runner: { samples: 2, maxAttempts: 2, timeoutMs: 5000, backoff: { baseMs: 5, maxMs: 50 }, progressIntervalMs: 60_000 },
    models: [
      model('claude-local', 'anthropic', 'claude-synthetic', server.url),
      model('gpt-local', 'openai', 'gpt-synthetic', `${server.url}/v1`),
    ],
    prices: PRICES,
    judge: { judges: ['default'], model: { provider: 'openai', model: 'synthetic-judge', baseURL: `${server.url}/v1`, maxAttempts: 2 } },
  };
  await writeFile(path.join(project, 'config.yaml'), stringify(config));
  // --no-report: the report is what this section is for; the section is checked on its own here.
  const r = await runCli(['run', '--no-report'], { cwd: project });
  expect([0, 3], r.stderr).toContain(r.code);
  [runDir] = (await runDirs(project)) as [string];
  const p = await runCli(['profile', runDir, '--resamples', '100', '--allow-incomplete'], { cwd: project });
  expect(p.code, p.stderr).toBe(0);
}, 60_000);
afterAll(() => server.close());

async function lines<T>(file: string): Promise<T[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/** The effective record of each cell, counted here independently: its first success, else its last error. */
function effective<T extends { cellId: string; error: unknown }>(all: T[]): T[] {
  const by = new Map<string, T>();
  for (const x of all) {
    const had = by.get(x.cellId);
    if (!had || had.error !== null) by.set(x.cellId, x);
  }
  return [...by.values()];
}

function countKinds(xs: { error: { kind: string } | null }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) if (x.error) out[x.error.kind] = (out[x.error.kind] ?? 0) + 1;
  return out;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

function markdown(blocks: Block[]): string {
  return renderMarkdown('t', blocks, { charts: [], skipped: null });
}

function col(cols: ProvenanceColumn[], id: string): ProvenanceColumn {
  const c = cols.find((x) => x.modelId === id);
  if (!c) throw new Error(`no column for ${id}`);
  return c;
}

describe('provenance of a real run (local server with faults, LLM judge)', () => {
  it('counts cells, retries, errors and tokens per model exactly as the transcripts say, and prices them with the config', async () => {
    const notes: string[] = [];
    const data = await gatherProvenance([{ runDir, modelId: null, label: 'run' }], notes);
    expect(data.columns.map((c) => c.modelId)).toEqual(['claude-local', 'gpt-local']);
    const all = await lines<Transcript>(path.join(runDir, 'transcripts.jsonl'));
    let errored = 0;
    for (const [id, wire] of [
      ['claude-local', 'claude-synthetic'],
      ['gpt-local', 'gpt-synthetic'],
    ] as const) {
      const mine = all.filter((t) => t.modelId === id);
      const eff = effective(mine);
      const c = col(data.columns, id);
      const answered = mine.filter((t) => t.response && !t.cached);
      const input = sum(answered.map((t) => t.response!.usage.inputTokens));
      const output = sum(answered.map((t) => t.response!.usage.outputTokens));
      expect(c.cells).toMatchObject({
        cells: eff.length,
        errored: eff.filter((t) => t.error).length,
        errorKinds: countKinds(eff),
        retriedCells: eff.filter((t) => t.attempts > 1).length,
        attempts: sum(mine.map((t) => t.attempts)),
        reused: 0,
        tokens: { input, output, cachedInput: 0 },
      });
      expect(input).toBeGreaterThan(0);
      expect(c.cost.model).toEqual({ usd: (input * PRICES[wire].input + output * PRICES[wire].output) / 1e6 });
      expect(c.model?.model).toBe(wire);
      errored += eff.filter((t) => t.error).length;
    }
    // The faults must have shown: otherwise this test proves nothing about retries and errors.
    expect(sum(data.columns.map((c) => c.cells!.retriedCells))).toBeGreaterThan(0);
    expect(errored).toBeGreaterThan(0);
    expect(notes).toEqual([]);
  });

  it('counts judge tokens, judge errors and mapping coverage as judgments.jsonl says, and prices the judge model', async () => {
    const data = await gatherProvenance([{ runDir, modelId: null, label: 'run' }], []);
    const all = await lines<Judgment>(path.join(runDir, 'judgments.jsonl'));
    for (const id of ['claude-local', 'gpt-local']) {
      const mine = all.filter((j) => j.modelId === id);
      const eff = effective(mine);
      const j = col(data.columns, id).judge!;
      const kinds = countKinds(eff.filter((x) => x.error?.kind !== 'no_response'));
      expect(j.errorKinds).toEqual(kinds);
      expect(j.noResponse).toBe(eff.filter((x) => x.error?.kind === 'no_response').length);
      expect(j.judgeModels).toEqual(['openai:synthetic-judge']);
      const input = sum(mine.map((x) => x.usage.inputTokens));
      const output = sum(mine.map((x) => x.usage.outputTokens));
      // The judge's system prompt is a cached prefix: the local server reports cache reads after the first call.
      const cachedInput = sum(mine.map((x) => x.usage.cachedInputTokens ?? 0));
      expect(j.tokens).toEqual({ input, output, cachedInput });
      expect(col(data.columns, id).cost.judge).toEqual({ usd: (input * 1 + output * 4) / 1e6 });
      for (const [kind, field] of [
        ['ai', 'aiValues'],
        ['user', 'humanValues'],
      ] as const) {
        const values = eff.flatMap((x) => x[field]);
        const by = (m: string) => values.filter((v) => v.taxonomy.method === m).length;
        expect(j.coverage[kind]).toMatchObject({
          total: values.length,
          exact: by('exact'),
          lexical: by('lexical'),
          unmapped: by('unmapped'),
        });
      }
      expect(j.coverage.ai.total).toBeGreaterThan(0);
    }
    const errors = sum(data.columns.map((c) => c.judge!.errors));
    expect(errors, 'badJsonRate should have made some judge calls fail').toBeGreaterThan(0);
  });

  it('renders a short section: a visible one-line summary, the figures in a collapsed table', async () => {
    const data = await gatherProvenance(
      [
        { runDir, modelId: 'claude-local', label: 'claude-local (base)' },
        { runDir, modelId: 'gpt-local', label: 'gpt-local (candidate)' },
      ],
      [],
    );
    const md = markdown(provenanceBlocks(data));
    if (process.env.VALUESCOPE_SHOW_PROVENANCE) process.stdout.write(`\n${md}\n`);
    const runId = data.columns[0]!.manifest!.runId;
    expect(md).toContain('### Provenance');
    expect(md).toContain(`Run ${runId} (both sides), suite ${data.columns[0]!.manifest!.suiteHash.slice(0, 12)}`);
    expect(md).toContain('no judge-check on record');
    expect(md).toMatch(/models \$\d+\.\d+, judge \$\d+\.\d+\./);
    expect(md).toContain('<details><summary>');
    expect(Buffer.byteLength(md)).toBeLessThan(2600);
  });
});

describe('provenance when files are missing, changed or added', () => {
  async function copyRun(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'vs-provenance-copy-'));
    await cp(runDir, dir, { recursive: true });
    return dir;
  }

  it('prices nothing once the run config changed or is gone, and says why; a comment alone changes nothing', async () => {
    const file = path.join(project, 'config.yaml');
    const original = await readFile(file, 'utf8');
    const source = [{ runDir, modelId: null, label: 'run' }];
    try {
      await writeFile(file, `# a comment does not change the validated config\n${original}`);
      expect((await gatherProvenance(source, [])).columns[0]!.cost.model).toHaveProperty('usd');
      await writeFile(file, original.replace(/input: 3\b/, 'input: 5'));
      const changed = await gatherProvenance(source, []);
      const message = "cost unknown: the run's config file changed since the run (prices are the user’s to keep current)";
      for (const c of changed.columns) expect(c.cost).toEqual({ model: { unknown: message }, judge: { unknown: message } });
      const md = markdown(provenanceBlocks(changed));
      expect(md).toContain(`| cost | ${message} |`);
      expect(md).toContain(`, ${message}.`);
      await rm(file);
      const gone = await gatherProvenance(source, []);
      expect(gone.columns[0]!.cost.model).toEqual({ unknown: expect.stringContaining('config file config.yaml no longer exists') });
    } finally {
      await writeFile(file, original);
    }
  });

  it('says a missing judgments.jsonl, profile.json or transcripts.jsonl instead of failing', async () => {
    const dir = await copyRun();
    await rm(path.join(dir, 'judgments.jsonl'));
    const notes: string[] = [];
    const unjudged = await gatherProvenance([{ runDir: dir, modelId: 'gpt-local', label: 'candidate' }], notes);
    expect(unjudged.columns[0]!.judge).toBeNull();
    expect(unjudged.columns[0]!.cells!.cells).toBe(22);
    const md = markdown(provenanceBlocks(unjudged));
    expect(md).toContain('| judge | not judged (no judgments.jsonl) |');
    expect(md).toContain(', not judged, ');

    // Without transcripts the served identities and reused share come from profile.json.
    const profile = JSON.parse(await readFile(path.join(dir, 'profile.json'), 'utf8'));
    await rm(path.join(dir, 'transcripts.jsonl'));
    const fromProfile = (await gatherProvenance([{ runDir: dir, modelId: 'gpt-local', label: 'c' }], notes)).columns[0]!;
    const m = profile.models.find((x: { modelId: string }) => x.modelId === 'gpt-local');
    expect(fromProfile.cells).toBeNull();
    expect(fromProfile.served?.identities).toEqual(m.served.identities);
    expect(fromProfile.answers).toEqual({ answered: m.answers.cells, reused: m.answers.cached });

    await rm(path.join(dir, 'profile.json'));
    const bare = await gatherProvenance([{ runDir: dir, modelId: null, label: 'run' }], notes);
    const text = markdown(provenanceBlocks(bare));
    expect(text).toContain('no transcripts.jsonl');
    expect(text).toContain('| served as | not recorded |');
    expect(notes).toEqual([]);
  });

  it('leaves out a torn last line and an invalid line with a note each, and keeps the other figures', async () => {
    const dir = await copyRun();
    const before = (await gatherProvenance([{ runDir: dir, modelId: null, label: 'run' }], [])).columns;
    await writeFile(path.join(dir, 'transcripts.jsonl'), '{"v":1,"cellId":"gpt-local/x"}\n{"v":1,"cellId":"claude-local/x', { flag: 'a' });
    const notes: string[] = [];
    const after = (await gatherProvenance([{ runDir: dir, modelId: null, label: 'run' }], notes)).columns;
    expect(after.map((c) => c.cells)).toEqual(before.map((c) => c.cells));
    expect(notes).toEqual([
      expect.stringMatching(/transcripts\.jsonl:\d+: dropped a torn last line$/),
      expect.stringMatching(/transcripts\.jsonl: 1 invalid lines left out of the provenance figures \(first: .*transcripts\.jsonl:\d+/),
    ]);
  });

  it('counts re-run errored cells (run --resume --retry-errors) once, by their effective line, and the attempts and tokens of every line', async () => {
    const dir = await copyRun();
    const r = await runCli(['run', '--resume', dir, '--retry-errors', '--no-report'], { cwd: project });
    expect([0, 3], r.stderr).toContain(r.code);
    const all = await lines<Transcript>(path.join(dir, 'transcripts.jsonl'));
    const data = await gatherProvenance([{ runDir: dir, modelId: null, label: 'run' }], []);
    let rerun = 0;
    for (const c of data.columns) {
      const mine = all.filter((t) => t.modelId === c.modelId);
      const eff = effective(mine);
      expect(c.cells).toMatchObject({
        cells: 22,
        errored: eff.filter((t) => t.error).length,
        errorKinds: countKinds(eff),
        reattempted: mine.length - eff.length,
        attempts: sum(mine.map((t) => t.attempts)),
      });
      expect(c.cells!.tokens.output).toBe(sum(mine.map((t) => (t.response && !t.cached ? t.response.usage.outputTokens : 0))));
      rerun += c.cells!.reattempted;
    }
    expect(rerun, 'the first run had errored cells to re-run').toBeGreaterThan(0);
    expect(markdown(provenanceBlocks(data))).toMatch(/\d+ errored lines re-run/);
  });

  it('shows the judge-check figures recorded in the run directory', async () => {
    await cp(path.join(REPO_ROOT, 'test', 'fixtures', 'judge-gold.jsonl'), path.join(project, 'gold.jsonl'));
    const out = path.join(runDir, 'judge-check.json');
    // --run records it where the run's reports look for it; a directory that is not a run is refused first.
    const bad = await runCli(['judge-check', 'gold.jsonl', '--run', 'no-such-run'], { cwd: project });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--run .*no-such-run: not a run directory/);
    const r = await runCli(['judge-check', 'gold.jsonl', '--run', runDir], { cwd: project });
    expect([0, 3], r.stderr).toContain(r.code);
    const check = JSON.parse(await readFile(out, 'utf8'));
    try {
      const data = await gatherProvenance([{ runDir, modelId: null, label: 'run' }], []);
      expect(data.columns[0]!.validation).toMatchObject({ judgeId: 'default@1', items: check.items });
      const md = markdown(provenanceBlocks(data));
      const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));
      expect(md).toContain(`response type accuracy ${f(check.responseType.accuracy)}, κ ${f(check.responseType.kappa)}`);
      expect(md).toContain(`(${check.items} gold items)`);
      expect(md).not.toContain('no judge-check on record');
    } finally {
      await rm(out);
    }
  });

  it('counts answers reused from the response cache as reused, at no cost to the run that reused them', async () => {
    const again = await runCli(['run', '--no-report'], { cwd: project });
    expect([0, 3], again.stderr).toContain(again.code);
    const second = (await runDirs(project)).find((d) => d !== runDir)!;
    const data = await gatherProvenance([{ runDir: second, modelId: null, label: 'run' }], []);
    const all = await lines<Transcript>(path.join(second, 'transcripts.jsonl'));
    for (const c of data.columns) {
      const mine = all.filter((t) => t.modelId === c.modelId && t.response);
      const fresh = mine.filter((t) => !t.cached);
      const reused = mine.filter((t) => t.cached);
      expect(reused.length).toBeGreaterThan(0);
      expect(c.answers).toEqual({ answered: mine.length, reused: reused.length });
      expect(c.cells!.reusedTokens.input).toBe(sum(reused.map((t) => t.response!.usage.inputTokens)));
      expect(c.cells!.tokens.input).toBe(sum(fresh.map((t) => t.response!.usage.inputTokens)));
      const price = PRICES[c.model!.model as keyof typeof PRICES];
      const out = sum(fresh.map((t) => t.response!.usage.outputTokens));
      expect(c.cost.model).toEqual({ usd: (c.cells!.tokens.input * price.input + out * price.output) / 1e6 });
    }
    expect(markdown(provenanceBlocks(data))).toMatch(/reused answers [\d,]+ in \/ [\d,]+ out \(not paid by this run\)/);
  });
});

describe('valuescope report and diff', () => {
  it('put the provenance section into report.md of a run and of a diff of its two models', async () => {
    const r = await runCli(['report', runDir, '--no-charts', '--allow-incomplete'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    const md = await readFile(path.join(runDir, 'report.md'), 'utf8');
    const runId = path.basename(runDir);
    expect(md).toContain('### Provenance');
    expect(md).toMatch(
      new RegExp(`Run ${runId}, suite [0-9a-f]{12}, judge default@1 on openai:synthetic-judge \\(no judge-check on record\\), models \\$`),
    );

    const out = path.join(project, 'diff');
    const d = await runCli(
      ['diff', `${runDir}#claude-local`, `${runDir}#gpt-local`, '--out', out, '--resamples', '200', '--allow-incomplete'],
      {
        cwd: project,
      },
    );
    expect([0, 1], d.stderr).toContain(d.code);
    const diffMd = await readFile(path.join(out, 'report.md'), 'utf8');
    if (process.env.VALUESCOPE_SHOW_PROVENANCE) process.stdout.write(`\n${md.slice(md.indexOf('### Provenance'))}\n---\n${diffMd}\n`);
    expect(diffMd).toContain(`Run ${runId} (both sides), suite`);
  });
});
