import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestSchema } from '../src/records/manifest.js';
import { type Transcript, TranscriptSchema } from '../src/records/transcript.js';
import { runCli } from './helpers/cli.js';

const now = () => new Date('2026-03-01T12:00:00Z');

function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vs-import-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

function readRun(dir: string): { manifest: ReturnType<typeof ManifestSchema.parse>; transcripts: Transcript[]; runDir: string } {
  const runs = readdirSync(path.join(dir, 'results'));
  expect(runs).toHaveLength(1);
  const runDir = path.join(dir, 'results', runs[0]!);
  const manifest = ManifestSchema.parse(JSON.parse(readFileSync(path.join(runDir, 'manifest.json'), 'utf8')));
  const transcripts = readFileSync(path.join(runDir, 'transcripts.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => TranscriptSchema.parse(JSON.parse(l)));
  return { manifest, transcripts, runDir };
}

const openaiLines = [
  {
    messages: [
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'Should I tell my friend the truth?' },
      { role: 'assistant', content: 'Honesty matters here.' },
    ],
    domain: 'relationships',
  },
  {
    id: 'conv-7',
    model: 'gpt-x',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi' },
          { type: 'image_url', image_url: { url: 'x' } },
        ],
      },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'Help me cheat.' },
      { role: 'assistant', content: [{ type: 'text', text: "I can't help with that." }] },
    ],
  },
  {
    messages: [
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'Should I tell my friend the truth?' },
      { role: 'assistant', content: 'Yes, tell them.' },
    ],
  },
];

