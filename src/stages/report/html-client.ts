import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from '../../core/errors.js';
import { packageRoot } from '../../util/package-root.js';

/**
 * The report's only script, the transcript browser, lives as typed TypeScript in ./client/ (typechecked
 * by tsconfig.client.json, with DOM types). `npm run build` bundles it with esbuild into ONE classic
 * IIFE script at this path; report.html inlines that file's text and allows it by hash in its CSP.
 *
 * esbuild rather than TypeScript's transpileModule: the client is several ES modules that import a
 * type shared with the server (transcript-cell.ts), and turning them into one module-free script
 * needs a bundler; transpileModule only strips types file by file. esbuild does it in one pinned
 * devDependency with no config file, and minifies (the script is in every report).
 *
 * The file is read at run time (not generated into a .ts module) so that the typecheck needs no
 * build first and no generated code is committed: dist/ is built by `npm run build` (also `prepare`),
 * and vitest, which runs the TS sources, finds it under the package root after that build.
 */
const CLIENT_BUNDLE = 'dist/src/stages/report/report-client.js';

let cached: string | undefined;

/** The bundled browser script, exactly as it is inlined (its sha256 goes into the CSP). */
export function reportScript(): string {
  if (cached !== undefined) return cached;
  const file = path.join(packageRoot(), CLIENT_BUNDLE);
  let js: string;
  try {
    js = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EnvironmentError(
      `report.html needs its browser script ${file}, which cannot be read (${(err as Error).message}): run \`npm run build\` to create it`,
      { cause: err },
    );
  }
  // Inlined raw into <script>…</script>: nothing in it may end or confuse that element.
  if (/<\/script|<!--/i.test(js))
    throw new EnvironmentError(`${file} contains "</script" or "<!--" and cannot be inlined into report.html`);
  cached = js;
  return js;
}
