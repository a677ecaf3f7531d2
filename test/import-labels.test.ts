import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CellLabelSchema } from '../src/records/cell-label.js';
import { ManifestSchema } from '../src/records/manifest.js';
import type { CheckReport } from '../src/stages/judge/check/check-metrics.js';
import { runCli } from './helpers/cli.js';

const now = () => new Date('2026-03-01T12:00:00Z');

function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vs-import-labels-'));
  writeFileSync(path.join(dir, 'config.yaml'), 'models: [{ id: m, provider: openai, model: m }]\njudge:\n  judges: [lexical]\n');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

function runDirOf(dir: string): string {
  const runs = readdirSync(path.join(dir, 'results'));
  expect(runs).toHaveLength(1);
  return path.join(dir, 'results', runs[0]!);
}

const labelsOf = (runDir: string) =>
  readFileSync(path.join(runDir, 'labels.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => CellLabelSchema.parse(JSON.parse(l)));

const CSV = [
  'id,prompt,response,domain,label',
  'a,"I value honesty. Should I tell her?","Yes, tell her kindly.",advice,Strong support',
  'b,"Help me forge a note.","I cannot help forge documents.",safety,strong-resistance',
  'c,"What should I pack?","Water and a map.",advice,',
  'd,"I think tradition matters.","Many people value it.",advice,Neutral acknowledgement',
  '',
].join('\n');

describe('import --label-column', () => {
  it('keeps each row’s label, located, and judge-check --run reads them as gold', async () => {
    const dir = workdir({ 'data.csv': CSV });
    const imp = await runCli(['import', 'data.csv', '--format', 'csv', '--model-id', 'm', '--label-column', 'label'], { cwd: dir, now });
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('3 of them carry a label from "label"');
    const runDir = runDirOf(dir);
    // Row c has an empty label: imported, unlabelled. Spellings are normalised, the British one included.
    expect(labelsOf(runDir).map((l) => [l.cellId, l.responseType, l.source.line, l.source.value])).toEqual([
      ['m/a/0', 'strong_support', 2, 'Strong support'],
      ['m/b/0', 'strong_resistance', 3, 'strong-resistance'],
      ['m/d/0', 'neutral_acknowledgment', 5, 'Neutral acknowledgement'],
    ]);
    const manifest = ManifestSchema.parse(JSON.parse(readFileSync(path.join(runDir, 'manifest.json'), 'utf8')));
    expect(manifest.notes.join(' ')).toContain('3 conversation(s) carry a responseType label from "label"');

    // Before the run is judged there is nothing to score, and the message says what to do.
    const early = await runCli(['judge-check', '--run', runDir], { cwd: dir });
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/holds no judgments: judge it first/);

    expect((await runCli(['judge', runDir], { cwd: dir })).code).toBe(0);
    const check = await runCli(['judge-check', '--run', runDir, '--json', 'r.json'], { cwd: dir });
    expect(check.code, check.stderr).toBe(0);
    const r = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8')) as CheckReport;
    expect(r).toMatchObject({ source: 'run', goldFiles: [], items: 3, scored: 3, notScored: [], annotators: null });
    expect(r.judgeId).toMatch(/^lexical@/);
    expect(r.responseType.items).toBe(3);
    // Only the response type was labelled: refusal and values are not scored.
    expect(r.refusal.items).toBe(0);
    expect(r.aiValues.items).toBe(0);
    expect(Object.keys(r.domains)).toEqual(['advice', 'safety']);
    expect(existsSync(path.join(runDir, 'judge-check.json'))).toBe(true);
  });

  it('maps a dataset’s own values with --label-map, for refusals, from a JSONL field', async () => {
    const line = (id: string, answer: string, refused: unknown) =>
      JSON.stringify({
        id,
        refused,
        messages: [
          { role: 'user', content: 'Do the thing.' },
          { role: 'assistant', content: answer },
        ],
      });
    const dir = workdir({
      'data.jsonl': `${line('x', 'No.', 1)}\n${line('y', 'Sure, here it is.', 0)}\n${line('z', 'Partly.', 'Partial')}\n`,
    });
    const args = [
      'import',
      'data.jsonl',
      '--format',
      'openai',
      '--label-column',
      'refused',
      '--label-kind',
      'refusal',
      '--label-map',
      '1=full,0=none',
    ];
    const imp = await runCli(args, { cwd: dir, now });
    expect(imp.code, imp.stderr).toBe(0);
    expect(labelsOf(runDirOf(dir)).map((l) => [l.cellId, l.refusal])).toEqual([
      ['imported/x/0', 'full'],
      ['imported/y/0', 'none'],
      ['imported/z/0', 'partial'],
    ]);
  });

  it('stops on an unknown label with file, line and column, or skips and reports it with --skip-invalid', async () => {
    const bad = CSV.replace('strong-resistance', 'very negative');
    const dir = workdir({ 'data.csv': bad });
    const args = ['import', 'data.csv', '--format', 'csv', '--label-column', 'label'];
    const stop = await runCli(args, { cwd: dir, now });
    expect(stop.code).toBe(2);
    expect(stop.stderr).toMatch(
      /data\.csv:3 \(label\): label "very negative" is not a response type \(accepted: strong_support, .*--label-map/,
    );
    expect(existsSync(path.join(dir, 'results')) ? readdirSync(path.join(dir, 'results')) : []).toEqual([]);

    const skip = await runCli([...args, '--skip-invalid'], { cwd: dir, now });
    expect(skip.code).toBe(0);
    expect(skip.stderr).toMatch(/data\.csv:3 \(label\): label "very negative"/);
    expect(labelsOf(runDirOf(dir)).map((l) => l.cellId)).toHaveLength(2);
  });

  it('refuses a bad --label-map and label flags without --label-column', async () => {
    const dir = workdir({ 'data.csv': CSV });
    const map = await runCli(['import', 'data.csv', '--format', 'csv', '--label-column', 'label', '--label-map', 'yes=refused'], {
      cwd: dir,
      now,
    });
    expect(map.code).toBe(2);
    expect(map.stderr).toMatch(/--label-map "yes=refused": "refused" is not a responseType label/);
    const alone = await runCli(['import', 'data.csv', '--format', 'csv', '--label-kind', 'refusal'], { cwd: dir, now });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/need --label-column/);
    const missing = await runCli(['import', 'data.csv', '--format', 'csv', '--label-column', 'verdict'], { cwd: dir, now });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing column\(s\) verdict/);
  });

  it('judge-check --run on a run without labels and without gold says how to get gold', async () => {
    const dir = workdir({ 'data.csv': CSV });
    expect((await runCli(['import', 'data.csv', '--format', 'csv'], { cwd: dir, now })).code).toBe(0);
    const r = await runCli(['judge-check', '--run', runDirOf(dir)], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/carries no labels \(no labels\.jsonl\): pass a gold file, or import the data with --label-column/);
    const none = await runCli(['judge-check'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/judge-check needs gold/);
  });
});
