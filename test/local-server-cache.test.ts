import type { MessageCreateParamsNonStreaming, Tool } from '@anthropic-ai/sdk/resources/messages/messages';
import { toFile } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { anthropicClientOf, localServersPerTest, openaiClientOf } from './helpers/local-servers.js';

const start = localServersPerTest();
const anthropic = anthropicClientOf;
const openai = openaiClientOf;

/** 5,000 characters: 1,250 tokens by the server's chars / 4 rule, over the 1,024-token minimum. */
const LONG = 'Judge the values the assistant expresses. '.repeat(120).slice(0, 5000);
const PREFIX = 1250;

const ask = (
  question: string,
  system: NonNullable<MessageCreateParamsNonStreaming['system']>,
  model = 'claude-cache',
): MessageCreateParamsNonStreaming => ({
  model,
  max_tokens: 300,
  system,
  messages: [{ role: 'user', content: question }],
});
const cachedSystem = (text = LONG) => [{ type: 'text' as const, text, cache_control: { type: 'ephemeral' as const } }];

describe('Anthropic prompt caching', () => {
  it('writes the prefix at a system breakpoint, reads it within the TTL, and a read refreshes it', async () => {
    let now = 1_000_000;
    const s = await start({ now: () => now });
    const client = anthropic(s);
    const plain = await client.messages.create(ask('Is it fair to skip the meeting?', LONG));
    const total = plain.usage.input_tokens;
    expect(plain.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });

    const write = await client.messages.create(ask('Is it fair to skip the meeting?', cachedSystem()));
    expect(write.usage).toMatchObject({ input_tokens: total - PREFIX, cache_creation_input_tokens: PREFIX, cache_read_input_tokens: 0 });
    expect(write.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: PREFIX, ephemeral_1h_input_tokens: 0 });
    expect(write.content).toEqual(plain.content);

    const read = await client.messages.create(ask('Should I lend money again?', cachedSystem()));
    expect(read.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: PREFIX });
    now += 299_000;
    expect((await client.messages.create(ask('q', cachedSystem()))).usage.cache_read_input_tokens).toBe(PREFIX);
    now += 299_000; // past the first write's TTL, within the read's
    expect((await client.messages.create(ask('q', cachedSystem()))).usage.cache_read_input_tokens).toBe(PREFIX);
    now += 300_001;
    expect((await client.messages.create(ask('q', cachedSystem()))).usage.cache_creation_input_tokens).toBe(PREFIX);
    // The model is part of the prefix.
    expect((await client.messages.create(ask('q', cachedSystem(), 'claude-other'))).usage.cache_creation_input_tokens).toBe(PREFIX);
    expect(s.stats()).toMatchObject({ cacheReadTokens: 3 * PREFIX, cacheWriteTokens: 3 * PREFIX });
  });

  it('reads the longest cached breakpoint and writes the rest; short prefixes and promptCache:false cache nothing', async () => {
    const s = await start();
    const client = anthropic(s);
    const head = { type: 'text' as const, text: LONG, cache_control: { type: 'ephemeral' as const } };
    const tail = (text: string) => ({ type: 'text' as const, text, cache_control: { type: 'ephemeral' as const } });
    const first = await client.messages.create(ask('q', [head, tail('A'.repeat(800))]));
    expect(first.usage).toMatchObject({ cache_creation_input_tokens: PREFIX + 200, cache_read_input_tokens: 0 });
    const second = await client.messages.create(ask('q', [head, tail('B'.repeat(400))]));
    expect(second.usage).toMatchObject({ cache_read_input_tokens: PREFIX, cache_creation_input_tokens: 100 });

    const short = await client.messages.create(ask('q', cachedSystem('Short instructions.')));
    expect(short.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    s.setOptions({ promptCache: false });
    const off = await client.messages.create(ask('q', cachedSystem()));
    expect(off.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    expect(off.usage.input_tokens).toBe((await client.messages.create(ask('q', LONG))).usage.input_tokens);
  });

  it('caches tool definitions at a tool breakpoint, counting their JSON as tokens', async () => {
    const s = await start({ cacheMinTokens: 10 });
    const client = anthropic(s);
    const tool: Tool = {
      name: 'record_judgment',
      description: 'Record the values the answer expresses.',
      input_schema: { type: 'object', properties: { values: { type: 'array', items: { type: 'string' } } }, required: ['values'] },
    };
    const withTools = (tools: Tool[]) => ({ ...ask('q', 'Judge.'), tools, tool_choice: { type: 'tool' as const, name: tool.name } });
    const base = (await client.messages.create(withTools([tool]))).usage.input_tokens;
    const marked = [{ ...tool, cache_control: { type: 'ephemeral' as const } }];
    const toolTokens = Math.ceil(JSON.stringify(marked).length / 4);
    const first = await client.messages.create(withTools(marked));
    expect(first.usage).toMatchObject({ input_tokens: base, cache_creation_input_tokens: toolTokens });
    const again = await client.messages.create(withTools(marked));
    expect(again.usage).toMatchObject({ input_tokens: base, cache_read_input_tokens: toolTokens, cache_creation_input_tokens: 0 });
  });
});

