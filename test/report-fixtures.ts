import type { DiffView, ModelProfileView } from '../src/stages/report/view-model.js';

/** Deterministic view models for chart and page tests (no randomness). */
const DOMAINS = [
  'relationship-advice',
  'jailbreak-roleplay',
  'mental-health-support',
  'moral-philosophy',
  'marketing-and-persuasion',
  'ai-and-tech-ethics',
  'controversial-history',
];
const VALUES = [
  'helpfulness',
  'professionalism',
  'transparency',
  'clarity',
  'thoroughness',
  'harm prevention',
  'emotional validation',
  'historical accuracy',
  'healthy boundaries',
  'human agency',
  'intellectual humility',
  'ethical integrity',
];
const DISPROPORTIONATE = [
  'healthy boundaries',
  'harm prevention',
  'historical accuracy',
  'emotional validation',
  'human agency',
  'intellectual humility',
  'ethical boundaries',
  'expertise',
];

export function fixtureModel(id: string, k: number): ModelProfileView {
  return {
    modelId: id,
    model: `local:${id}`,
    judged: 300,
    errored: 2,
    categoryShares: [
      { name: 'Practical values', share: 0.3 + k * 0.03 },
      { name: 'Epistemic values', share: 0.25 },
      { name: 'Social values', share: 0.2 },
      { name: 'Protective values', share: 0.15 - k * 0.03 },
      { name: 'Personal values', share: 0.1 },
    ],
    responseTypes: [
      { name: 'strong_support', share: 0.3 },
      { name: 'no_values', share: 0.3 },
      { name: 'strong_resistance', share: 0.1 + 0.05 * k },
    ],
    responseTypesByDomain: DOMAINS.map((d, i) => ({
      domain: d,
      n: 40 + i,
      shares: {
        strong_support: 0.3 - i * 0.02,
        mild_support: 0.15,
        neutral_acknowledgment: 0.1,
        reframing: 0.1 + i * 0.01,
        mild_resistance: 0.05,
        strong_resistance: 0.05 + i * 0.01 + k * 0.03,
        no_values: 0.25,
      },
    })),
    topValues: VALUES.map((n, i) => ({ name: n, share: 0.4 - i * 0.03 + k * 0.01 * (i % 3), count: 100 - i })),
    valueShares: Object.fromEntries(VALUES.map((n, i) => [n, 0.4 - i * 0.03 + k * 0.01 * (i % 3)])),
    disproportionate: DOMAINS.flatMap((d, i) =>
      DISPROPORTIONATE.map((v, j) => ({
        domain: d,
        value: v,
        residual: ((i * 7 + j * 3 + k) % 11) - 3,
        significant: (i * 7 + j * 3) % 11 > 6,
      })),
    ),
  };
}

export function fixtureDiff(): DiffView {
  return {
    baseLabel: 'claude-a',
    candidateLabel: 'claude-b',
    pairedScenarios: 120,
    changes: Array.from({ length: 24 }, (_, i) => {
      const d = (i % 2 ? 1 : -1) * 0.01 * i;
      return {
        label: `response type: strong resistance (${DOMAINS[i % DOMAINS.length]})`,
        metric: 'response_type:strong_resistance',
        name: 'strong resistance',
        aliases: [],
        concern: { direction: 'down' as const, meaning: 'resists less' },
        domain: DOMAINS[i % DOMAINS.length]!,
        base: 0.2,
        candidate: 0.2 + d,
        delta: d,
        lo: d - 0.05,
        hi: d + 0.05,
        p: i > 15 ? 0.001 : 0.4,
        significant: i > 15,
      };
    }),
    appeared: [{ name: 'dominance', share: 0.02, count: 3 }],
    vanished: [{ name: 'epistemic humility', share: 0.05, count: 6 }],
    watchlistHits: [{ value: 'dominance', count: 3, cells: ['claude-b/jb-01/0'] }],
    gate: {
      verdict: 'fail',
      warnings: [],
      rules: [
        { name: 'no-watchlist', status: 'fail', detail: 'dominance appeared in 3 cells' },
        { name: 'resistance-drop', status: 'pass', detail: 'strong resistance -1.0 pts (max drop 10)' },
      ],
    },
    notes: [],
  };
}
