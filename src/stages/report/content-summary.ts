import type { DiffFile, GateResult, GateRuleResult } from '../../records/diff.js';
import { type Block, type CellLink, intervalText, pctText, ptsText, type TableCell, VERDICT_TEXT } from './blocks.js';
import { changeReading, readChange } from './concern.js';
import type { ChangeView, DiffView } from './view-model.js';

/**
 * The top of a diff or gate report: the answer a release meeting came for, in sentences. The verdict
 * and why; the few largest changes that matter with their direction of harm and interval; what the
 * gate could not see. Every figure is formatted from diff.json / gate.json (the same formatters as
 * the tables below), never recomputed.
 */
export function summaryBlocks(view: DiffView, gate: GateResult | null, diff: DiffFile | null, level: string): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 3, text: 'Summary', id: 'summary-top' }];
  if (gate) blocks.push(verdictBlock(gate, view), ...whyBlocks(gate, level));
  else
    blocks.push({
      kind: 'para',
      text: 'No gate ran on this diff: it shows what changed, it does not pass or fail; valuescope gate decides against declared margins.',
    });
  // The MDE right after the why: at 1440 x 900 the verdict, the why and what the gate could not see are above the fold.
  blocks.push(...unseenBlocks(gate, diff), ...largestBlocks(view, level));
  return blocks;
}

function countsText(gate: GateResult): string {
  const c = { pass: 0, fail: 0, inconclusive: 0, error: 0 };
  for (const r of gate.rules) c[r.status]++;
  const parts = [`${c.pass} passed`, `${c.fail} failed`];
  if (c.inconclusive > 0)
    parts.push(`${c.inconclusive} inconclusive (${(gate.onInconclusive ?? 'fail') === 'fail' ? 'counted as failing' : 'let through'})`);
  if (c.error > 0) parts.push(`${c.error} errored`);
  return parts.join(', ');
}

function verdictBlock(gate: GateResult, view: DiffView): Block {
  return {
    kind: 'verdict',
    status: gate.verdict,
    text: `${countsText(gate)} of ${gate.rules.length} rules; ${view.candidateLabel} (candidate) against ${view.baseLabel} (base), ${gate.sharedScenarios} paired scenarios.`,
  };
}

function marginText(m: GateRuleResult['margin']): string {
  const parts: string[] = [];
  if (m.maxDrop !== undefined) parts.push(`a drop of ${(m.maxDrop * 100).toFixed(1)}`);
  if (m.maxRise !== undefined) parts.push(`a rise of ${(m.maxRise * 100).toFixed(1)}`);
  if (m.maxChange !== undefined) parts.push(`a change of ${(m.maxChange * 100).toFixed(1)}`);
  return parts.length > 0 ? `${parts.join(' or ')} pts` : 'no margin';
}

/** One sentence per rule that did not pass; the passing ones named together. */
function ruleSentence(r: GateRuleResult, level: string): string {
  const status = VERDICT_TEXT[r.status];
  if (r.kind !== 'metric' || r.delta === null) return `${r.name} ${status}: ${r.message}`;
  const moved = `${pctText(r.base)} → ${pctText(r.cand)} (${ptsText(r.delta)}, ${level} CI ${intervalText(r.lo, r.hi)})`;
  if (r.status === 'fail') return `${r.name} ${status}: ${moved}, beyond its margin (${marginText(r.margin)}) and significant.`;
  if (r.status === 'inconclusive') {
    const mde = r.mde !== null ? ` At this suite size the rule sees changes of ${(r.mde * 100).toFixed(1)} pts or more.` : '';
    const more =
      r.samplesNeeded || r.scenariosNeeded
        ? ` About ${[r.samplesNeeded ? `${r.samplesNeeded} samples per scenario` : '', r.scenariosNeeded ? `${r.scenariosNeeded} scenarios` : ''].filter(Boolean).join(' or ')} would decide it.`
        : '';
    return `${r.name} ${status}: ${moved}; the interval reaches past the margin (${marginText(r.margin)}) but the data cannot tell.${mde}${more}`;
  }
  return `${r.name} ${status}: ${r.message}`;
}

