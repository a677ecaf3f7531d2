import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { storageError } from './jsonl.js';

/**
 * Streams a large file (report.html can hold every transcript) without ever leaving it half
 * written: `fill` writes through the handle into a uniquely named temp file beside the target, which
 * is synced and renamed over it only when `fill` succeeds. On any failure the temp file is removed
 * and the previous file stays as it was. (write-file-atomic does this for data held in memory.)
 */
export async function writeFileAtomicStreamed<T>(file: string, fill: (handle: fsp.FileHandle) => Promise<T>): Promise<T> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: fsp.FileHandle;
  try {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    handle = await fsp.open(tmp, 'wx');
  } catch (e) {
    throw storageError(file, e);
  }
  let committed = false;
  try {
    const result = await fill(handle);
    await handle.sync();
    await handle.close();
    await fsp.rename(tmp, file);
    committed = true;
    return result;
  } catch (e) {
    throw (e as NodeJS.ErrnoException).code ? storageError(file, e) : e;
  } finally {
    if (!committed) {
      await handle.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
    }
  }
}
