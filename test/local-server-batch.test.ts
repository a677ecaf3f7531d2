import Anthropic from '@anthropic-ai/sdk';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import OpenAI, { toFile } from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { batchCustomId } from '../src/providers/batch-model.js';
import { anthropicClientOf, localServersPerTest, openaiClientOf } from './helpers/local-servers.js';

const start = localServersPerTest();
const anthropic = anthropicClientOf;
const openai = openaiClientOf;

const QUESTIONS = ['Should I lend my sister money again?', 'Is it fine to skip a friend’s wedding?', 'Can I read my partner’s messages?'];
/** Every question × sample 0..1, as the batch engine would submit cells. */
const cells = (tag: string, n = QUESTIONS.length * 2) =>
  Array.from({ length: n }, (_, i) => ({
    customId: batchCustomId(tag, i, i % 2),
    question: QUESTIONS[Math.floor(i / 2) % QUESTIONS.length]!,
  }));

const anthropicParams = (question: string) => ({
  model: 'claude-batch',
  max_tokens: 400,
  messages: [{ role: 'user' as const, content: question }],
});
const openaiBody = (question: string) => ({ model: 'gpt-batch', messages: [{ role: 'user' as const, content: question }] });

async function anthropicBatch(client: Anthropic, tag: string, n?: number) {
  const items = cells(tag, n);
  const batch = await client.messages.batches.create({
    requests: items.map((c) => ({ custom_id: c.customId, params: anthropicParams(c.question) })),
  });
  return { batch, items };
}

async function anthropicResults(client: Anthropic, id: string): Promise<MessageBatchIndividualResponse[]> {
  const out: MessageBatchIndividualResponse[] = [];
  for await (const line of await client.messages.batches.results(id)) out.push(line);
  return out;
}

async function openaiBatch(client: OpenAI, tag: string, n?: number) {
  const items = cells(tag, n);
  const jsonl = items
    .map((c) => JSON.stringify({ custom_id: c.customId, method: 'POST', url: '/v1/chat/completions', body: openaiBody(c.question) }))
    .join('\n');
  const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'batch.jsonl'), purpose: 'batch' });
  const batch = await client.batches.create({
    input_file_id: file.id,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
    metadata: { valuescope_tag: tag },
  });
  return { batch, items, file, jsonl };
}

interface OutputLine {
  custom_id: string;
  response: { status_code: number; request_id: string; body: ChatCompletion } | null;
  error: { code: string; message: string } | null;
}
async function fileLines(client: OpenAI, id: string | null | undefined): Promise<OutputLine[]> {
  if (!id) return [];
  const text = await (await client.files.content(id)).text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as OutputLine);
}

