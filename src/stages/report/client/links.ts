/**
 * The report's links (`data-link` on table rows and cells; CellLink in ../blocks.ts): where a click
 * or Enter on a figure leads. The attribute is page text like any other, so it is parsed in a
 * try/catch and only a value of exactly the known shape is acted on.
 */
export interface ReportLink {
  metric?: string;
  domain?: string | null;
  cells?: string[];
  example?: string;
}

const KEYS = new Set(['metric', 'domain', 'cells', 'example']);

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** The link in a `data-link` attribute, or null when it is not valid JSON of the CellLink shape. */
function parseLink(raw: string | undefined): ReportLink | null {
  if (raw === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const o = value as Record<string, unknown>;
  if (!Object.keys(o).every((k) => KEYS.has(k))) return null;
  const link: ReportLink = {};
  if (o.metric !== undefined) {
    if (typeof o.metric !== 'string') return null;
    link.metric = o.metric;
  }
  if (o.domain !== undefined) {
    if (o.domain !== null && typeof o.domain !== 'string') return null;
    link.domain = o.domain;
  }
  if (o.cells !== undefined) {
    if (!isStringArray(o.cells)) return null;
    link.cells = o.cells;
  }
  if (o.example !== undefined) {
    if (typeof o.example !== 'string') return null;
    link.example = o.example;
  }
  return link.metric !== undefined || link.cells !== undefined || link.example !== undefined ? link : null;
}

/**
 * Calls `follow` for a click on, or Enter in, any element with `data-link` (the innermost one, so a
 * cell's link wins over its row's). Delegated once on the document: the tables are static markup.
 */
export function onReportLink(follow: (link: ReportLink, source: HTMLElement) => void): void {
  const handle = (event: Event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const source = target.closest<HTMLElement>('[data-link]');
    if (!source) return;
    const link = parseLink(source.dataset.link);
    if (!link) return;
    event.preventDefault();
    follow(link, source);
  };
  document.addEventListener('click', handle);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') handle(event);
  });
}
