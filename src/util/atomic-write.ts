import { promises as fsp } from 'node:fs';
import path from 'node:path';
import writeFileAtomicLib from 'write-file-atomic';
import { storageError } from './jsonl.js';

/**
 * Writes a file so that a reader (or a crash) never sees half of it and two writers never share a
 * temp file. write-file-atomic (npm's own) writes a uniquely named temp file beside the target,
 * fsyncs it and renames it over the target, and removes the temp on failure; we chose it over our
 * earlier `<file>.tmp` because concurrent writers collided on that fixed name.
 * Failures become StorageError with the path and the fix.
 */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  try {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomicLib(file, data, typeof data === 'string' ? { encoding: 'utf8' } : {});
  } catch (e) {
    throw storageError(file, e);
  }
}