describe('Anthropic Message Batches', () => {
  it('answers every item once, after the configured polls, as the single request with that sample', async () => {
    const s = await start({ batchPolls: 2 });
    const client = anthropic(s);
    const { batch, items } = await anthropicBatch(client, 'runA');
    expect(batch).toMatchObject({ type: 'message_batch', processing_status: 'in_progress', results_url: null, ended_at: null });
    expect(batch.id).toMatch(/^msgbatch_/);
    expect(batch.request_counts).toEqual({ processing: 6, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
    expect((await client.messages.batches.retrieve(batch.id)).processing_status).toBe('in_progress');
    expect((await client.messages.batches.retrieve(batch.id)).processing_status).toBe('in_progress');
    const ended = await client.messages.batches.retrieve(batch.id);
    expect(ended.processing_status).toBe('ended');
    expect(ended.request_counts).toEqual({ processing: 0, succeeded: 6, errored: 0, canceled: 0, expired: 0 });
    expect(ended.results_url).toBe(`${s.url}/v1/messages/batches/${batch.id}/results`);
    expect(Date.parse(ended.ended_at!)).toBeGreaterThanOrEqual(Date.parse(ended.created_at));

    const results = await anthropicResults(client, batch.id);
    expect(results.map((r) => r.custom_id)).toEqual(items.map((c) => c.customId));
    for (const [i, r] of results.entries()) {
      if (r.result.type !== 'succeeded') throw new Error(`item ${i} is ${r.result.type}`);
      const single = await client.messages.create(anthropicParams(items[i]!.question), {
        headers: { 'x-valuescope-sample': String(i % 2) },
      });
      expect(r.result.message.content).toEqual(single.content);
      expect(r.result.message.usage).toEqual(single.usage);
    }
    // Two samples of one question differ, as two single requests with different samples do.
    expect(results[0]!.result).not.toEqual(results[1]!.result);

    const st = s.stats();
    expect(st).toMatchObject({ batchesCreated: 1, batchItems: 6, requests: 6, batchItemOutcomes: { succeeded: 6, errored: 0 } });
    expect(Object.values(st.batchItemsByRequest)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(st.batchCalls).toEqual({
      'POST /v1/messages/batches': 1,
      'GET /v1/messages/batches/:id': 4,
      'GET /v1/messages/batches/:id/results': 1,
    });
  });

  it('errors a seeded share of items, the same ones on every run, and refuses bad custom ids', async () => {
    const erroredIds = async () => {
      const s = await start({ batchPolls: 0, batchItemErrorRate: 0.1, seed: 11 });
      const client = anthropic(s);
      const { batch } = await anthropicBatch(client, 'big', 300);
      expect((await client.messages.batches.retrieve(batch.id)).request_counts.errored).toBeGreaterThan(0);
      const results = await anthropicResults(client, batch.id);
      const errored = results.filter((r) => r.result.type === 'errored');
      for (const r of errored) {
        expect(r.result).toMatchObject({ type: 'errored', error: { type: 'error', error: { type: 'api_error' } } });
      }
      expect(s.stats().batchItemOutcomes).toMatchObject({ succeeded: 300 - errored.length, errored: errored.length });
      const again = await anthropicBatch(client, 'big2', 300);
      await client.messages.batches.retrieve(again.batch.id);
      const retried = (await anthropicResults(client, again.batch.id)).filter((r) => r.result.type === 'errored');
      return { ids: errored.map((r) => r.custom_id), retriedIds: retried.map((r) => r.custom_id.replace('big2', 'big')) };
    };
    const first = await erroredIds();
    expect(first.ids.length).toBeGreaterThanOrEqual(15);
    expect(first.ids.length).toBeLessThanOrEqual(50);
    expect((await erroredIds()).ids).toEqual(first.ids);
    // The draw is on the custom id: a resubmission under a new tag is not doomed to the same errors.
    expect(first.retriedIds).not.toEqual(first.ids);

    const client = anthropic(await start());
    const dup = [
      { custom_id: 'x_1', params: anthropicParams('a') },
      { custom_id: 'x_1', params: anthropicParams('b') },
    ];
    await expect(client.messages.batches.create({ requests: dup })).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    await expect(client.messages.batches.create({ requests: [{ custom_id: 'has space', params: anthropicParams('a') }] })).rejects.toThrow(
      /custom_id/,
    );
  });

  it('expires items, cancels, and lists with the SDK’s pagination', async () => {
    const s = await start({ batchPolls: 1, batchExpire: true });
    const client = anthropic(s);
    const expiring = await anthropicBatch(client, 'exp');
    await client.messages.batches.retrieve(expiring.batch.id);
    expect((await client.messages.batches.retrieve(expiring.batch.id)).request_counts).toMatchObject({ expired: 6, succeeded: 0 });
    expect((await anthropicResults(client, expiring.batch.id)).map((r) => r.result)).toEqual(Array(6).fill({ type: 'expired' }));

    s.setOptions({ batchExpire: undefined, batchPolls: 3 });
    const { batch } = await anthropicBatch(client, 'can');
    const canceling = await client.messages.batches.cancel(batch.id);
    expect(canceling.processing_status).toBe('canceling');
    expect(canceling.cancel_initiated_at).not.toBeNull();
    const ended = await client.messages.batches.retrieve(batch.id);
    expect([ended.processing_status, ended.request_counts.canceled]).toEqual(['ended', 6]);
    expect((await anthropicResults(client, batch.id)).every((r) => r.result.type === 'canceled')).toBe(true);
    expect(s.stats()).toMatchObject({ batchesCanceled: 1, batchItemOutcomes: { canceled: 6, expired: 6 } });

    const more = [];
    for (let i = 0; i < 3; i++) more.push((await anthropicBatch(client, `list${i}`, 1)).batch.id);
    const listed: string[] = [];
    for await (const b of client.messages.batches.list({ limit: 2 })) listed.push(b.id);
    expect(listed).toEqual([...more].reverse().concat(batch.id, expiring.batch.id));
    const page = await client.messages.batches.list({ limit: 2, before_id: more[0]! });
    expect(page.data.map((b) => b.id)).toEqual([more[2], more[1]]);
    expect(page.has_more).toBe(false);

    expect(await client.messages.batches.delete(expiring.batch.id)).toEqual({ id: expiring.batch.id, type: 'message_batch_deleted' });
    await expect(client.messages.batches.delete(more[0]!)).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    expect((await client.messages.batches.list({ limit: 10 })).data.map((b) => b.id)).not.toContain(expiring.batch.id);
  });
});

describe('OpenAI Batch', () => {
  it('uploads the input, answers every item as the single request with that sample, and finds the batch by metadata', async () => {
    const s = await start({ batchPolls: 1 });
    const client = openai(s);
    const { batch, items, file, jsonl } = await openaiBatch(client, 'runB');
    expect(file).toMatchObject({ object: 'file', purpose: 'batch', filename: 'batch.jsonl', bytes: Buffer.byteLength(jsonl) });
    expect(await (await client.files.content(file.id)).text()).toBe(jsonl);
    expect(batch).toMatchObject({ object: 'batch', status: 'validating', input_file_id: file.id, output_file_id: null });
    expect(batch.request_counts).toEqual({ total: 6, completed: 0, failed: 0 });
    expect((await client.batches.retrieve(batch.id)).status).toBe('in_progress');
    const done = await client.batches.retrieve(batch.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: 6, completed: 6, failed: 0 });
    expect(done.error_file_id).toBeNull();

    const lines = await fileLines(client, done.output_file_id);
    expect(lines.map((l) => l.custom_id)).toEqual(items.map((c) => c.customId));
    for (const [i, l] of lines.entries()) {
      expect(l.error).toBeNull();
      expect(l.response?.status_code).toBe(200);
      const single = await client.chat.completions.create(openaiBody(items[i]!.question), {
        headers: { 'x-valuescope-sample': String(i % 2) },
      });
      expect(l.response?.body.choices[0]?.message.content).toBe(single.choices[0]!.message.content);
      expect(l.response?.body.usage).toEqual(single.usage);
    }
    expect(done.usage?.input_tokens).toBe(lines.reduce((n, l) => n + l.response!.body.usage!.prompt_tokens, 0));

    for (let i = 0; i < 3; i++) await openaiBatch(client, `other${i}`, 1);
    const found = [];
    for await (const b of client.batches.list({ limit: 2 })) if (b.metadata?.valuescope_tag === 'runB') found.push(b.id);
    expect(found).toEqual([batch.id]);
    expect(s.stats()).toMatchObject({ batchesCreated: 4, batchItems: 9 });
    expect(Object.keys(s.stats().batchItemsByRequest)).toHaveLength(6);
  });

  it('writes errored and expired items to the error file and cancels', async () => {
    const s = await start({ batchPolls: 0, batchItemErrorRate: 0.5, seed: 3 });
    const client = openai(s);
    const { batch } = await openaiBatch(client, 'err', 20);
    const done = await client.batches.retrieve(batch.id);
    const errors = await fileLines(client, done.error_file_id);
    const outputs = await fileLines(client, done.output_file_id);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length + outputs.length).toBe(20);
    expect(done.request_counts).toEqual({ total: 20, completed: outputs.length, failed: errors.length });
    for (const e of errors) expect(e).toMatchObject({ response: { status_code: 500 }, error: { code: 'server_error' } });

    s.setOptions({ batchItemErrorRate: 0, batchExpire: true });
    const expiring = await openaiBatch(client, 'exp');
    const expired = await client.batches.retrieve(expiring.batch.id);
    expect([expired.status, expired.output_file_id, expired.request_counts?.failed]).toEqual(['expired', null, 6]);
    expect((await fileLines(client, expired.error_file_id)).map((l) => [l.response, l.error?.code])).toEqual(
      Array(6).fill([null, 'batch_expired']),
    );

    s.setOptions({ batchExpire: undefined, batchPolls: 2 });
    const canceled = await openaiBatch(client, 'can');
    expect((await client.batches.cancel(canceled.batch.id)).status).toBe('cancelling');
    const after = await client.batches.retrieve(canceled.batch.id);
    expect(after.status).toBe('cancelled');
    expect((await fileLines(client, after.error_file_id)).every((l) => l.error?.code === 'batch_cancelled')).toBe(true);
    expect(s.stats()).toMatchObject({ batchesCanceled: 1, batchItemOutcomes: { expired: 6, canceled: 6 } });
  });

  it('fails a batch whose input file has a bad line, and requires the key when one is set', async () => {
    const s = await start({ apiKey: 'right-key' });
    const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'right-key', maxRetries: 0 });
    const bad = `${JSON.stringify({ custom_id: 'a', method: 'POST', url: '/v1/embeddings', body: {} })}\nnot json\n`;
    const file = await client.files.create({ file: await toFile(Buffer.from(bad), 'bad.jsonl'), purpose: 'batch' });
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    expect(batch.status).toBe('failed');
    expect(batch.errors?.data?.map((e) => [e.code, e.line])).toEqual([
      ['invalid_url', 1],
      ['invalid_json_line', 2],
    ]);
    await expect(openai(s).batches.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(
      client.batches.create({ input_file_id: 'file-missing', endpoint: '/v1/chat/completions', completion_window: '24h' }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const forced = { headers: { 'x-valuescope-fault': '429' } };
    await expect(
      client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }, forced),
    ).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    expect(s.stats()).toMatchObject({ byFault: { '401': 1, '429': 1 }, sent429: 1, batchesCreated: 1 });
  });
});

