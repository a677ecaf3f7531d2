import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { effectiveLines, readEffective } from '../src/records/effective-records.js';

const Rec = z.object({ cellId: z.string(), error: z.string().nullable(), n: z.number() });

async function file(records: z.infer<typeof Rec>[]): Promise<string> {
  const f = path.join(await mkdtemp(path.join(tmpdir(), 'vs-eff-')), 'x.jsonl');
  await writeFile(f, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return f;
}

describe('the effective record of a cell', () => {
  it('is its first success, else its last error; re-attempts and duplicates are counted apart', async () => {
    const f = await file([
      { cellId: 'a', error: 'timeout', n: 1 },
      { cellId: 'b', error: null, n: 2 },
      { cellId: 'a', error: 'http_500', n: 3 }, // a re-attempt that failed again replaces the first failure
      { cellId: 'c', error: 'timeout', n: 4 },
      { cellId: 'a', error: null, n: 5 }, // ... and a success replaces both
      { cellId: 'b', error: 'timeout', n: 6 }, // a success is never replaced, whatever the order of appends
      { cellId: 'b', error: null, n: 7 }, // a second success is a duplicate
    ]);
    const e = await effectiveLines(f, Rec);
    expect(e).toMatchObject({ superseded: 2, duplicates: 2 });
    const kept: number[] = [];
    for await (const { value } of readEffective(f, Rec)) kept.push(value.n);
    expect(kept).toEqual([2, 4, 5]);
  });
});
