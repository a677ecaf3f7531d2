import { type DiffFile, diffQFamily, qFamilyText } from '../../records/diff.js';
import { parseMetricKey } from '../../records/metric-key.js';
import { type Block, intervalText, levelText, pctText, pText, ptsText, type TableCell } from './blocks.js';
import { changeReading } from './concern.js';
import { changeLink, nameCell } from './content-summary.js';
import type { ChangeView, DiffView } from './view-model.js';

/**
 * The diff's changes grouped by metric family, each quantity once: a family's overall rows in its
 * table (significant first), its per-domain rows and the unchanged ones folded beneath (report.html;
 * report.md points to them). Categories carry their lower levels and values beneath them.
 */
interface Family {
  id: string;
  title: string;
}

const FAMILIES: readonly Family[] = [
  { id: 'response', title: "Response to the user's values" },
  { id: 'refusal', title: 'Refusals' },
  { id: 'expect', title: 'Expected responses' },
  { id: 'user', title: 'When the user states values' },
  { id: 'watch', title: 'Watch-list values' },
  { id: 'category', title: 'Value categories, with the values beneath them' },
  { id: 'value', title: 'Values outside the taxonomy, and any value' },
];

function familyOf(c: ChangeView, watchlist: ReadonlySet<string>, parents: ReadonlyMap<string, string>): string {
  const m = parseMetricKey(c.metric);
  if (m.family === 'response_type') return 'response';
  if (m.family === 'refusal' || m.family === 'refusal_rate') return 'refusal';
  if (m.family === 'expect_pass') return 'expect';
  if (m.family === 'user_values_response_type' || m.family === 'mirroring') return 'user';
  if (m.family === 'value' && watchlist.has(m.name)) return 'watch';
  if (m.family === 'category' || (m.family === 'value' && parents.has(c.metric))) return 'category';
  return 'value';
}

/** Top-level category of a row (itself for l3), so a category's children sort right beneath it. */
function groupKey(c: ChangeView, parents: ReadonlyMap<string, string>): { top: string; depth: number } {
  const m = parseMetricKey(c.metric);
  if (m.family === 'category' && m.level === 'l3') return { top: m.name, depth: 0 };
  const depth = m.family === 'category' ? (m.level === 'l2' ? 1 : 2) : 3;
  return { top: parents.get(c.metric) ?? '', depth };
}

function orderCategories(rows: ChangeView[], parents: ReadonlyMap<string, string>): ChangeView[] {
  // Each top-level category placed by its own largest significant change, its children after it.
  const weight = new Map<string, number>();
  for (const c of rows) {
    const { top } = groupKey(c, parents);
    const w = (c.significant ? 1 : 0) + Math.abs(c.delta);
    weight.set(top, Math.max(weight.get(top) ?? 0, w));
  }
  return [...rows].sort((a, b) => {
    const ga = groupKey(a, parents);
    const gb = groupKey(b, parents);
    return (
      (weight.get(gb.top) ?? 0) - (weight.get(ga.top) ?? 0) ||
      ga.top.localeCompare(gb.top) ||
      Math.min(ga.depth, 1) - Math.min(gb.depth, 1) ||
      Math.abs(b.delta) - Math.abs(a.delta)
    );
  });
}

interface TableContext {
  view: DiffView;
  qHead: string;
  level: string;
  parents: ReadonlyMap<string, string>;
}

function changeTable(rows: ChangeView[], t: TableContext, o: { id?: string; mdLimit?: number; caption?: string }): Block {
  const inCategories = (c: ChangeView) => {
    const f = parseMetricKey(c.metric).family;
    return f === 'category' || (f === 'value' && t.parents.has(c.metric));
  };
  const indent = (c: ChangeView) => (inCategories(c) && groupKey(c, t.parents).depth > 0 ? '· ' : '');
  const name = (c: ChangeView): TableCell => {
    const aliases = c.aliases.length > 0 ? ` (${c.aliases.join('; ')})` : '';
    return nameCell(c, `${indent(c)}${c.name}${aliases}${c.domain ? ` (${c.domain})` : ''}`);
  };
  return {
    kind: 'table',
    ...(o.id ? { id: o.id } : {}),
    ...(o.caption ? { caption: o.caption } : {}),
    ...(o.mdLimit !== undefined ? { mdLimit: o.mdLimit } : {}),
    head: ['metric', 'share of', t.view.baseLabel, t.view.candidateLabel, 'Δ', `${t.level} CI (pts)`, t.qHead, 'reading'],
    align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'l'],
    rows: rows.map((c) => [
      name(c),
      c.shareOf ?? 'responses',
      pctText(c.base),
      pctText(c.candidate),
      ptsText(c.delta),
      intervalText(c.lo, c.hi),
      pText(c.q),
      c.significant ? shortReading(c) : 'not significant',
    ]),
    rowLinks: rows.map(changeLink),
  };
}

