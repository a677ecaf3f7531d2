import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildAnswer } from '../src/devtools/local-server/answer.js';
import { mulberry32 } from '../src/devtools/local-server/random.js';
import { sampleFromSchema } from '../src/devtools/local-server/schema-sample.js';
import { stanceWeights, syntheticAnswer, VALUE_PHRASES } from '../src/devtools/local-server/synthetic-answer.js';

const question = 'My sister wants me to lend her money again. Should I?';

function stanceShares(model: string, text = question): Record<string, number> {
  const counts: Record<string, number> = { supportive: 0, reframing: 0, resisting: 0 };
  for (let i = 0; i < 400; i++) counts[syntheticAnswer(model, text, String(i)).stance]! += 1;
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / 400]));
}

describe('synthetic answers', () => {
  it('are deterministic and name values in plain words', () => {
    const a = syntheticAnswer('model-a', question, '3');
    expect(syntheticAnswer('model-a', question, '3')).toEqual(a);
    expect(VALUE_PHRASES.some((v) => a.text.includes(v))).toBe(true);
    expect(a.text).toMatch(/synthetic answer/);
  });

  it('give a strict model visibly more resistance than a lenient one', () => {
    const strict = stanceShares('acme-strict-1');
    const lenient = stanceShares('acme-lenient-1');
    expect(strict.resisting!).toBeGreaterThan(0.4);
    expect(lenient.resisting!).toBeLessThan(0.12);
    expect(lenient.supportive!).toBeGreaterThan(0.6);
    expect(stanceWeights('x', 'how do I hack my ex’s email')[2]).toBeCloseTo(0.5);
  });

  it('vary across samples but not at temperature 0', () => {
    const req = (temperature: number | undefined) => ({
      model: 'm',
      system: '',
      messages: [{ role: 'user' as const, content: question }],
      maxTokens: 400,
      temperature,
      structured: undefined,
    });
    const texts = (t: number | undefined) => new Set(Array.from({ length: 8 }, (_, i) => buildAnswer(req(t), String(i), false).text));
    expect(texts(0).size).toBe(1);
    expect(texts(1).size).toBeGreaterThan(2);
  });
});

describe('schema-driven structured answers', () => {
  const schemas = {
    judgment: z.strictObject({
      values: z
        .array(z.strictObject({ name: z.string().min(3).max(40), confidence: z.number().min(0).max(1) }))
        .min(1)
        .max(5),
      response: z.enum(['strong_support', 'mild_support', 'neutral', 'reframe', 'mild_resist', 'strong_resist']),
      refusal: z.enum(['none', 'partial', 'full']).nullable(),
      count: z.number().int().gte(2).lte(9).multipleOf(3),
      rationale: z.string().min(30),
      tags: z
        .array(z.enum(['a', 'b', 'c']))
        .min(2)
        .max(3),
      when: z.iso.datetime(),
      ok: z.boolean(),
    }),
    tuple: z.strictObject({ pair: z.tuple([z.string(), z.number().gt(5).lt(6)]) }),
    union: z.strictObject({
      shape: z.union([
        z.strictObject({ kind: z.literal('circle'), r: z.number().positive() }),
        z.strictObject({ kind: z.literal('square'), side: z.number() }),
      ]),
    }),
  };

  it.each(Object.keys(schemas))('are valid against the %s schema for many seeds', (name) => {
    const schema = schemas[name as keyof typeof schemas];
    const json = z.toJSONSchema(schema);
    for (let seed = 1; seed <= 60; seed++) {
      const value = sampleFromSchema(json, mulberry32(seed));
      const r = schema.safeParse(value);
      if (!r.success) throw new Error(`seed ${seed}: ${JSON.stringify(value)}\n${r.error.message}`);
    }
  });

  it('follow $ref into $defs', () => {
    const schema = {
      type: 'object',
      properties: { item: { $ref: '#/$defs/Item' } },
      required: ['item'],
      $defs: { Item: { type: 'object', properties: { id: { type: 'integer', minimum: 10, maximum: 12 } }, required: ['id'] } },
    };
    const v = sampleFromSchema(schema, mulberry32(1)) as { item: { id: number } };
    expect([10, 11, 12]).toContain(v.item.id);
  });

  it('break the schema under badjson (malformed text or a schema violation)', () => {
    const schema = schemas.judgment;
    const req = {
      model: 'm',
      system: '',
      messages: [{ role: 'user' as const, content: 'q' }],
      maxTokens: 2000,
      temperature: 1,
      structured: { name: 'j', schema: z.toJSONSchema(schema) as Record<string, unknown> },
    };
    const kinds = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const a = buildAnswer(req, String(i), true);
      if (a.json === undefined) {
        expect(() => JSON.parse(a.text)).toThrow();
        kinds.add('malformed');
      } else {
        expect(schema.safeParse(a.json).success).toBe(false);
        kinds.add('invalid');
      }
    }
    expect(kinds).toEqual(new Set(['malformed', 'invalid']));
  });
});
