import { type CorrectedMetric, type LabelProvenance, labelProvenanceText } from '../../records/corrected-estimates.js';
import type { DiffFile, GateResult } from '../../records/diff.js';
import { type Block, intervalText, levelText, pctText, ptsText, type TableCell } from './blocks.js';
import type { ProfilePair } from './content-profile.js';

/**
 * Judge-corrected figures (docs/statistics.md, "Judge-corrected estimates") beside the judge-only ones,
 * when profile/diff/gate were given human labels. The judge-only figures elsewhere in the report are
 * unchanged; these tables say what the labels change.
 */

/** The provenance lines of the labels: count, annotators, draw, the judge's measured agreement. */
export function labelProvenanceLines(sides: readonly { label: string; labels: LabelProvenance }[]): string[] {
  return sides.map((s) => `Human labels, ${s.label}: ${labelProvenanceText(s.labels)}.`);
}

const shareCell = (m: CorrectedMetric): TableCell =>
  m.sufficient && m.estimate !== null ? `${pctText(m.estimate)} [${pctText(m.lo)}, ${pctText(m.hi)}]` : 'not corrected';

/** Per model: each metric the labels speak to, judge alone beside corrected and labels alone; corrected ones first. */
export function correctedProfileBlocks(pairs: readonly ProfilePair[]): Block[] {
  const rows = pairs.flatMap(({ view, profile }) =>
    Object.entries(profile.corrected?.metrics ?? {})
      .sort((a, b) => Number(b[1].sufficient) - Number(a[1].sufficient) || (a[0] < b[0] ? -1 : 1))
      .map(([metric, m]): TableCell[] => [
        view.modelId,
        { text: metric, title: metric, link: { metric, domain: null } },
        pctText(m.judgeOnly),
        shareCell(m),
        m.humanOnly ? `${pctText(m.humanOnly.estimate)} [${pctText(m.humanOnly.lo)}, ${pctText(m.humanOnly.hi)}]` : '—',
        String(m.labelled),
        m.sufficient ? `λ ${m.lambda?.toFixed(2) ?? '—'}` : `too few labels: ${m.reason ?? ''}`,
      ]),
  );
  if (rows.length === 0) return [];
  const level = levelText(pairs.find((p) => p.profile.corrected)?.profile.corrected?.level ?? 0.95);
  return [
    { kind: 'heading', level: 3, text: 'Judge-corrected shares (human labels)', id: 'corrected' },
    {
      kind: 'table',
      caption: `The judge's share beside the share corrected by human labels of a random sample of cells (prediction-powered, ${level} intervals clustered by scenario) and the labels alone. A metric with too few labels is not corrected, and says why.`,
      head: ['model', 'metric', 'judge alone', 'judge-corrected', 'labels alone', 'labelled', 'note'],
      align: ['l', 'l', 'r', 'r', 'r', 'r', 'l'],
      rows,
      mdLimit: 12,
    },
  ];
}

/** The diff's overall changes the labels speak to: the judge's change beside the corrected one. */
export function correctedDiffBlocks(diff: DiffFile): Block[] {
  const rows = diff.metrics.filter((r) => r.corrected !== undefined);
  if (rows.length === 0) return [];
  const level = levelText(diff.settings.level ?? 0.95);
  return [
    { kind: 'heading', level: 3, text: 'Judge-corrected changes (human labels)', id: 'corrected' },
    {
      kind: 'table',
      caption: `Each change as the judge reads it beside the change corrected by human labels (${level} intervals, paired by scenario). A metric with too few labels on either side is not corrected, and says why.`,
      head: ['metric', 'judge alone', 'judge-corrected', 'interval', 'labels alone', 'note'],
      align: ['l', 'r', 'r', 'r', 'r', 'l'],
      rows: rows.map((r) => {
        const c = r.corrected!;
        return [
          { text: r.metric, title: r.metric, link: { metric: r.metric, domain: null } },
          ptsText(c.judgeOnly),
          c.sufficient ? ptsText(c.estimate) : 'not corrected',
          intervalText(c.lo, c.hi),
          c.humanOnly ? `${ptsText(c.humanOnly.estimate)} ${intervalText(c.humanOnly.lo, c.humanOnly.hi)}` : '—',
          c.sufficient ? '' : `too few labels: ${c.reason ?? ''}`,
        ];
      }),
      mdLimit: 12,
    },
  ];
}

/** Which estimates decided the gate's metric rules; said only when they were the corrected ones. */
export function correctedGateBlocks(gate: GateResult | null): Block[] {
  if (gate?.decideOn !== 'corrected') return [];
  return [
    {
      kind: 'para',
      strong: true,
      text: "The gate decided its metric rules on judge-corrected estimates (gate.decideOn: corrected): each rule's change, interval and q above are corrected by human labels; a rule whose metric had too few labels is inconclusive and says so.",
    },
  ];
}
