import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIFF_FILES, HISTORY_FILES, RUN_FILES } from '../src/records/run-files.js';
import { functionSizes, lineCount } from './helpers/code-size.js';
import { listTsFiles } from './helpers/import-graph.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(repo, 'src');
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 60;

describe('code shape (docs/architecture.md): small files, short functions, one owner per file name', () => {
  const files = listTsFiles(src).map((f) => ({ file: f, text: readFileSync(f, 'utf8') }));
  const rel = (f: string) => path.relative(repo, f);

  it(`has no file in src/ over ${MAX_FILE_LINES} lines`, () => {
    const long = files.filter((f) => lineCount(f.text) > MAX_FILE_LINES).map((f) => `${rel(f.file)}: ${lineCount(f.text)} lines`);
    expect(long, long.join('\n')).toEqual([]);
  });

  it(`has no function in src/ over ${MAX_FUNCTION_LINES} lines (nested closures count toward their parent)`, () => {
    const long = files.flatMap((f) =>
      functionSizes(f.file, f.text)
        .filter((s) => s.lines > MAX_FUNCTION_LINES)
        .map((s) => `${rel(s.file)}:${s.line} ${s.name}: ${s.lines} lines`),
    );
    expect(long, long.join('\n')).toEqual([]);
  });

  it('spells each run-directory and diff-directory file name in exactly one file (records/run-files.ts)', () => {
    const owner = path.join(src, 'records', 'run-files.ts');
    const names = [...Object.values(RUN_FILES), ...Object.values(DIFF_FILES), ...Object.values(HISTORY_FILES)].filter((n) =>
      n.includes('.'),
    );
    const found = files.flatMap((f) =>
      f.file === owner
        ? []
        : names.filter((n) => f.text.includes(`'${n}'`) || f.text.includes(`"${n}"`)).map((n) => `${rel(f.file)}: '${n}'`),
    );
    expect(found, `use RUN_FILES / DIFF_FILES / HISTORY_FILES from src/records/run-files.ts instead:\n${found.join('\n')}`).toEqual([]);
  });
});
