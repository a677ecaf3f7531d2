import { createHash } from 'node:crypto';

const sha256b64 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64');

/**
 * The Content-Security-Policy of every page valuescope writes (report.html, label.html,
 * history.html): nothing external of any kind; the page's one style and its one script (if any) are
 * allowed by hash, images only as data: URIs when the page has them.
 */
export function pagePolicy(o: { style: string; script?: string; images?: boolean }): string {
  return [
    "default-src 'none'",
    ...(o.images ? ['img-src data:'] : []),
    `style-src 'sha256-${sha256b64(o.style)}'`,
    ...(o.script !== undefined ? [`script-src 'sha256-${sha256b64(o.script)}'`] : []),
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
