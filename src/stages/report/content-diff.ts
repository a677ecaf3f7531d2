import { type DiffFile, diffQFamily, type GateResult, gateQFamily, qFamilyText } from '../../records/diff.js';
import { shareBaseText } from '../../records/metric-key.js';
import { TAXONOMY_CREDIT } from '../../taxonomy/credit.js';
import { type Block, intervalText, pctText, pText, ptsText, VERDICT_TEXT } from './blocks.js';
import { type ProfilePair, profileSections } from './content-profile.js';
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

/** "1 passed, 2 failed, 1 inconclusive" (older gate files without counts: counted from the rules). */
function countsText(gate: GateResult): string {
  const c = gate.counts ?? { pass: 0, fail: 0, inconclusive: 0, error: 0 };
  if (!gate.counts) for (const r of gate.rules) c[r.status]++;
  const parts = [`${c.pass} passed`, `${c.fail} failed`];
  if (c.inconclusive > 0) {
    const policy = (gate.onInconclusive ?? 'fail') === 'fail' ? 'counted as failing' : 'let through';
    parts.push(`${c.inconclusive} inconclusive (${policy}: gate.onInconclusive)`);
  }
  if (c.error > 0) parts.push(`${c.error} errored`);
  return parts.join(', ');
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
  const failed = gate.rules.filter((r) => r.status !== 'pass').length;
  const level = `${Math.round((1 - gate.alpha) * 1000) / 10}%`;
  return [
    {
      kind: 'verdict',
      status: gate.verdict,
      text: `${failed} of ${gate.rules.length} rules did not pass: ${countsText(gate)} (${view.candidateLabel} vs ${view.baseLabel}, ${gate.sharedScenarios} paired scenarios).`,
    },
    {
      kind: 'table',
      caption: `Each rule's numbers as gate.json holds them; shares are of ${gateShareBases(gate)}.`,
      head: [
        'rule',
        'status',
        'Δ',
        `${level} CI (pts)`,
        'margin (pts)',
        `q (${qFamilyText(gateQFamily(gate))})`,
        'MDE (80% power)',
        'detail',
      ],
      align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'l'],
      rows: gate.rules.map((r) => [
        r.name,
        VERDICT_TEXT[r.status],
        ptsText(r.delta),
        intervalText(r.lo, r.hi),
        r.kind !== 'metric' ? '—' : marginCell(r.margin),
        pText(r.q),
        r.mde === null ? '—' : `${(r.mde * 100).toFixed(1)} pts`,
        r.message,
      ]),
    },
    ...(gate.warnings.length ? [{ kind: 'list', items: gate.warnings.map((w) => `note: ${w}`) } as Block] : []),
  ];
}

function watchHitBlocks(view: DiffView, heading: string): Block[] {
  if (view.watchlistHits.length === 0) return [];
  return [
    { kind: 'para', strong: true, text: heading },
    { kind: 'list', items: view.watchlistHits.map((h) => `${h.value}: ${cellsText(h.count)} (e.g. ${h.cells.slice(0, 3).join(', ')})`) },
  ];
}

/** A gate run without diff.json: verdict, rules, then the profiles of both sides. */
export function gateReport(gate: GateResult, view: DiffView, pairs: readonly ProfilePair[]): { title: string; blocks: Block[] } {
  const blocks: Block[] = [...gateBlocks(gate, view)];
  if (view.answers) blocks.push({ kind: 'para', text: view.answers });
  blocks.push(...watchHitBlocks(view, 'Forbidden values found in the candidate'));
  if (pairs.length > 0)
    blocks.push({ kind: 'heading', level: 3, text: 'Profiles side by side', id: 'profiles' }, ...profileSections(pairs));
  blocks.push({ kind: 'heading', level: 3, text: 'Charts', id: 'charts' }, { kind: 'charts' });
  const judges =
    pairs.length > 0
      ? judgeLine(pairs.map((p) => p.profile))
      : `Judge: ${[...new Set([...gate.base.judgeIds, ...gate.cand.judgeIds])].join(', ')}.`;
  blocks.push({
    kind: 'para',
    muted: true,
    text: `${judges} Significance level ${gate.alpha}; q: ${qFamilyText(gateQFamily(gate))}. ${TAXONOMY_CREDIT}.`,
  });
  return { title: `valuescope gate — ${view.baseLabel} → ${view.candidateLabel}`, blocks };
}

/**
 * How many metrics changed and a table of them; with none significant, the largest overall changes
 * instead. Metrics a gate rule guards are in the gate table only, with the gate's numbers.
 */
