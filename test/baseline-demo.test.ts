import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaselineFileSchema } from '../src/records/baseline.js';
import { DiffFileSchema, GateResultSchema } from '../src/records/diff.js';
import { runCli } from './helpers/cli.js';

/**
 * Issue 16, part 2 ("Baselines in git"), on the demo's runs: the whole suite at 3 samples, two
 * targets. A baseline of one target stands in for its run side in diff and gate with identical
 * numbers and verdicts; the file is small, stable and holds no transcript text.
 */
let dir: string;
let run: string;
const config = 'd/config.yaml';
const cli = (argv: string[]) => runCli(argv, { cwd: dir, env: {}, now: () => new Date('2026-03-04T05:06:07Z') });
const read = (f: string) => fsp.readFile(path.join(dir, f), 'utf8');

/** gate.json / diff.json without what describes the input (spec, runDir, baseline) and the time it was written. */
async function comparable(file: string): Promise<unknown> {
  const j = JSON.parse(await read(file));
  delete j.generatedAt;
  for (const side of [j.base, j.cand]) {
    delete side.spec;
    delete side.runDir;
    delete side.baseline;
  }
  return j;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-baseline-demo-'));
  const demo = await runCli(['demo', '--samples', '3', '--out', path.join(dir, 'd')], { cwd: dir });
  expect(demo.code, demo.stderr).toBe(0);
  const runs = await fsp.readdir(path.join(dir, 'd', 'runs'));
  run = path.join('d', 'runs', runs[0]!);
  for (const target of ['assistant-v1', 'assistant-v2']) {
    const r = await cli(['baseline', 'save', `${run}#${target}`, '--out', `baselines/${target}.json`, '--config', config]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('baseline save on the demo run (full suite, 3 samples)', () => {
  it('writes a small canonical file with sorted keys, no save time, the same bytes when saved again', async () => {
    const text = await read('baselines/assistant-v1.json');
    const bytes = Buffer.byteLength(text);
    expect(bytes).toBeLessThan(1024 * 1024);
    // Measured: about 300 KB for 228 scenarios x 3 samples (docs/baselines.md).
    expect(bytes).toBeLessThan(512 * 1024);
    const b = BaselineFileSchema.parse(JSON.parse(text));
    expect(Object.keys(b.table.scenarios)).toHaveLength(228);
    expect(b.manifest.samples).toBe(3);
    expect(b.manifest.models.map((m) => m.id)).toEqual(['assistant-v1']);
    expect(text.endsWith('}\n')).toBe(true);
    // Exactly standard two-space JSON of the same object with keys sorted at every level: one key per line.
    const sortDeep = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sortDeep)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
            )
          : v;
    expect(text).toBe(`${JSON.stringify(sortDeep(JSON.parse(text)), null, 2)}\n`);
    const keys = [...text.matchAll(/^ {2}"([^"]+)":/gm)].map((m) => m[1]);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toEqual(['completeness', 'kind', 'manifest', 'saved', 'table', 'v', 'watchlist']);
    const again = await cli(['baseline', 'save', `${run}#assistant-v1`, '--out', 'again/v1.json', '--config', config]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /^wrote again\/v1\.json \([\d,]+ bytes\): baseline of assistant-v1 from run \S+, 228 scenarios, 684 cells/,
    );
    expect(await read('again/v1.json')).toBe(text);
  });

  it('holds no transcript or prompt text, no judge rationale, no spend and no machine path', async () => {
    const text = await read('baselines/assistant-v1.json');
    const lines = (await read(path.join(run, 'transcripts.jsonl'))).trim().split('\n');
    let scanned = 0;
    for (const line of lines) {
      const t = JSON.parse(line);
      const texts = [t.response?.text, t.request.system, ...t.request.messages.map((m: { content: string }) => m.content)];
      for (const s of texts.filter((x): x is string => typeof x === 'string' && x.trim().length >= 12)) {
        expect(text.includes(s), `${t.cellId}: ${s.slice(0, 60)}`).toBe(false);
        // A fragment too: no truncated copy of any text either.
        expect(text.includes(s.trim().slice(0, 40))).toBe(false);
        scanned++;
      }
    }
    expect(scanned).toBeGreaterThan(2 * 684);
    for (const line of (await read(path.join(run, 'judgments.jsonl'))).trim().split('\n').slice(0, 200)) {
      const j = JSON.parse(line);
      for (const s of [j.rationale, j.raw].filter((x): x is string => typeof x === 'string' && x.length >= 12))
        expect(text.includes(s)).toBe(false);
    }
    expect(text).not.toContain(dir);
    expect(text).not.toMatch(/"(spend|configFile|suitePaths|generatedAt|savedAt)"/);
    expect(text).not.toContain(path.join('d', 'runs'));
  });

  it('gate and diff give the same result with a baseline as either side as with the run', async () => {
    const v1 = `${run}#assistant-v1`;
    const v2 = `${run}#assistant-v2`;
    const cases = [
      ['runs', v1, v2],
      ['base', 'baselines/assistant-v1.json', v2],
      ['cand', v1, 'baselines/assistant-v2.json#assistant-v2'],
      ['both', 'baselines/assistant-v1.json', 'baselines/assistant-v2.json'],
    ] as const;
    const codes: number[] = [];
    for (const [name, base, cand] of cases) {
      const g = await cli(['gate', base, cand, '--config', config, '--out', `g-${name}`, '--no-report']);
      const d = await cli(['diff', base, cand, '--config', config, '--out', `d-${name}`, '--no-report']);
      expect(d.code, d.stderr).toBe(0);
      codes.push(g.code);
    }
    // The demo's candidate regressed: the gate fails (exit 1) every way it is given.
    expect(codes).toEqual([1, 1, 1, 1]);
    const gate = GateResultSchema.parse(JSON.parse(await read('g-runs/gate.json')));
    expect(gate.verdict).toBe('fail');
    expect(gate.rules.some((r) => r.kind === 'metric' && r.status === 'fail')).toBe(true);
    for (const [name] of cases.slice(1)) {
      expect(await comparable(`g-${name}/gate.json`)).toEqual(await comparable('g-runs/gate.json'));
      expect(await comparable(`d-${name}/diff.json`)).toEqual(await comparable('d-runs/diff.json'));
    }
    const withBase = GateResultSchema.parse(JSON.parse(await read('g-base/gate.json')));
    expect(withBase.base.baseline).toBe('baselines/assistant-v1.json');
    expect(withBase.base.runDir).toBe(path.join(dir, 'baselines/assistant-v1.json'));
    expect(withBase.cand.baseline).toBeUndefined();
    const both = DiffFileSchema.parse(JSON.parse(await read('d-both/diff.json')));
    expect([both.base.baseline, both.cand.baseline]).toEqual(['baselines/assistant-v1.json', 'baselines/assistant-v2.json']);
    expect(both.base.runId).toBe(gate.base.runId);
  }, 120_000);

  it('renders a report for a baseline side: counts and verdicts, a note instead of its charts and transcripts', async () => {
    const g = await cli(['gate', 'baselines/assistant-v1.json', `${run}#assistant-v2`, '--config', config, '--out', 'rep']);
    expect(g.code, g.stderr).toBe(1);
    const d = await cli(['diff', 'baselines/assistant-v1.json', `${run}#assistant-v2`, '--config', config, '--out', 'rep']);
    expect(d.code, d.stderr).toBe(0);
    const md = await read('rep/report.md');
    expect(md).toMatch(/^## valuescope diff — assistant-v1 → assistant-v2\n\n> \[!WARNING\]\n> \*\*SYNTHETIC:\*\*/);
    expect(md).toContain('**Gate FAILED**');
    expect(md).toContain(
      'baseline file baselines/assistant-v1.json (assistant-v1): counts only; its profile charts and example transcripts are not available',
    );
    const html = await read('rep/report.html');
    expect(html).toContain('baseline file baselines/assistant-v1.json');
    expect(html).toMatch(/<\/html>\s*$/);
  }, 60_000);

  it('baseline show prints what the file holds', async () => {
    const r = await cli(['baseline', 'show', 'baselines/assistant-v2.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^baselines\/assistant-v2\.json: baseline of assistant-v2 \(format v1, saved by valuescope /);
    expect(r.stdout).toMatch(/ {2}model {5}anthropic synthetic-lenient/);
    expect(r.stdout).toMatch(/ {2}suite {5}[0-9a-f]{12}: 228 scenarios held \(228 in the run\), 3 samples each/);
    expect(r.stdout).toMatch(/ {2}cells {5}684: /);
    expect(r.stdout).toMatch(/ {2}served {4}synthetic-lenient/);
    expect(r.stdout).toMatch(/ {2}complete {2}every planned cell/);
  });

  it('refuses a run with several targets and no #TARGET, listing them, and writes nothing', async () => {
    const r = await cli(['baseline', 'save', run, '--out', 'none/x.json', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds 2 targets; a baseline holds one: name it as \S+#assistant-v1 or \S+#assistant-v2/);
    await expect(fsp.stat(path.join(dir, 'none'))).rejects.toThrow();
  });

  it('refuses judge-corrected estimates on a baseline side: it holds counts only', async () => {
    await fsp.writeFile(path.join(dir, 'labels.jsonl'), '');
    const r = await cli([
      'diff',
      'baselines/assistant-v1.json',
      `${run}#assistant-v2`,
      '--config',
      config,
      '--out',
      'lab',
      '--labels',
      'labels.jsonl',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /assistant-v1\.json is a baseline file: baselines hold counts only, .*pass the run directory it was saved from \(run \S+\)/,
    );
    await expect(fsp.stat(path.join(dir, 'lab', 'diff.json'))).rejects.toThrow();
  });
});