describe('valuescope import', () => {
  it("keeps a record's model id with @ (a target entry@variant), as --model-id does", async () => {
    const line = {
      model: 'assistant@new prompt',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
      ],
    };
    const dir = workdir({ 'chats.jsonl': JSON.stringify(line) });
    const r = await runCli(['import', 'chats.jsonl', '--format', 'openai'], { cwd: dir, now });
    expect(r.code, r.stderr).toBe(0);
    expect(readRun(dir).manifest.models.map((m) => m.id)).toEqual(['assistant@new-prompt']);
  });

  it('imports OpenAI-shaped JSONL: system, content parts, multi-turn, ids, repeated prompts as samples', async () => {
    const dir = workdir({ 'chats.jsonl': openaiLines.map((l) => JSON.stringify(l)).join('\n') });
    const r = await runCli(['import', 'chats.jsonl', '--format', 'openai', '--model-id', 'prod-bot'], { cwd: dir, now });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Imported 3 conversation\(s\) for prod-bot into results\//);
    const { manifest, transcripts } = readRun(dir);
    expect(manifest).toMatchObject({
      status: 'imported',
      samples: 2,
      counts: { planned: 3, done: 3, errored: 0 },
      models: [{ id: 'prod-bot', provider: 'imported' }],
    });
    expect(manifest.notes[0]).toMatch(/imported from .*chats\.jsonl \(format openai\); 3 conversations/);
    expect(manifest.suiteHash).toMatch(/^[0-9a-f]{64}$/);
    const [a, b, c] = transcripts;
    expect(a).toMatchObject({
      modelId: 'prod-bot',
      domain: 'relationships',
      sample: 0,
      request: { system: 'Be kind.', messages: [{ role: 'user', content: 'Should I tell my friend the truth?' }] },
      response: { text: 'Honesty matters here.' },
    });
    expect(a!.scenarioId).toMatch(/^imp-[0-9a-f]{12}$/);
    expect(b).toMatchObject({
      scenarioId: 'conv-7',
      cellId: 'prod-bot/conv-7/0',
      domain: 'imported',
      model: 'gpt-x',
      response: { text: "I can't help with that." },
    });
    expect(b!.request.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'Help me cheat.' },
    ]);
    expect(c).toMatchObject({ scenarioId: a!.scenarioId, sample: 1, cellId: `prod-bot/${a!.scenarioId}/1` });
    expect(Object.keys(manifest.scenarios).sort()).toEqual([a!.scenarioId, 'conv-7'].sort());
  });

  it('imports Anthropic-shaped JSONL with system blocks and the model from each record', async () => {
    const line = {
      system: [{ type: 'text', text: 'You are careful.' }],
      model: 'claude-x',
      messages: [
        { role: 'user', content: 'I value privacy. Should I post this?' },
        { role: 'assistant', content: [{ type: 'text', text: 'Maybe keep it private.' }] },
      ],
    };
    const dir = workdir({ 'a.jsonl': `${JSON.stringify(line)}\n` });
    const r = await runCli(['import', 'a.jsonl', '--format', 'anthropic', '--domain', 'privacy'], { cwd: dir, now });
    expect(r.code).toBe(0);
    const { transcripts, manifest } = readRun(dir);
    expect(transcripts[0]).toMatchObject({
      modelId: 'claude-x',
      domain: 'privacy',
      request: { system: 'You are careful.' },
      response: { text: 'Maybe keep it private.' },
    });
    expect(manifest.models.map((m) => m.id)).toEqual(['claude-x']);
  });

  it('imports CSV with configurable columns, a quoted multi-line cell and user values', async () => {
    const csv =
      'q,a,conv,domain,user_values\n"Line one\nline two",Fine answer,c1,work,honesty;autonomy\nSecond prompt,Second answer,c2,,\n';
    const dir = workdir({ 'log.csv': csv });
    const r = await runCli(
      ['import', 'log.csv', '--format', 'csv', '--prompt-column', 'q', '--response-column', 'a', '--id-column', 'conv', '--model-id', 'm1'],
      { cwd: dir, now },
    );
    expect(r.stderr).toBe('');
    const { transcripts } = readRun(dir);
    expect(transcripts.map((t) => [t.scenarioId, t.domain, t.userValues, t.request.messages[0]!.content, t.tags])).toEqual([
      ['c1', 'work', ['honesty', 'autonomy'], 'Line one\nline two', ['imported', 'line:2']],
      ['c2', 'imported', [], 'Second prompt', ['imported', 'line:4']],
    ]);
  });

  it.each([
    [
      'openai',
      '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"ok"}]}\n{"messages":[{"role":"user","content":"hi"}]}\n',
      /bad\.jsonl:2 \(messages\): the last message must be the assistant's response/,
    ],
    [
      'openai',
      '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"ok"}]}\n\n{"messages": [ {"role":"robot","content":"x"}]}\n',
      /bad\.jsonl:3 \(messages\.0\.role\)/,
    ],
    [
      'anthropic',
      '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"ok"}]}\nnot json\n',
      /bad\.jsonl:2 \(\(line\)\): not valid JSON/,
    ],
    ['csv', 'prompt,response\nhi,\n', /bad\.jsonl:2 \(response\): the assistant response is empty/],
  ])('stops at a malformed %s record with FILE:line and the field, exit 2, and leaves no run behind', async (format, text, message) => {
    const dir = workdir({ 'bad.jsonl': text });
    const r = await runCli(['import', 'bad.jsonl', '--format', format], { cwd: dir, now });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/--skip-invalid/);
    expect(readdirSync(path.join(dir, 'results'))).toEqual([]);
  });

  it('with --skip-invalid skips malformed records and reports their count and lines', async () => {
    const good = JSON.stringify(openaiLines[0]);
    const dir = workdir({ 'mixed.jsonl': `${[good, '{"messages":[]}', good, '{oops', good].join('\n')}\n` });
    const r = await runCli(['import', 'mixed.jsonl', '--format', 'openai', '--skip-invalid'], { cwd: dir, now });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/skipped 2 invalid record\(s\) \(lines 2, 4\)/);
    expect(r.stderr).toMatch(/mixed\.jsonl:2 \(messages\): messages is empty/);
    const { manifest, transcripts } = readRun(dir);
    expect(transcripts).toHaveLength(3);
    expect(manifest.notes.join('\n')).toMatch(/skipped 2 invalid record\(s\) at line\(s\) 2, 4/);
  });

  it('skips a ragged CSV row only when asked', async () => {
    const csv = 'prompt,response\na,b\nc,d,e\nf,g\n';
    const dir = workdir({ 'r.csv': csv });
    const strict = await runCli(['import', 'r.csv', '--format', 'csv'], { cwd: dir, now });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/r\.csv:3/);
    const lenient = await runCli(['import', 'r.csv', '--format', 'csv', '--skip-invalid'], { cwd: dir, now });
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(/skipped 1 invalid record\(s\) \(lines 3\)/);
    expect(readRun(dir).transcripts.map((t) => t.response?.text)).toEqual(['b', 'g']);
  });

  it('names missing CSV columns and how to set them', async () => {
    const dir = workdir({ 'x.csv': 'question,answer\na,b\n' });
    const r = await runCli(['import', 'x.csv', '--format', 'csv'], { cwd: dir, now });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing column\(s\) prompt, response; found question, answer; name them with --prompt-column/);
  });

  it('rejects a missing file, an unknown format and a model id with a slash', async () => {
    const dir = workdir({ 'a.jsonl': '' });
    expect((await runCli(['import', 'nope.jsonl', '--format', 'openai'], { cwd: dir, now })).stderr).toMatch(
      /nope\.jsonl: cannot read the import file/,
    );
    expect((await runCli(['import', 'a.jsonl', '--format', 'xml'], { cwd: dir, now })).code).toBe(2);
    expect((await runCli(['import', 'a.jsonl', '--format', 'openai', '--model-id', 'a/b'], { cwd: dir, now })).stderr).toMatch(/no "\/"/);
    expect((await runCli(['import', 'a.jsonl', '--format', 'openai'], { cwd: dir, now })).stderr).toMatch(/no valid conversations/);
  });
});
