import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { storageError } from './jsonl.js';

/**
 * Writes a file so that a reader (or a crash) never sees half of it: write a temp file beside it,
 * then rename over the target. `unique` gives each call its own temp name, for files that several
 * writers may produce at once (cache entries); otherwise the temp is `<file>.tmp`.
 * Failures become StorageError with the fix; the temp file is removed.
 */
export async function writeFileAtomic(file: string, text: string, options: { unique?: boolean } = {}): Promise<void> {
  const tmp = options.unique ? `${file}.${randomBytes(4).toString('hex')}.tmp` : `${file}.tmp`;
  try {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(tmp, text, 'utf8');
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw storageError(file, e);
  }
}
