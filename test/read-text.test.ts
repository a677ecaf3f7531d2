import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTextInput } from '../src/util/read-text.js';

async function offsetOf(bytes: number[]): Promise<string> {
  const f = path.join(await mkdtemp(path.join(tmpdir(), 'vs-utf8-')), 'x.yaml');
  await writeFile(f, Buffer.from(bytes));
  const r = await readTextInput(f, 'x.yaml');
  return 'problem' in r ? r.problem.message : 'valid';
}

describe('a non-UTF-8 input names the byte where the bad sequence starts', () => {
  it.each([
    ['a stray continuation byte', [0x61, 0x62, 0x80, 0x63], 2],
    ['a Latin-1 é followed by ASCII (a lead byte whose sequence breaks)', [0x61, 0x62, 0x63, 0xe9, 0x64], 3],
    ['a 4-byte lead cut short after two good bytes', [0x61, 0xf0, 0x9f, 0x98, 0x41], 1],
    ['0xFF', [0x61, 0xff], 1],
  ])('%s', async (_name, bytes, offset) => {
    expect(await offsetOf(bytes)).toMatch(new RegExp(`at byte offset ${offset}:`));
  });

  it('valid multi-byte text passes', async () => {
    expect(await offsetOf([...Buffer.from('héllo 😀')])).toBe('valid');
  });
});