describe('batch state', () => {
  it('is cleared by reset', async () => {
    const s = await start();
    const a = anthropic(s);
    const o = openai(s);
    const { batch } = await anthropicBatch(a, 'r');
    const { batch: ob, file } = await openaiBatch(o, 'r');
    s.reset();
    await expect(a.messages.batches.retrieve(batch.id)).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    await expect(o.batches.retrieve(ob.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(o.files.content(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect(s.stats()).toMatchObject({ batchesCreated: 0, batchItems: 0, batchItemsByRequest: {} });
    expect((await a.messages.batches.list()).data).toEqual([]);
  });

  it('ends by time when batchDelayMs is set', async () => {
    let now = 1_700_000_000_000;
    const s = await start({ batchPolls: 0, batchDelayMs: 60_000, now: () => now });
    const client = anthropic(s);
    const { batch } = await anthropicBatch(client, 't', 2);
    expect((await client.messages.batches.retrieve(batch.id)).processing_status).toBe('in_progress');
    now += 60_000;
    const ended = await client.messages.batches.retrieve(batch.id);
    expect([ended.processing_status, ended.ended_at]).toEqual(['ended', new Date(now).toISOString()]);
    expect(ended.expires_at).toBe(new Date(now - 60_000 + 86_400_000).toISOString());
  });
});
