import { closestName } from '../../../config/suggest.js';
import { UsageError } from '../../../core/errors.js';
import type { HistoryShare } from '../../../records/history.js';
import { METRIC_PREFIX, metricDenominator, metricKey, parseMetricKey } from '../../../records/metric-key.js';
import type { ProfileSection } from '../../../records/profile.js';
import { REFUSALS, RESPONSE_TYPES } from '../../../records/response-types.js';
import { normaliseValueName } from '../../../records/value-name.js';
import type { ModelTable } from '../load/scenario-table.js';
import { computeSections } from '../profile/profile-section.js';

/** The profile's interval level (build-profile.ts): each run's shares are shown as its profile.json shows them. */
export const PROFILE_LEVEL = 0.95;

/** The overall section of a target's profile, computed exactly as profile.json computes it. */
export function overallSection(table: ModelTable): ProfileSection {
  const scenarios = table.sortedScenarios();
  const domains = [...new Set(scenarios.map((s) => s.domain))].sort();
  return computeSections(scenarios, domains, PROFILE_LEVEL, 0, {}).overall;
}

/** A metric's share in one run; a metric the run never counts is 0 of its denominator (no interval). */
export function shareOf(section: ProfileSection, metric: string): HistoryShare {
  const p = section.metrics[metric];
  if (p) return { k: p.k, n: p.n, estimate: p.estimate, lo: p.lo, hi: p.hi };
  const n = section.denominators[metricDenominator(metric)];
  return { k: 0, n, estimate: n > 0 ? 0 : null, lo: null, hi: null };
}

export interface MetricChoice {
  metrics: string[];
  from: 'default' | 'flag';
  gateMetrics: string[];
  warnings: string[];
}

/**
 * The key metrics: every response type, the refusal rate, expect_pass and the response types of cells
 * where the user states values (when the runs have such cells), and the top-level (l3) categories
 * counted in any run. Sections are the runs' overall profile sections.
 */
function defaultMetrics(sections: readonly ProfileSection[], known: ReadonlySet<string>): string[] {
  const has = (d: 'expect' | 'user_values') => sections.some((s) => s.denominators[d] > 0);
  return [
    ...RESPONSE_TYPES.map(metricKey.responseType),
    metricKey.refusalRate,
    ...(has('expect') ? [metricKey.expectPass] : []),
    ...(has('user_values') ? RESPONSE_TYPES.map(metricKey.userValuesResponseType) : []),
    ...[...known].filter((k) => k.startsWith(METRIC_PREFIX.category.l3)).sort(),
  ];
}

/** Up to three known keys closest to a misspelt one. */
function closeMatches(input: string, known: readonly string[]): string[] {
  const pool = [...known];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const near = closestName(input, pool);
    if (near === undefined) break;
    out.push(near);
    pool.splice(pool.indexOf(near), 1);
  }
  return out;
}

/**
 * A key no run counts but that names a real metric: a value or category (any name), a response type,
 * or a named summary metric. A watched value that no run expressed is the healthy case, not a typo.
 */
function wellFormed(key: string): boolean {
  const m = parseMetricKey(key);
  if (m.family === 'other' || m.name === '') return false;
  if (m.family === 'response_type' || m.family === 'user_values_response_type')
    return (RESPONSE_TYPES as readonly string[]).includes(m.name);
  if (m.family === 'refusal') return (REFUSALS as readonly string[]).includes(m.name);
  return true;
}

/**
 * `--metrics a,b`: exact keys, each counted in at least one run, or a value of the watch list that no
 * run expressed (the healthy case: 0% in every run, with a note). Anything else uncounted (a misspelt
 * value or category, a key matching a counted one but for case) is refused: a scheduled
 * `--fail-on-drift` job would otherwise watch a row that can never move.
 */
function flagMetrics(list: readonly string[], known: ReadonlySet<string>, watched: ReadonlySet<string>, warnings: string[]): string[] {
  const given = [...new Set(list.flatMap((s) => s.split(',')).map((s) => s.trim()))].filter((s) => s !== '');
  if (given.length === 0)
    throw new UsageError('--metrics is empty: pass metric keys separated by commas, e.g. --metrics refusal_rate,expect_pass');
  const keys = given.map((k) => watchedValueKey(k, watched) ?? k);
  for (const k of keys) {
    if (known.has(k)) continue;
    if (watchedValueKey(k, watched) !== null) {
      warnings.push(`--metrics: no run expressed ${k} (on the watch list): it is 0% in every run`);
      continue;
    }
    const caseTwin = [...known].find((x) => x.toLowerCase() === k.toLowerCase());
    const near = caseTwin !== undefined ? [caseTwin] : closeMatches(k, [...known]);
    const unwatched = parseMetricKey(k).family === 'value' ? ' (a value no run expressed is accepted when it is on the watch list)' : '';
    throw new UsageError(
      `--metrics: unknown metric "${k}": none of the runs counts it.` +
        (near.length > 0 ? ` Close matches: ${near.join(', ')}.` : '') +
        unwatched +
        ' Keys are as in profile.csv\'s "metric" column: response_type:<type>, refusal_rate, expect_pass, category:l3:<name>, value:<name>, ...',
    );
  }
  return keys;
}

/**
 * The metrics a history shows and tests: `--metrics` (exact keys) or the defaults, plus the metrics
 * of the config's gate rules (what the team decided matters) that any run counts.
 */
export function chooseMetrics(
  sections: readonly ProfileSection[],
  o: {
    flag?: readonly string[] | undefined;
    gateRules: readonly { name: string; metric: string; domain?: string | undefined }[];
    watchlist?: readonly string[] | undefined;
  },
): MetricChoice {
  const known = new Set(sections.flatMap((s) => Object.keys(s.metrics)));
  const watched = new Set((o.watchlist ?? []).map(normaliseValueName));
  const warnings: string[] = [];
  const metrics = o.flag !== undefined ? flagMetrics(o.flag, known, watched, warnings) : defaultMetrics(sections, known);
  const gateMetrics: string[] = [];
  for (const rule of o.gateRules) {
    if (!known.has(rule.metric)) {
      if (!wellFormed(rule.metric)) {
        warnings.push(`gate rule "${rule.name}": ${rule.metric} is not a metric history can show, so it is left out`);
        continue;
      }
      warnings.push(`gate rule "${rule.name}": ${rule.metric} is counted in none of the runs: it is 0% in every run`);
    }
    if (rule.domain !== undefined)
      warnings.push(`gate rule "${rule.name}" guards ${rule.metric} in domain ${rule.domain}; history shows its share over all domains`);
    if (!metrics.includes(rule.metric) && !gateMetrics.includes(rule.metric)) gateMetrics.push(rule.metric);
  }
  return { metrics: [...metrics, ...gateMetrics], from: o.flag !== undefined ? 'flag' : 'default', gateMetrics, warnings };
}

/** `value:NAME` as the runs key it (normalised name) when NAME is on the watch list; null otherwise. */
function watchedValueKey(key: string, watched: ReadonlySet<string>): string | null {
  const m = parseMetricKey(key);
  if (m.family !== 'value') return null;
  const name = normaliseValueName(m.name);
  return watched.has(name) ? `${METRIC_PREFIX.value}${name}` : null;
}