function whyBlocks(gate: GateResult, level: string): Block[] {
  const open = gate.rules.filter((r) => r.status !== 'pass');
  const passed = gate.rules.filter((r) => r.status === 'pass').map((r) => r.name);
  const items = open.map((r) => ruleSentence(r, level));
  if (passed.length > 0) items.push(`Passed: ${passed.join(', ')}.`);
  return [{ kind: 'list', items }];
}

/** Concerning changes first, then the largest; overall rows before per-domain ones. */
function largest(view: DiffView, n: number): ChangeView[] {
  const rank = (c: ChangeView) => (readChange(c.delta, c.concern) === 'concerning' ? 0 : 1) + (c.domain === null ? 0 : 2);
  return view.changes
    .filter((c) => c.significant)
    .sort((a, b) => rank(a) - rank(b) || Math.abs(b.delta) - Math.abs(a.delta))
    .slice(0, n);
}

/** A change's link in report.html: its paired examples when found, else the cells counting in it. */
export function changeLink(c: ChangeView): CellLink | null {
  if (c.exampleId) return { example: c.exampleId };
  return c.metric ? { metric: c.metric, domain: c.domain } : null;
}

/** The metric's name, its technical key on hover. */
export function nameCell(c: ChangeView, text: string): TableCell {
  return { text, title: [c.metric, ...c.aliases].filter(Boolean).join(' ') };
}

function largestBlocks(view: DiffView, level: string): Block[] {
  const top = largest(view, 5);
  if (top.length === 0)
    return [{ kind: 'para', text: 'No metric changed significantly: no change below is distinguishable from sampling noise.' }];
  return [
    {
      kind: 'table',
      id: 'top-changes',
      caption: `The ${top.length} largest significant changes, concerning ones first (candidate minus base; click a row for example transcripts).`,
      head: ['change', 'share of', `${view.baseLabel} → ${view.candidateLabel}`, 'Δ', `${level} CI (pts)`, 'reading'],
      align: ['l', 'l', 'r', 'r', 'r', 'l'],
      rows: top.map((c) => [
        nameCell(c, c.gateRule ? `${c.name} (gate rule: ${c.gateRule})` : c.domain ? `${c.name} (${c.domain})` : c.name),
        c.shareOf ?? 'responses',
        `${pctText(c.base)} → ${pctText(c.candidate)}`,
        ptsText(c.delta),
        intervalText(c.lo, c.hi),
        changeReading(c.delta, c.concern),
      ]),
      rowLinks: top.map(changeLink),
    },
  ];
}

/** What the gate could not see: each metric rule's MDE, untested rare metrics, scenarios left out. */
function unseenBlocks(gate: GateResult | null, diff: DiffFile | null): Block[] {
  const items: string[] = [];
  for (const r of gate?.rules ?? [])
    if (r.kind === 'metric' && r.mde !== null)
      items.push(`${r.name}: changes smaller than ${(r.mde * 100).toFixed(1)} pts (MDE, 80% power)`);
  if (diff) {
    const untested = diff.metrics.filter((m) => m.p === null && m.delta !== null).length;
    if (untested > 0)
      items.push(`${untested} metric rows too rare to test (fewer than ${diff.settings.minCount} cells on both sides together)`);
    const out = diff.scenarios.baseOnly.length + diff.scenarios.candOnly.length + diff.scenarios.changed.length;
    if (out > 0) items.push(`${out} scenarios not on both sides or changed between the runs: left out of every comparison`);
  }
  if (items.length === 0) return [];
  return [
    { kind: 'para', strong: true, text: 'What this comparison could not see' },
    { kind: 'list', items },
  ];
}
