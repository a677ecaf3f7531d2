import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from '../../../core/errors.js';
import { packageRoot } from '../../../util/package-root.js';

/**
 * The labelling page's only script: the typed client in ../client/label/, bundled by esbuild
 * (`npm run build:client`) into one classic script at this path, inlined verbatim and allowed by
 * its hash (the same arrangement as report.html, see ../html-client.ts).
 */
const LABEL_BUNDLE = 'dist/src/stages/report/label-client.js';

let cached: string | undefined;

export function labelScript(): string {
  if (cached !== undefined) return cached;
  const file = path.join(packageRoot(), LABEL_BUNDLE);
  let js: string;
  try {
    js = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EnvironmentError(
      `label.html needs its browser script ${file}, which cannot be read (${(err as Error).message}): run \`npm run build\` to create it`,
      { cause: err },
    );
  }
  if (/<\/script|<!--/i.test(js)) throw new EnvironmentError(`${file} contains "</script" or "<!--" and cannot be inlined into label.html`);
  cached = js;
  return js;
}
