import { type DiffFile, diffQFamily, type GateResult, gateQFamily, qFamilyText } from '../../records/diff.js';
import { shareBaseText } from '../../records/metric-key.js';
import { TAXONOMY_CREDIT } from '../../taxonomy/credit.js';
import { type Block, intervalText, levelText, pctText, pText, ptsText, VERDICT_TEXT } from './blocks.js';
import { changeReading } from './concern.js';
import { changeFamilyBlocks } from './content-changes.js';
import { correctedDiffBlocks, correctedGateBlocks } from './content-corrected.js';
import { type ProfilePair, profileSections } from './content-profile.js';
import { changeLink, nameCell, summaryBlocks } from './content-summary.js';
import { judgeLine } from './content-tables.js';
import type { DiffView, ShareItem } from './view-model.js';

const MAX_LISTED = 10;

function cellsText(n: number): string {
  return `${n} cell${n === 1 ? '' : 's'}`;
}

/** The most frequent appeared/vanished values; a long tail of single cells is summarised, not listed. */
function valueList(heading: string, items: readonly ShareItem[], verb: string): Block[] {
  if (items.length === 0) return [];
  const top = [...items].sort((a, b) => (b.count ?? 0) - (a.count ?? 0) || a.name.localeCompare(b.name)).slice(0, MAX_LISTED);
  const lines = top.map((v) => `${v.name}: ${verb} ${cellsText(v.count ?? 0)} (${pctText(v.share)})`);
  if (items.length > top.length) lines.push(`… and ${items.length - top.length} more (see diff.json)`);
  return [
    { kind: 'para', strong: true, text: `${heading} (${items.length})` },
    { kind: 'list', items: lines },
  ];
}

/** "−10.0" (maxDrop), "+5.0" (maxRise), "±10.0" (maxChange), joined when several are set; "none" without one. */
function marginCell(m: GateResult['rules'][number]['margin']): string {
  const parts: string[] = [];
  if (m.maxDrop !== undefined) parts.push(`−${(m.maxDrop * 100).toFixed(1)}`);
  if (m.maxRise !== undefined) parts.push(`+${(m.maxRise * 100).toFixed(1)}`);
  if (m.maxChange !== undefined) parts.push(`±${(m.maxChange * 100).toFixed(1)}`);
  return parts.length > 0 ? parts.join(' / ') : 'none';
}

/** "responses" or "responses (expectation pass rate: responses with an expectation)": the base of each rule's shares. */
function gateShareBases(gate: GateResult): string {
  const other = gate.rules.flatMap((r) =>
    r.metric && shareBaseText(r.metric) !== 'responses' ? [`${r.name}: ${shareBaseText(r.metric)}`] : [],
  );
  return other.length > 0 ? `responses (${other.join('; ')})` : 'responses';
}

function gateBlocks(gate: GateResult | null, view: DiffView): Block[] {
  if (!gate || !view.gate) return [];
  const level = levelText(1 - gate.alpha);
  const byRule = new Map(view.changes.filter((c) => c.gateRule !== undefined).map((c) => [c.gateRule!, c]));
  return [
    { kind: 'heading', level: 3, text: 'Gate rules', id: 'gate' },
    {
      kind: 'table',
      id: 'gate-rules',
      caption: `Each rule's numbers as gate.json holds them; shares are of ${gateShareBases(gate)}.`,
      head: [
        'rule',
        'status',
        'Δ',
        `${level} CI (pts)`,
        'margin (pts)',
        `q (${qFamilyText(gateQFamily(gate))})`,
        'MDE (80% power)',
        'reading',
      ],
      align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'l'],
      rows: gate.rules.map((r) => {
        const c = byRule.get(r.name);
        return [
          c ? nameCell(c, r.name) : r.name,
          VERDICT_TEXT[r.status],
          ptsText(r.delta),
          intervalText(r.lo, r.hi),
          r.kind !== 'metric' ? '—' : marginCell(r.margin),
          pText(r.q),
          r.mde === null ? '—' : `${(r.mde * 100).toFixed(1)} pts`,
          r.status === 'pass' ? 'within the margin' : c && r.delta !== null ? changeReading(r.delta, c.concern) : '—',
        ];
      }),
      rowLinks: gate.rules.map((r) => {
        const c = byRule.get(r.name);
        if (c) return changeLink(c);
        const cells = r.hits.flatMap((h) => h.cellIds.map((id) => (view.candCellPrefix ?? '') + id));
        return cells.length > 0 ? { cells } : null;
      }),
    },
    {
      kind: 'details',
      htmlOnly: true,
      summary: 'Each rule in words (as the CI log prints it)',
      blocks: [{ kind: 'list', items: gate.rules.map((r) => `${VERDICT_TEXT[r.status]} ${r.name}: ${r.reason ?? r.message}`) }],
    },
    ...(gate.warnings.length ? [{ kind: 'list', items: gate.warnings.map((w) => `note: ${w}`) } as Block] : []),
  ];
}

function watchHitBlocks(view: DiffView, heading: string): Block[] {
  if (view.watchlistHits.length === 0) return [];
  return [
    { kind: 'heading', level: 3, text: heading, id: 'watch-hits' },
    {
      kind: 'table',
      caption: 'Cells of the candidate whose AI values match a watch-list entry (click a row for its transcripts).',
      head: ['value', 'cells', 'e.g.'],
      align: ['l', 'r', 'l'],
      rows: view.watchlistHits.map((h) => [h.value, String(h.count), h.cells.slice(0, 3).join(', ')]),
      rowLinks: view.watchlistHits.map((h) => ({ cells: h.cells })),
    },
  ];
}

