import type { Manifest } from '../../records/manifest.js';
import { metricKey } from '../../records/metric-key.js';
import { describeServedModels, type ModelProfile, type ProfileFile } from '../../records/profile.js';
import { TAXONOMY_CREDIT } from '../../taxonomy/credit.js';
import { type Block, pctText, type TableCell } from './blocks.js';
import { correctedProfileBlocks } from './content-corrected.js';
import { categoryTable, contextTable, judgeLine, responseTypeTable, summaryTable, topValuesTable } from './content-tables.js';
import type { ModelProfileView } from './view-model.js';

export interface ProfilePair {
  view: ModelProfileView;
  profile: ModelProfile;
}

/** Blocks shared by run and diff reports: the side-by-side profile tables. */
export function profileSections(pairs: readonly ProfilePair[]): Block[] {
  const views = pairs.map((p) => p.view);
  const blocks: Block[] = [
    { kind: 'heading', level: 3, text: 'Profiles', id: 'summary' },
    summaryTable(pairs),
    { kind: 'heading', level: 3, text: "Response to the user's values", id: 'response-types' },
    responseTypeTable(views),
    { kind: 'heading', level: 3, text: 'Top-level value categories', id: 'categories' },
    categoryTable(views),
    { kind: 'heading', level: 3, text: 'Most frequent values', id: 'top-values' },
    topValuesTable(views),
  ];
  const ctx = contextTable(pairs);
  blocks.push({ kind: 'heading', level: 3, text: 'Values that depend on the domain', id: 'context' });
  blocks.push(ctx ?? { kind: 'para', text: 'No value is significantly over-represented in any domain (adjusted residuals, Bonferroni).' });
  return blocks;
}

function watchBlocks(pairs: readonly ProfilePair[]): Block[] {
  const hits = pairs.flatMap(({ view, profile }) => profile.watchlist.hits.map((h) => ({ model: view.modelId, h })));
  const listed = pairs.some((p) => p.profile.watchlist.list.length > 0);
  if (!listed) return [];
  if (hits.length === 0) return [{ kind: 'para', text: 'Watch list: no hits.' }];
  return [
    { kind: 'heading', level: 3, text: 'Watch-list hits', id: 'watchlist' },
    {
      kind: 'table',
      head: ['model', 'value', 'cells', 'domains', 'example cells'],
      align: ['l', 'l', 'r', 'l', 'l'],
      rows: hits.map(({ model, h }) => [model, h.value, String(h.cells), h.domains.join(', '), h.cellIds.slice(0, 3).join(', ')]),
    },
  ];
}

/** "Served models (as the API reported them): m1 (gpt-5): gpt-5-2025-08-07 (fingerprint fp_…): 24 cells." None for older profiles. */
function servedModelsFact(pairs: readonly ProfilePair[]): string | null {
  const listed = pairs.flatMap(({ view, profile }) => {
    const s = profile.served;
    if (!s) return [];
    const mixed = s.identities.length > 1 ? ' — MIXED: more than one served identity' : '';
    return [`${view.modelId}${s.configured !== null ? ` (${s.configured})` : ''}: ${describeServedModels(s)}${mixed}`];
  });
  return listed.length > 0 ? `Served models (as the API reported them): ${listed.join('; ')}.` : null;
}

const HEADLINES: readonly { key: string; name: string }[] = [
  { key: metricKey.responseType('strong_resistance'), name: 'strong resistance' },
  { key: metricKey.refusalRate, name: 'refusal rate' },
  { key: metricKey.expectPass, name: 'expected response given' },
  { key: metricKey.responseType('strong_support'), name: 'strong support' },
];

/** The run's answer first: is it complete, and each model's headline shares with their intervals. */
function runSummary(profile: ProfileFile, manifest: Manifest | null, pairs: readonly ProfilePair[]): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 3, text: 'Summary', id: 'summary-top' }];
  if (manifest)
    blocks.push({
      kind: 'para',
      text: `Run ${manifest.runId}: ${manifest.status.replace(/_/g, ' ')}; ${manifest.counts.done} of ${manifest.counts.planned} cells done, ${manifest.counts.errored} errored; ${Object.keys(manifest.scenarios).length} scenarios × ${manifest.samples} samples.`,
    });
  if (pairs.length === 0) return blocks;
  const level = `${Math.round(profile.settings.level * 100)}%`;
  const cell = (p: ModelProfile, key: string): TableCell => {
    const m = p.overall.metrics[key];
    const ci = m && m.lo !== null && m.hi !== null ? ` [${pctText(m.lo)}, ${pctText(m.hi)}]` : '';
    return { text: `${pctText(m?.estimate)}${ci}`, title: key, link: { metric: key, domain: null } };
  };
  blocks.push({
    kind: 'table',
    id: 'headlines',
    caption: `Headline shares per model with their ${level} intervals (clustered by scenario); expected response: of responses to scenarios with an expectation. Click a figure for its transcripts.`,
    head: ['model', 'judged', ...HEADLINES.map((h) => h.name), 'watch-list hits'],
    align: ['l', 'r', ...HEADLINES.map(() => 'r' as const), 'r'],
    rows: pairs.map(({ view, profile: p }) => [
      view.modelId,
      String(p.overall.judged),
      ...HEADLINES.map((h) => cell(p, h.key)),
      String(p.watchlist.hits.reduce((n, h) => n + h.cells, 0)),
    ]),
  });
  return blocks;
}

export function profileReport(
  profile: ProfileFile,
  manifest: Manifest | null,
  pairs: readonly ProfilePair[],
  provenance: Block[],
): { title: string; blocks: Block[] } {
  const runId = profile.runId ?? manifest?.runId ?? 'run';
  const facts: string[] = [];
  const served = servedModelsFact(pairs);
  if (served) facts.push(served);
  // Only when some were reused: provenance says "no answer reused" otherwise.
  const cached = pairs.filter((p) => p.view.cachedAnswers !== undefined && (p.profile.answers?.cached ?? 0) > 0);
  if (cached.length > 0)
    facts.push(
      `Answers reused from the response cache or an earlier run (not requested for this run): ${cached.map((p) => `${p.view.modelId} ${p.view.cachedAnswers}`).join('; ')}.`,
    );
  const { interval, level, resamples, seed } = profile.settings;
  // Analytic intervals draw nothing; only the older bootstrap profiles have resamples to state.
  const drawn = interval.startsWith('cluster-bootstrap') ? `, ${resamples} resamples, seed ${seed}` : '';
  const blocks: Block[] = [
    ...runSummary(profile, manifest, pairs),
    ...(facts.length > 0 ? [{ kind: 'list', items: facts } as Block] : []),
    ...watchBlocks(pairs),
    ...(pairs.length > 0 ? profileSections(pairs) : []),
    ...correctedProfileBlocks(pairs),
    ...provenance,
    ...(pairs.length > 0 ? [{ kind: 'heading', level: 3, text: 'Charts', id: 'charts' } as Block, { kind: 'charts' } as Block] : []),
  ];
  if (profile.notes.length > 0) blocks.push({ kind: 'heading', level: 3, text: 'Notes' }, { kind: 'list', items: profile.notes });
  blocks.push({
    kind: 'para',
    muted: true,
    text: `${judgeLine(pairs.map((p) => p.profile))} Intervals: ${Math.round(level * 100)}% ${interval}${drawn}. ${TAXONOMY_CREDIT}. Published reference shares from the same source. valuescope ${profile.harnessVersion}.`,
  });
  return { title: `valuescope profile — ${runId}`, blocks };
}
