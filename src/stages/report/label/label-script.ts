import { LABEL_FILES } from '../../../records/label-draw.js';
import { inlineBundle } from '../html-client.js';

/**
 * The labelling page's only script: the typed client in ../client/label/, bundled by esbuild
 * (`npm run build:client`) into one classic script at this path, inlined verbatim and allowed by
 * its hash (the same arrangement as report.html, see ../html-client.ts).
 */
const LABEL_BUNDLE = 'dist/src/stages/report/label-client.js';

export function labelScript(): string {
  return inlineBundle(LABEL_BUNDLE, LABEL_FILES.page);
}