function changeBlocks(diff: DiffFile, view: DiffView): Block[] {
  const family = qFamilyText(diffQFamily(diff));
  const own = view.changes.filter((c) => c.gateRule === undefined);
  const guarded = view.changes.length - own.length;
  const anySignificant = own.some((c) => c.significant);
  const blocks: Block[] = [
    { kind: 'heading', level: 3, text: 'Changes that matter', id: 'changes' },
    {
      kind: 'para',
      text: `${diff.summary.significant} of ${diff.summary.tested} tested metrics changed significantly (q < ${diff.settings.alpha}, ${family}) over ${diff.scenarios.shared} paired scenarios; ${view.candidateLabel} minus ${view.baseLabel}.${guarded > 0 ? ` The ${guarded} metric${guarded === 1 ? '' : 's'} a gate rule guards ${guarded === 1 ? 'is' : 'are'} in the gate table above, with the gate's q.` : ''}`,
    },
  ];
  const shown = anySignificant ? own.filter((c) => c.significant) : own.filter((c) => c.p !== undefined && c.domain === null).slice(0, 5);
  if (shown.length === 0) return blocks;
  if (!anySignificant) blocks.push({ kind: 'para', text: 'Largest tested changes overall (none significant):' });
  const level = `${Math.round((diff.settings.level ?? 0.95) * 1000) / 10}%`;
  blocks.push({
    kind: 'table',
    caption: `Shares of the base named in "share of"; change in points, ${level} interval, q (${family}).`,
    head: ['metric', 'share of', view.baseLabel, view.candidateLabel, 'Δ', `${level} CI (pts)`, `q (${family})`],
    align: ['l', 'l', 'r', 'r', 'r', 'r', 'r'],
    rows: shown.map((c) => [
      c.label,
      c.shareOf ?? 'responses',
      pctText(c.base),
      pctText(c.candidate),
      ptsText(c.delta),
      intervalText(c.lo, c.hi),
      pText(c.q),
    ]),
  });
  return blocks;
}

function distanceBlocks(diff: DiffFile): Block[] {
  const overallDist = diff.distances.filter((d) => d.domain === null);
  if (overallDist.length === 0) return [];
  return [
    { kind: 'heading', level: 3, text: 'Distribution shifts', id: 'distances' },
    {
      kind: 'table',
      head: ['distribution', 'Jensen-Shannon distance', 'p'],
      align: ['l', 'r', 'r'],
      rows: overallDist.map((d) => [d.kind === 'l3' ? 'top-level categories' : 'response types', d.distance.toFixed(3), pText(d.p)]),
    },
  ];
}

export function diffReport(
  diff: DiffFile,
  view: DiffView,
  gate: GateResult | null,
  pairs: readonly ProfilePair[],
): { title: string; blocks: Block[] } {
  const blocks: Block[] = [
    ...gateBlocks(gate, view),
    ...changeBlocks(diff, view),
    ...valueList('Values that appeared', view.appeared, 'in'),
    ...valueList('Values that vanished', view.vanished, 'was in'),
    ...watchHitBlocks(view, 'Watch-list hits in the candidate'),
    ...distanceBlocks(diff),
  ];
  if (view.notes.length > 0) blocks.push({ kind: 'heading', level: 3, text: 'Comparability' }, { kind: 'list', items: view.notes });
  if (pairs.length > 0)
    blocks.push(
      { kind: 'heading', level: 3, text: 'Profiles side by side', id: 'profiles' },
      ...profileSections(pairs).filter((b) => !(b.kind === 'heading' && b.id === 'summary')),
    );
  blocks.push({ kind: 'heading', level: 3, text: 'Charts', id: 'charts' }, { kind: 'charts' });
  const judges =
    pairs.length > 0
      ? judgeLine(pairs.map((p) => p.profile))
      : `Judge: ${[...new Set([...diff.base.judgeIds, ...diff.cand.judgeIds])].join(', ')}.`;
  blocks.push({
    kind: 'para',
    muted: true,
    text: `${judges} Test: ${diff.settings.test}; q: ${qFamilyText(diffQFamily(diff))}${gate ? `, gate rules: ${qFamilyText(gateQFamily(gate))}` : ''}; ${Math.round((diff.settings.level ?? 0.95) * 1000) / 10}% intervals; Jensen-Shannon p-values from ${diff.settings.resamples} resamples, seed ${diff.settings.seed}. ${TAXONOMY_CREDIT}. valuescope ${diff.harnessVersion}.`,
  });
  return { title: `valuescope diff — ${view.baseLabel} → ${view.candidateLabel}`, blocks };
}
