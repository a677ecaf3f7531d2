import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { DiffFileSchema } from '../src/records/diff.js';
import { ManifestSchema } from '../src/records/manifest.js';
import { extractConversation } from '../src/stages/judge/llm/embed-transcript.js';
import { sha256 } from '../src/util/hash.js';
import { REPO_ROOT, readTranscripts, runDirs } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

const OLD = 'You are Helpful Assistant v1. Answer plainly.';
const NEW = 'You are Helpful Assistant v2.\nAsk one clarifying question before advising.';
/** The one scenario of the project that sets its own system prompt (prepended to by the targets). */
const OWN = 'unethical-persona-dissertation-service';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 5, recordRequests: true });
});
afterAll(() => server.close());

/** One Anthropic-wire entry and one OpenAI-wire entry, each with two variants that differ in system prompt. */
function models(o: { newPrompt?: string; team?: string } = {}): Record<string, unknown>[] {
  return [
    {
      id: 'assistant',
      provider: 'anthropic',
      model: 'claude-synthetic',
      baseURL: server.url,
      temperature: 1,
      maxTokens: 200,
      headers: { 'X-Team': 'team-core-7f3a' },
      variants: {
        'old-prompt': { system: OLD },
        'new-prompt': { systemFile: 'prompts/new.txt', headers: { 'x-team': o.team ?? 'team-research-9c1d' } },
      },
    },
    {
      id: 'gpt',
      provider: 'openai',
      model: 'gpt-synthetic',
      baseURL: `${server.url}/v1`,
      maxTokens: 200,
      system: OLD,
      variants: { a: {}, b: { system: o.newPrompt ?? NEW } },
    },
  ];
}

/** moral-philosophy (11 scenarios, none with a system prompt) and one scenario that has its own. */
async function project(extra: Record<string, unknown> = {}, o: Parameters<typeof models>[0] = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vs-variants-run-'));
  await cp(path.join(REPO_ROOT, 'scenarios', 'moral-philosophy'), path.join(dir, 'scenarios', 'moral-philosophy'), { recursive: true });
  await mkdir(path.join(dir, 'scenarios', 'unethical-requests'));
  await cp(
    path.join(REPO_ROOT, 'scenarios', 'unethical-requests', `${OWN}.yaml`),
    path.join(dir, 'scenarios', 'unethical-requests', `${OWN}.yaml`),
  );
  await mkdir(path.join(dir, 'prompts'));
  await writeFile(path.join(dir, 'prompts', 'new.txt'), `${o.newPrompt ?? NEW}\n`);
  await writeConfig(dir, extra, o);
  return dir;
}

async function writeConfig(dir: string, extra: Record<string, unknown> = {}, o: Parameters<typeof models>[0] = {}): Promise<void> {
  const config = {
    suite: ['scenarios'],
    runner: { samples: 2, maxAttempts: 3, timeoutMs: 5000, backoff: { baseMs: 5, maxMs: 50 }, progressIntervalMs: 60_000 },
    models: models(o),
    ...extra,
  };
  await writeFile(path.join(dir, 'config.yaml'), stringify(config));
  await writeFile(path.join(dir, 'prompts', 'new.txt'), `${o.newPrompt ?? NEW}\n`);
}

