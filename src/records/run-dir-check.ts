import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { RUN_FILES, runFile } from './run-files.js';

/**
 * Why `dir` is not a run directory, as an error that says what to pass instead: it does not exist,
 * it is a file, or it holds no manifest (a results folder holding runs gets an example of one).
 */
export async function notARunDirectory(dir: string): Promise<InputError> {
  const stat = await fsp.stat(dir).catch(() => undefined);
  const fix = 'pass a run directory such as results/<run-id>';
  if (!stat) return new InputError(`${dir} does not exist: ${fix}`);
  if (!stat.isDirectory()) return new InputError(`${dir} is not a run directory but a file: ${fix}`);
  const runs = await runsInside(dir);
  const inside = runs.length > 0 ? ` (it holds ${runs.length} run director${runs.length === 1 ? 'y' : 'ies'}, e.g. ${runs[0]})` : '';
  return new InputError(`${dir} is not a run directory: no ${RUN_FILES.manifest} here; ${fix}${inside}`);
}

/** The first few subfolders of `dir` that hold a manifest (shown relative to the process's view of dir). */
async function runsInside(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => (a.name < b.name ? 1 : -1))) {
    const has = await fsp.access(runFile(path.join(dir, e.name), 'manifest')).then(
      () => true,
      () => false,
    );
    if (has) found.push(path.join(path.basename(dir), e.name));
  }
  return found;
}

/** 1-based line of a JSON.parse error in `text` (V8 says "at position N"; an early end is the last line). */
export function jsonErrorLine(text: string, err: unknown): number {
  const message = err instanceof Error ? err.message : String(err);
  const at = /at position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : /end of JSON input/.test(message) ? text.trimEnd().length : text.search(/\S|$/);
  return text.slice(0, offset).split('\n').length;
}
