import { promises as fsp } from 'node:fs';
import type { z } from 'zod';
import { InputError } from '../../core/errors.js';

/** Reads and validates one JSON file; null when it does not exist. Errors name the file and field. */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>, fix: string): Promise<T | null> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InputError(`cannot read (${(e as Error).message}): ${fix}`, { file });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message}): ${fix}`, { file });
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(`${issue?.message ?? 'invalid'}: ${fix}`, { file, path: issue?.path.join('.') ?? '' });
  }
  return r.data;
}