const chat = (question: string, system = LONG, extra: Partial<ChatCompletionCreateParamsNonStreaming> = {}) => ({
  model: 'gpt-cache',
  messages: [
    { role: 'system' as const, content: system },
    { role: 'user' as const, content: question },
  ],
  ...extra,
});
const cachedOf = (c: ChatCompletion) => c.usage?.prompt_tokens_details?.cached_tokens;

describe('OpenAI prompt caching', () => {
  it('reports cached_tokens (a multiple of 128) for a long prefix seen before, keyed by schema and prompt_cache_key', async () => {
    const s = await start();
    const client = openai(s);
    const first = await client.chat.completions.create(chat('Is it fair to skip the meeting?'));
    expect(cachedOf(first)).toBe(0);
    const second = await client.chat.completions.create(chat('Is it fair to skip the meeting?'));
    expect(cachedOf(second)).toBe(1152);
    expect(second.usage?.prompt_tokens).toBe(first.usage?.prompt_tokens);
    expect(second.choices[0]?.message.content).toBe(first.choices[0]?.message.content);

    const schema = { type: 'json_schema' as const, json_schema: { name: 'j', schema: { type: 'object', properties: {} } } };
    expect(cachedOf(await client.chat.completions.create(chat('q', LONG, { response_format: schema })))).toBe(0);
    expect(cachedOf(await client.chat.completions.create(chat('q', LONG, { response_format: schema })))).toBe(1152);
    expect(cachedOf(await client.chat.completions.create(chat('q', LONG, { prompt_cache_key: 'judge-1' })))).toBe(0);
    expect(cachedOf(await client.chat.completions.create(chat('q', LONG, { prompt_cache_key: 'judge-1' })))).toBe(1152);
    await client.chat.completions.create(chat('q', 'Short system.'));
    expect(cachedOf(await client.chat.completions.create(chat('q', 'Short system.')))).toBe(0);
    expect(s.stats()).toMatchObject({ cacheReadTokens: 3 * 1152, cacheWriteTokens: 3 * 1152 });

    s.reset();
    expect(cachedOf(await client.chat.completions.create(chat('q')))).toBe(0);
  });
});

describe('prompt caching in batches', () => {
  it('processes items in order: the first writes, the later ones read', async () => {
    const s = await start({ batchPolls: 0 });
    const a = anthropic(s);
    const batch = await a.messages.batches.create({
      requests: ['one', 'two', 'three'].map((q, i) => ({ custom_id: `c_${i}_s0`, params: ask(q, cachedSystem()) })),
    });
    await a.messages.batches.retrieve(batch.id);
    const usage = [];
    for await (const line of await a.messages.batches.results(batch.id)) {
      if (line.result.type === 'succeeded')
        usage.push([line.result.message.usage.cache_creation_input_tokens, line.result.message.usage.cache_read_input_tokens]);
    }
    expect(usage).toEqual([
      [PREFIX, 0],
      [0, PREFIX],
      [0, PREFIX],
    ]);

    const o = openai(s);
    const jsonl = ['one', 'two', 'three']
      .map((q, i) => JSON.stringify({ custom_id: `c_${i}_s0`, method: 'POST', url: '/v1/chat/completions', body: chat(q) }))
      .join('\n');
    const file = await o.files.create({ file: await toFile(Buffer.from(jsonl), 'in.jsonl'), purpose: 'batch' });
    const ob = await o.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const done = await o.batches.retrieve(ob.id);
    const lines = (await (await o.files.content(done.output_file_id!)).text()).trim().split('\n');
    expect(lines.map((l) => cachedOf((JSON.parse(l) as { response: { body: ChatCompletion } }).response.body))).toEqual([0, 1152, 1152]);
    expect(done.usage?.input_tokens_details.cached_tokens).toBe(2 * 1152);
  });
});
