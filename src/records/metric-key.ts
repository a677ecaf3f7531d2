/**
 * Metric keys: how profile.json, diff.json, gate rules and reports name a metric. They are built and
 * parsed only here, so a producer and a reader can never disagree on a spelling.
 *
 *   response_type:<type>               share of judged cells with that response type           (denominator: judged)
 *   refusal:<none|partial|full>        share of judged cells with that refusal level            (judged)
 *   refusal_rate                       share of judged cells with a partial or full refusal     (judged)
 *   expect_pass                        share of judged cells with `expect` whose type is in it  (expect)
 *   any_value                          share of judged cells expressing at least one AI value   (judged)
 *   value:<name>                       share of judged cells expressing that (normalised) value (judged)
 *   category:<l1|l2|l3>:<name>         share of judged cells expressing a value in the category (judged)
 *   mirroring                          share of cells where the user states values in which an
 *                                      AI value equals one of them (normalised names)            (user_values)
 *   user_values:response_type:<type>   response-type mix of cells where the user states values  (user_values)
 * Taxonomy level names follow values_tree.csv: l3 is the top level (5 categories), l1 the finest (266).
 */

export const DENOMINATORS = ['judged', 'expect', 'user_values'] as const;
export type Denominator = (typeof DENOMINATORS)[number];

export type TaxonomyLevel = 'l1' | 'l2' | 'l3';

/** Prefixes of the parameterised keys; `prefix + name` is the key (hot paths build keys this way). */
export const METRIC_PREFIX = {
  responseType: 'response_type:',
  refusal: 'refusal:',
  value: 'value:',
  category: { l1: 'category:l1:', l2: 'category:l2:', l3: 'category:l3:' },
  userValuesResponseType: 'user_values:response_type:',
} as const;

export const metricKey = {
  responseType: (t: string) => `${METRIC_PREFIX.responseType}${t}`,
  refusal: (r: string) => `${METRIC_PREFIX.refusal}${r}`,
  value: (name: string) => `${METRIC_PREFIX.value}${name}`,
  category: (level: TaxonomyLevel, name: string) => `${METRIC_PREFIX.category[level]}${name}`,
  userValuesResponseType: (t: string) => `${METRIC_PREFIX.userValuesResponseType}${t}`,
  refusalRate: 'refusal_rate',
  expectPass: 'expect_pass',
  anyValue: 'any_value',
  mirroring: 'mirroring',
} as const;

export type ParsedMetric =
  | { family: 'response_type' | 'refusal' | 'value' | 'user_values_response_type'; name: string }
  | { family: 'category'; level: TaxonomyLevel; name: string }
  | { family: 'refusal_rate' | 'expect_pass' | 'any_value' | 'mirroring' | 'other'; name: string };

export function parseMetricKey(metric: string): ParsedMetric {
  const after = (prefix: string) => metric.slice(prefix.length);
  for (const level of ['l1', 'l2', 'l3'] as const) {
    if (metric.startsWith(METRIC_PREFIX.category[level])) return { family: 'category', level, name: after(METRIC_PREFIX.category[level]) };
  }
  if (metric.startsWith(METRIC_PREFIX.userValuesResponseType)) {
    return { family: 'user_values_response_type', name: after(METRIC_PREFIX.userValuesResponseType) };
  }
  if (metric.startsWith(METRIC_PREFIX.responseType)) return { family: 'response_type', name: after(METRIC_PREFIX.responseType) };
  if (metric.startsWith(METRIC_PREFIX.refusal)) return { family: 'refusal', name: after(METRIC_PREFIX.refusal) };
  if (metric.startsWith(METRIC_PREFIX.value)) return { family: 'value', name: after(METRIC_PREFIX.value) };
  if (metric === 'refusal_rate' || metric === 'expect_pass' || metric === 'any_value' || metric === 'mirroring') {
    return { family: metric, name: metric };
  }
  return { family: 'other', name: metric };
}

/** Which denominator a metric key uses. */
export function metricDenominator(metric: string): Denominator {
  if (metric === metricKey.expectPass) return 'expect';
  if (metric === metricKey.mirroring || metric.startsWith(METRIC_PREFIX.userValuesResponseType)) return 'user_values';
  return 'judged';
}

/**
 * Which metric of a group of duplicates or complements (docs/statistics.md, "Duplicates and
 * complements") is reported and tested: lower first. The named summary metrics before their parts,
 * coarse categories before fine ones, categories before single values, so the representative is
 * the one with per-domain rows and the broadest meaning (refusal_rate stands for 1 − refusal:none;
 * a category for the only value seen in it).
 */
export function representativeRank(metric: string): number {
  const m = parseMetricKey(metric);
  if (m.family === 'category') return { l3: 7, l2: 8, l1: 9 }[m.level];
  const rank: Record<Exclude<ParsedMetric['family'], 'category'>, number> = {
    response_type: 0,
    refusal_rate: 1,
    refusal: 2,
    expect_pass: 3,
    any_value: 4,
    mirroring: 5,
    user_values_response_type: 6,
    value: 10,
    other: 11,
  };
  return rank[m.family];
}

/** What a metric's share is a share of, in the words reports use: "responses", "responses with an expectation", ... */
export function shareBaseText(metric: string): string {
  const d = metricDenominator(metric);
  return d === 'expect' ? 'responses with an expectation' : d === 'user_values' ? 'responses where the user states values' : 'responses';
}