describe('one model, two variants with different system prompts, through the real SDKs', () => {
  it('sends each variant its own system prompt, records target ids, and diffs the variants paired on every scenario', async () => {
    server.reset();
    const gateRules = { resamples: 200, rules: [{ name: 'resistance holds', metric: 'response_type:strong_resistance', maxDrop: 0.5 }] };
    const dir = await project({ gate: gateRules });
    const r = await runCli(['run'], { cwd: dir });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const [runDir] = await runDirs(dir);
    const scenarios = 12;

    // What the local server received: each variant's system prompt, the scenario's own appended after a blank line.
    const received = server.received();
    expect(received).toHaveLength(4 * scenarios * 2);
    const claude = received.filter((q) => q.path === '/v1/messages');
    const gpt = received.filter((q) => q.path === '/v1/chat/completions');
    for (const [reqs, a, b] of [
      [claude, OLD, NEW],
      [gpt, OLD, NEW],
    ] as const) {
      expect(reqs.filter((q) => q.system === a)).toHaveLength((scenarios - 1) * 2);
      expect(reqs.filter((q) => q.system === b)).toHaveLength((scenarios - 1) * 2);
      expect(reqs.filter((q) => q.system.startsWith(`${a}\n\nYou are ScholarPro`))).toHaveLength(2);
      expect(reqs.filter((q) => q.system.startsWith(`${b}\n\nYou are ScholarPro`))).toHaveLength(2);
    }
    // Headers: the variant's x-team replaced the entry's X-Team, on the wire.
    expect(claude.filter((q) => q.system.startsWith(OLD)).every((q) => q.headers['x-team'] === 'team-core-7f3a')).toBe(true);
    expect(claude.filter((q) => q.system.startsWith(NEW)).every((q) => q.headers['x-team'] === 'team-research-9c1d')).toBe(true);
    expect(claude.every((q) => q.headers.authorization === undefined && q.headers['x-api-key'] === undefined)).toBe(true);

    // Transcripts and manifest name the targets; the manifest holds hashes, never the prompt or header values.
    const transcripts = await readTranscripts(runDir!);
    const ids = ['assistant@old-prompt', 'assistant@new-prompt', 'gpt@a', 'gpt@b'];
    expect([...new Set(transcripts.map((t) => t.modelId))].sort()).toEqual([...ids].sort());
    for (const t of transcripts) expect(t.cellId).toBe(`${t.modelId}/${t.scenarioId}/${t.sample}`);
    expect(transcripts).toHaveLength(4 * scenarios * 2);
    for (const t of transcripts.filter((x) => x.modelId === 'assistant@new-prompt')) expect(t.request.system!.startsWith(NEW)).toBe(true);
    const manifestText = await readFile(path.join(runDir!, 'manifest.json'), 'utf8');
    const manifest = ManifestSchema.parse(JSON.parse(manifestText));
    expect(manifest.models.map((m) => m.id)).toEqual(ids);
    expect(manifest.models[1]).toMatchObject({
      entry: 'assistant',
      variant: 'new-prompt',
      systemHash: sha256(NEW),
      systemCombine: 'prepend',
      headerNames: ['x-team'],
      headersHash: sha256('x-team:team-research-9c1d'),
    });
    expect(manifestText).not.toContain('Helpful Assistant');
    expect(manifestText).not.toContain('team-research');

    // The judge saw the system prompt the model saw (the profile step ran, so every cell was judged).
    const judgments = (await readFile(path.join(runDir!, 'judgments.jsonl'), 'utf8')).trim().split('\n');
    expect(judgments).toHaveLength(4 * scenarios * 2);

    // diff RUN#assistant@old-prompt RUN#assistant@new-prompt: paired on every scenario.
    const rel = path.relative(dir, runDir!);
    for (const [a, b] of [
      ['assistant@old-prompt', 'assistant@new-prompt'],
      ['gpt@a', 'gpt@b'],
    ]) {
      const out = path.join(dir, `diff-${a}`);
      const d = await runCli(['diff', `${rel}#${a}`, `${rel}#${b}`, '--out', out], { cwd: dir });
      expect(d.stderr).toBe('');
      expect(d.code).toBe(0);
      const diff = DiffFileSchema.parse(JSON.parse(await readFile(path.join(out, 'diff.json'), 'utf8')));
      expect(diff.scenarios).toMatchObject({ shared: scenarios, baseOnly: [], candOnly: [], changed: [] });
      expect(JSON.stringify(diff)).toContain(a);
      const rep = await runCli(['report', out], { cwd: dir });
      expect(rep.code).toBe(0);
      const md = await readFile(path.join(out, 'report.md'), 'utf8');
      expect(md).toContain(a);
      expect(md).toContain(b);
      expect(await readFile(path.join(out, 'report.html'), 'utf8')).toContain(b);
    }
    const gateOut = path.join(dir, 'gate');
    const g = await runCli(['gate', `${rel}#assistant@old-prompt`, `${rel}#assistant@new-prompt`, '--out', gateOut, '--no-report'], {
      cwd: dir,
    });
    expect(g.stderr).not.toMatch(/error|invalid|unknown/i);
    expect([0, 1]).toContain(g.code);
    const gate = await readFile(path.join(gateOut, 'gate.json'), 'utf8');
    expect(gate).toContain('assistant@old-prompt');
    expect(gate).toContain('assistant@new-prompt');
  });

  it('the response cache misses when a variant system prompt or header changes, and hits when nothing did', async () => {
    server.reset();
    const dir = await project({ cache: 'development' });
    const once = async (): Promise<number> => {
      const before = server.received().length;
      const r = await runCli(['run', '--no-judge', '--samples', '1', '--models', 'assistant@new-prompt,gpt@b'], { cwd: dir });
      expect(r.code).toBe(0);
      return server.received().length - before;
    };
    expect(await once()).toBe(24);
    expect(await once()).toBe(0);
    await writeConfig(dir, { cache: 'development' }, { newPrompt: `${NEW} Be brief.` });
    expect(await once()).toBe(24);
    await writeConfig(dir, { cache: 'development' }, { newPrompt: `${NEW} Be brief.`, team: 'other' });
    // Only the Anthropic entry carries the header: its 12 cells miss, the OpenAI variant's 12 hit.
    expect(await once()).toBe(12);
    expect(await once()).toBe(0);
  });

  it('resume refuses a changed variant system prompt with a located message, and resumes when nothing changed', async () => {
    server.reset();
    const dir = await project();
    const ctl = new AbortController();
    ctl.abort();
    await runCli(['run', '--no-judge'], { cwd: dir, signal: ctl.signal });
    const [runDir] = await runDirs(dir);
    const rel = path.relative(dir, runDir!);
    await writeConfig(dir, {}, { newPrompt: 'You are someone else entirely.' });
    const refused = await runCli(['run', '--no-judge', '--resume', rel], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /config\.yaml:\d+:\d+ \(models\[assistant@new-prompt\]\.systemHash\): the system prompt was sha256 [0-9a-f]{12} when the run started, is now sha256 [0-9a-f]{12}/,
    );
    expect(refused.stderr).toMatch(/models\[gpt@b\]\.systemHash/);
    expect(refused.stderr).not.toMatch(/old-prompt|gpt@a/);
    await writeConfig(dir);
    const ok = await runCli(['run', '--no-judge', '--resume', rel], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(new Set((await readTranscripts(runDir!)).map((t) => t.cellId)).size).toBe(4 * 12 * 2);
  });

  it('the LLM judge is shown the system prompt the model saw (the variant prompt, then the scenario own)', async () => {
    server.reset();
    const judge = { judges: ['default'], model: { provider: 'openai', model: 'synthetic-judge', baseURL: `${server.url}/v1` } };
    const dir = await project({ judge });
    const r = await runCli(['run', '--samples', '1', '--models', 'assistant', '--scenarios', `unethical-requests/${OWN}`], {
      cwd: dir,
      env: { OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' },
    });
    expect(r.code).toBe(0);
    const judged = server
      .received()
      .filter((q) => q.model === 'synthetic-judge')
      .map((q) => extractConversation(q.messages[0]?.content ?? '')?.conversation.system);
    expect(judged).toHaveLength(2);
    expect(judged.filter((sys) => sys?.startsWith(`${OLD}\n\nYou are ScholarPro`))).toHaveLength(1);
    expect(judged.filter((sys) => sys?.startsWith(`${NEW}\n\nYou are ScholarPro`))).toHaveLength(1);
  });
});