/** The reading without the undeclared case's words: "—" (the caption says what it means). */
function shortReading(c: ChangeView): string {
  const r = changeReading(c.delta, c.concern);
  return r === 'no declared direction' ? '—' : r;
}

function familyBlocks(f: Family, rows: ChangeView[], t: TableContext, guardedBy: readonly string[]): Block[] {
  const overall = rows.filter((c) => c.domain === null);
  const sig = overall.filter((c) => c.significant);
  const rest = overall.filter((c) => !c.significant);
  const domain = rows.filter((c) => c.domain !== null && c.significant);
  const sorted = (xs: ChangeView[]) => (f.id === 'category' ? orderCategories(xs, t.parents) : xs);
  const blocks: Block[] = [{ kind: 'heading', level: 3, text: f.title, id: `family-${f.id}` }];
  const tested = overall.filter((c) => c.p !== undefined).length;
  const guarded =
    guardedBy.length > 0
      ? ` The overall change is in the gate table (rule${guardedBy.length === 1 ? '' : 's'}: ${guardedBy.join(', ')}).`
      : '';
  if (sig.length > 0) {
    blocks.push(changeTable(sorted(sig), t, { mdLimit: 3, id: `changes-${f.id}` }));
    if (guarded) blocks.push({ kind: 'para', muted: true, text: guarded.trim() });
  } else if (tested === 0 && guarded) blocks.push({ kind: 'para', text: guarded.trim() });
  else blocks.push({ kind: 'para', text: `No significant overall change among the ${tested} tested.${guarded}` });
  if (domain.length > 0)
    blocks.push({
      kind: 'details',
      htmlOnly: true,
      summary: `Per domain: ${domain.length} significant change${domain.length === 1 ? '' : 's'}`,
      blocks: [changeTable(sorted(domain), t, {})],
    });
  if (rest.length > 0)
    blocks.push({
      kind: 'details',
      htmlOnly: true,
      summary: `Not significant overall: ${rest.length}`,
      blocks: [changeTable(sorted(rest), t, {})],
    });
  return blocks;
}

/** "Changes by family": the count, then one section per family that has rows. */
export function changeFamilyBlocks(
  diff: DiffFile,
  view: DiffView,
  watchlist: ReadonlySet<string>,
  parents: ReadonlyMap<string, string>,
): Block[] {
  const family = qFamilyText(diffQFamily(diff));
  const own = view.changes.filter((c) => c.gateRule === undefined);
  const guarded = view.changes.length - own.length;
  const level = levelText(diff.settings.level ?? 0.95);
  const t: TableContext = { view, qHead: `q (${family})`, level, parents };
  const blocks: Block[] = [
    { kind: 'heading', level: 3, text: 'Changes by family', id: 'changes' },
    {
      kind: 'para',
      text: `${diff.summary.significant} of ${diff.summary.tested} tested metrics changed significantly (q < ${diff.settings.alpha}, ${family}) over ${diff.scenarios.shared} paired scenarios; ${view.candidateLabel} minus ${view.baseLabel}. Each quantity appears once (hover a name for its key); per-domain rows are in report.html, every row in diff.csv; reading: the declared direction of harm, — where none is declared.${guarded > 0 ? ` The ${guarded} metric${guarded === 1 ? '' : 's'} a gate rule guards ${guarded === 1 ? 'is' : 'are'} in the gate table, with the gate's q.` : ''}`,
    },
  ];
  const byFamily = new Map<string, ChangeView[]>();
  for (const c of own) {
    const id = familyOf(c, watchlist, parents);
    byFamily.set(id, [...(byFamily.get(id) ?? []), c]);
  }
  const guardedBy = new Map<string, string[]>();
  for (const c of view.changes)
    if (c.gateRule !== undefined && c.domain === null) {
      const id = familyOf(c, watchlist, parents);
      guardedBy.set(id, [...(guardedBy.get(id) ?? []), c.gateRule]);
    }
  for (const f of FAMILIES) {
    const rows = byFamily.get(f.id);
    if (rows && rows.length > 0) blocks.push(...familyBlocks(f, rows, t, guardedBy.get(f.id) ?? []));
  }
  return blocks;
}
