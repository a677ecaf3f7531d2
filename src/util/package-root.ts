import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root (where scenarios/ and judges/ ship), found by walking up from this
 * module: it is dist/src/util/ when compiled and src/util/ under the test runner.
 */
export function packageRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'valuescope') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the valuescope package root above ${from}`);
    dir = up;
  }
}
