import type { DiffFile, GateResult } from '../analysis/diff-types.js';
import { TAXONOMY_CREDIT } from '../taxonomy/credit.js';
import { type Block, intervalText, pText, pctText, ptsText, VERDICT_TEXT } from './blocks.js';
import { judgeLine } from './content-tables.js';
import { type ProfilePair, profileSections } from './content-profile.js';
import type { DiffView } from './view-model.js';

function gateBlocks(gate: GateResult | null, view: DiffView): Block[] {
  if (!gate || !view.gate) return [];
  const failed = gate.rules.filter((r) => r.status !== 'pass').length;
  return [
    { kind: 'verdict', status: gate.verdict, text: `${failed} of ${gate.rules.length} rules did not pass (${view.candidateLabel} vs ${view.baseLabel}, ${gate.sharedScenarios} paired scenarios).` },
    {
      kind: 'table',
      head: ['rule', 'status', 'Δ', '95% CI (pts)', 'q', 'detail'],
      align: ['l', 'l', 'r', 'r', 'r', 'l'],
      rows: gate.rules.map((r) => [r.name, VERDICT_TEXT[r.status], ptsText(r.delta), intervalText(r.lo, r.hi), pText(r.q), r.message]),
    },
    ...(gate.warnings.length ? [{ kind: 'list', items: gate.warnings.map((w) => `warning: ${w}`) } as Block] : []),
  ];
}

export function diffReport(diff: DiffFile, view: DiffView, gate: GateResult | null, pairs: readonly ProfilePair[]): { title: string; blocks: Block[] } {
  const significant = diff.metrics.filter((m) => m.significant);
  const blocks: Block[] = [
    ...gateBlocks(gate, view),
    { kind: 'heading', level: 3, text: 'Changes that matter', id: 'changes' },
    {
      kind: 'para',
      text: `${diff.summary.significant} of ${diff.summary.tested} tested metrics changed significantly (Benjamini-Hochberg q < ${diff.settings.alpha}) over ${diff.scenarios.shared} paired scenarios; ${view.candidateLabel} minus ${view.baseLabel}.`,
    },
  ];
  if (significant.length > 0) {
    blocks.push({
      kind: 'table',
      head: ['metric', view.baseLabel, view.candidateLabel, 'Δ', '95% CI (pts)', 'q'],
      align: ['l', 'r', 'r', 'r', 'r', 'r'],
      rows: view.changes.filter((c) => c.significant).map((c) => [c.label, pctText(c.base), pctText(c.candidate), ptsText(c.delta), intervalText(c.lo, c.hi), pText(c.q)]),
    });
  }
  if (view.appeared.length > 0) blocks.push({ kind: 'para', strong: true, text: 'Values that appeared' }, { kind: 'list', items: view.appeared.map((v) => `${v.name}: ${v.count} cells (${pctText(v.share)})`) });
  if (view.vanished.length > 0) blocks.push({ kind: 'para', strong: true, text: 'Values that vanished' }, { kind: 'list', items: view.vanished.map((v) => `${v.name}: was in ${v.count} cells (${pctText(v.share)})`) });
  if (view.watchlistHits.length > 0) {
    blocks.push({ kind: 'para', strong: true, text: 'Watch-list hits in the candidate' }, { kind: 'list', items: view.watchlistHits.map((h) => `${h.value}: ${h.count} cells (e.g. ${h.cells.slice(0, 3).join(', ')})`) });
  }
  const overallDist = diff.distances.filter((d) => d.domain === null);
  if (overallDist.length > 0) {
    blocks.push(
      { kind: 'heading', level: 3, text: 'Distribution shifts', id: 'distances' },
      { kind: 'table', head: ['distribution', 'Jensen-Shannon distance', 'p'], align: ['l', 'r', 'r'], rows: overallDist.map((d) => [d.kind === 'l3' ? 'top-level categories' : 'response types', d.distance.toFixed(3), pText(d.p)]) },
    );
  }
  if (view.notes.length > 0) blocks.push({ kind: 'heading', level: 3, text: 'Comparability' }, { kind: 'list', items: view.notes });
  if (pairs.length > 0) blocks.push({ kind: 'heading', level: 3, text: 'Profiles side by side', id: 'profiles' }, ...profileSections(pairs).filter((b) => !(b.kind === 'heading' && b.id === 'summary')));
  blocks.push({ kind: 'heading', level: 3, text: 'Charts', id: 'charts' }, { kind: 'charts' });
  const judges = pairs.length > 0 ? judgeLine(pairs.map((p) => p.profile)) : `Judge: ${[...new Set([...diff.base.judgeIds, ...diff.cand.judgeIds])].join(', ')}.`;
  blocks.push({
    kind: 'para',
    muted: true,
    text: `${judges} Test: ${diff.settings.test}, ${diff.settings.resamples} resamples, seed ${diff.settings.seed}. ${TAXONOMY_CREDIT}. valuescope ${diff.harnessVersion}.`,
  });
  return { title: `valuescope diff — ${view.baseLabel} → ${view.candidateLabel}`, blocks };
}