/** What both report kinds put after their own sections: provenance, the profiles (folded), charts, the credits. */
export interface ReportTail {
  pairs: readonly ProfilePair[];
  provenance: Block[];
  footer: string;
}

function tailBlocks(t: ReportTail): Block[] {
  const blocks: Block[] = [...t.provenance];
  if (t.pairs.length > 0)
    blocks.push({
      kind: 'details',
      htmlOnly: true,
      id: 'profiles',
      summary: 'Profiles side by side (response types, categories, values, values that depend on the domain)',
      blocks: profileSections(t.pairs),
    });
  blocks.push({ kind: 'heading', level: 3, text: 'Charts', id: 'charts' }, { kind: 'charts' });
  blocks.push({ kind: 'para', muted: true, text: t.footer });
  return blocks;
}

function judgesOf(pairs: readonly ProfilePair[], fallback: readonly string[]): string {
  return pairs.length > 0 ? judgeLine(pairs.map((p) => p.profile)) : `Judge: ${[...new Set(fallback)].join(', ')}.`;
}

/** A gate run without diff.json: the answer, the rules, forbidden values, then the shared tail. */
export function gateReport(gate: GateResult, view: DiffView, tail: Omit<ReportTail, 'footer'>): { title: string; blocks: Block[] } {
  const level = levelText(1 - gate.alpha);
  const blocks: Block[] = [...summaryBlocks(view, gate, null, level), ...gateBlocks(gate, view), ...correctedGateBlocks(gate)];
  if (view.answers) blocks.push({ kind: 'para', text: view.answers });
  blocks.push(...watchHitBlocks(view, 'Forbidden values found in the candidate'));
  const judges = judgesOf(tail.pairs, [...gate.base.judgeIds, ...gate.cand.judgeIds]);
  const footer = `${judges} Significance level ${gate.alpha}; q: ${qFamilyText(gateQFamily(gate))}. ${TAXONOMY_CREDIT}.`;
  blocks.push(...tailBlocks({ ...tail, footer }));
  return { title: `valuescope gate — ${view.baseLabel} → ${view.candidateLabel}`, blocks };
}

function distanceBlocks(diff: DiffFile): Block[] {
  const overallDist = diff.distances.filter((d) => d.domain === null);
  if (overallDist.length === 0) return [];
  return [
    {
      kind: 'details',
      htmlOnly: true,
      summary: 'Distribution shifts (Jensen-Shannon distance)',
      blocks: [
        {
          kind: 'table',
          caption:
            "How far apart the two sides' whole distributions are: 0 = identical, 1 = no overlap (square root of the base-2 Jensen-Shannon divergence); p from a paired permutation test.",
          head: ['distribution', 'distance', 'p'],
          align: ['l', 'r', 'r'],
          rows: overallDist.map((d) => [d.kind === 'l3' ? 'top-level categories' : 'response types', d.distance.toFixed(3), pText(d.p)]),
        },
      ],
    },
  ];
}

export interface DiffReportInput {
  diff: DiffFile;
  view: DiffView;
  gate: GateResult | null;
  watchlist: ReadonlySet<string>;
  parents: ReadonlyMap<string, string>;
}

export function diffReport(input: DiffReportInput, tail: Omit<ReportTail, 'footer'>): { title: string; blocks: Block[] } {
  const { diff, view, gate } = input;
  const level = levelText(diff.settings.level ?? 0.95);
  const blocks: Block[] = [
    ...summaryBlocks(view, gate, diff, level),
    ...gateBlocks(gate, view),
    ...correctedGateBlocks(gate),
    ...correctedDiffBlocks(diff),
    ...changeFamilyBlocks(diff, view, input.watchlist, input.parents),
    ...appearedBlocks(view),
    ...watchHitBlocks(view, 'Watch-list hits in the candidate'),
    ...distanceBlocks(diff),
  ];
  if (view.notes.length > 0)
    blocks.push({ kind: 'heading', level: 3, text: 'Comparability', id: 'comparability' }, { kind: 'list', items: view.notes });
  const judges = judgesOf(tail.pairs, [...diff.base.judgeIds, ...diff.cand.judgeIds]);
  const footer = `${judges} Test: ${diff.settings.test}; q: ${qFamilyText(diffQFamily(diff))}${gate ? `, gate rules: ${qFamilyText(gateQFamily(gate))}` : ''}; ${level} intervals; Jensen-Shannon p-values from ${diff.settings.resamples} resamples, seed ${diff.settings.seed}. ${TAXONOMY_CREDIT}. valuescope ${diff.harnessVersion}.`;
  blocks.push(...tailBlocks({ ...tail, footer }));
  return { title: `valuescope diff — ${view.baseLabel} → ${view.candidateLabel}`, blocks };
}

/** Values seen on one side only: counted in report.md, listed in report.html. */
function appearedBlocks(view: DiffView): Block[] {
  if (view.appeared.length === 0 && view.vanished.length === 0) return [];
  return [
    {
      kind: 'para',
      text: `Values only the candidate expressed: ${view.appeared.length}; values only the base expressed: ${view.vanished.length} (listed in report.html and diff.json).`,
    },
    {
      kind: 'details',
      htmlOnly: true,
      summary: 'Values that appeared or vanished',
      blocks: [...valueList('Values that appeared', view.appeared, 'in'), ...valueList('Values that vanished', view.vanished, 'was in')],
    },
  ];
}
