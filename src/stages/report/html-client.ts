import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from '../../core/errors.js';
import { RUN_FILES } from '../../records/run-files.js';
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

const cached = new Map<string, string>();

/** The bundled browser script, exactly as it is inlined (its sha256 goes into the CSP). */
export function reportScript(): string {
  return inlineBundle(CLIENT_BUNDLE, RUN_FILES.reportHtml);
}

/**
 * A bundled client script (package-relative path), read once and checked for inlining into `page`;
 * report.html and the labelling page (label/label-script.ts) both inline theirs this way.
 */
export function inlineBundle(bundle: string, page: string): string {
  const known = cached.get(bundle);
  if (known !== undefined) return known;
  const file = path.join(packageRoot(), bundle);
  let js: string;
  try {
    js = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EnvironmentError(
      `${page} needs its browser script ${file}, which cannot be read (${(err as Error).message}): run \`npm run build\` to create it`,
      { cause: err },
    );
  }
  // Inlined raw into <script>…</script>: nothing in it may end or confuse that element.
  if (/<\/script|<!--/i.test(js)) throw new EnvironmentError(`${file} contains "</script" or "<!--" and cannot be inlined into ${page}`);
  cached.set(bundle, js);
  return js;
}
