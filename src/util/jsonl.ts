import { createReadStream, promises as fsp } from 'node:fs';
import type { z } from 'zod';
import { InputError, StorageError } from '../core/errors.js';

/**
 * Streams a JSONL file line by line. A last line without its trailing newline is a torn write
 * (the process died mid-append): it is dropped and reported through `onTorn`, never parsed.
 * Any other unparsable or invalid line is an InputError naming file and line.
 */
export async function* readJsonl<T>(
  file: string,
  schema: z.ZodType<T>,
  options: { onTorn?: (line: number, bytes: number) => void; skipInvalid?: (err: InputError) => void } = {},
): AsyncGenerator<{ value: T; line: number }> {
  try {
    await fsp.access(file);
  } catch {
    return;
  }
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let buffered = '';
  let lineNo = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    buffered += chunk;
    let start = 0;
    for (;;) {
      const nl = buffered.indexOf('\n', start);
      if (nl === -1) break;
      const text = buffered.slice(start, nl);
      start = nl + 1;
      lineNo++;
      if (text.trim() === '') continue;
      const parsed = parseLine(file, lineNo, text, schema);
      if (parsed instanceof InputError) {
        if (options.skipInvalid) options.skipInvalid(parsed);
        else throw parsed;
      } else yield { value: parsed, line: lineNo };
    }
    buffered = buffered.slice(start);
  }
  if (buffered.length > 0) options.onTorn?.(lineNo + 1, Buffer.byteLength(buffered));
}

function parseLine<T>(file: string, line: number, text: string, schema: z.ZodType<T>): T | InputError {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return new InputError(`not valid JSON (${(e as Error).message})`, { file, line });
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    return new InputError(`${issue?.message ?? 'invalid record'}`, { file, line, path });
  }
  return r.data;
}

/**
 * Cuts a torn last line off so the next append starts on a fresh line. Returns the bytes removed.
 * Reads only the file's tail, so it is cheap on large files.
 */
async function repairTornTail(file: string): Promise<number> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw new StorageError(`cannot open ${file}: ${(e as Error).message}`, file, { cause: e });
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return 0;
    const window = 1 << 16;
    let end = size;
    // Walk back until the last newline; a record may be longer than one window.
    while (end > 0) {
      const start = Math.max(0, end - window);
      const buf = Buffer.alloc(end - start);
      await handle.read(buf, 0, buf.length, start);
      const idx = buf.lastIndexOf(0x0a);
      if (idx !== -1) {
        const keep = start + idx + 1;
        if (keep < size) await handle.truncate(keep);
        return size - keep;
      }
      end = start;
    }
    await handle.truncate(0);
    return size;
  } finally {
    await handle.close();
  }
}

/**
 * Append-only JSONL writer. Each record is written with one write(2) on an O_APPEND descriptor,
 * so a crash leaves at most one torn final line, which readers drop and `repairTornTail` removes.
 */
export class JsonlAppender {
  private constructor(
    private readonly handle: fsp.FileHandle,
    readonly file: string,
    private readonly scrub: ((line: string) => string) | undefined,
  ) {}

  /** `scrub` rewrites each serialised line before it is written (secrets removed). */
  static async open(file: string, o: { scrub?: ((line: string) => string) | undefined } = {}): Promise<JsonlAppender> {
    await repairTornTail(file);
    try {
      return new JsonlAppender(await fsp.open(file, 'a'), file, o.scrub);
    } catch (e) {
      throw storageError(file, e);
    }
  }

  async append(record: unknown): Promise<void> {
    const json = JSON.stringify(record);
    const line = `${this.scrub ? this.scrub(json) : json}\n`;
    try {
      await this.handle.appendFile(line, 'utf8');
    } catch (e) {
      throw storageError(this.file, e);
    }
  }

  async sync(): Promise<void> {
    await this.handle.sync().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

export function storageError(file: string, e: unknown, then = 'run the command again'): StorageError {
  const code = (e as NodeJS.ErrnoException).code;
  const hint =
    code === 'ENOSPC'
      ? 'the disk is full: free space'
      : code === 'EFBIG' || code === 'EDQUOT'
        ? 'a file-size limit or disk quota was reached (ulimit -f, quota): raise it or free space'
        : code === 'EACCES' || code === 'EROFS' || code === 'EPERM'
          ? 'the directory is not writable: fix its permissions or write elsewhere'
          : code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR'
            ? 'a file is where a directory is expected, or a directory where a file is: move it or choose another path'
            : 'fix the problem';
  return new StorageError(`cannot write ${file} (${code ?? (e as Error).message}): ${hint}, then ${then}`, file, { cause: e });
}

/** The same storage error, for a write inside a run: the fix is then to resume that run. */
export function inRun(e: unknown): unknown {
  if (!(e instanceof StorageError)) return e;
  const fixed = new StorageError(e.message.replace(/, then run the command again$/, ', then resume the run'), e.file, { cause: e.cause });
  return fixed;
}
