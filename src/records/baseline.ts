import { z } from 'zod';
import { ManifestSchema } from './manifest.js';

/**
 * A baseline file (`valuescope baseline save`): one target of one run, reduced to the sufficient
 * statistics diff and gate compute from (per scenario and metric: counts), the run's trimmed
 * manifest, the watch-list accumulators and the completeness recorded when it was saved. It holds no
 * transcript text, judge rationale, request or response content, secret or machine path, and no
 * wall-clock time of the save: the same run saved twice gives the same bytes (docs/baselines.md).
 */
export const BASELINE_KIND = 'valuescope-baseline';
export const BASELINE_VERSION = 1;

const Count = z.number().int().nonnegative();
/** key -> count; written with sorted keys. */
const Counts = z.record(z.string(), Count);

const BaselineScenarioSchema = z.strictObject({
  domain: z.string(),
  cells: Count,
  errored: Count,
  den: z.strictObject({ judged: Count, expect: Count, user_values: Count }),
  /** metric key (records/metric-key.ts) -> judged cells counting in it. */
  counts: Counts,
  valueMentions: Count,
});

/** A tracked value's hits: cell ids (never text), in the order the run's judgments listed them. */
const BaselineWatchSchema = z.strictObject({
  cells: Count,
  cellIds: z.array(z.string()),
  cellDomains: z.array(z.string()),
  scenarioIds: z.array(z.string()),
  domains: z.array(z.string()),
  byDomain: Counts,
});
export type BaselineWatch = z.infer<typeof BaselineWatchSchema>;

const BaselineTableSchema = z.strictObject({
  modelId: z.string(),
  scenarios: z.record(z.string(), BaselineScenarioSchema),
  judgeIds: z.array(z.string()),
  judgeHashes: z.array(z.string()),
  judgeModels: z.array(z.string()),
  errorKinds: Counts,
  /** Tracked value (normalised) -> its accumulator; values never expressed have none. */
  watch: z.record(z.string(), BaselineWatchSchema),
  duplicates: Count,
  cachedCells: Count,
  cachedFrom: Counts,
  /** Served identities (the API's model and fingerprint) with the cells each answered. */
  served: z.array(z.strictObject({ model: z.string(), fingerprint: z.string().optional(), cells: Count })),
  servedUnrecorded: Count,
});
export type BaselineTable = z.infer<typeof BaselineTableSchema>;

const BaselineCompletenessSchema = z.strictObject({
  status: ManifestSchema.shape.status,
  planned: Count,
  done: Count,
  models: z.array(z.strictObject({ modelId: z.string(), planned: Count.nullable(), judged: Count, judgeErrors: Count })),
  foreign: Count,
  shard: ManifestSchema.shape.shard,
});

/** The run's manifest without what a baseline must not carry: spend, machine paths (configFile, suitePaths). */
const BaselineManifestSchema = ManifestSchema.omit({ spend: true, configFile: true, suitePaths: true }).strict();
export type BaselineManifest = z.infer<typeof BaselineManifestSchema>;

export const BaselineFileSchema = z.strictObject({
  kind: z.literal(BASELINE_KIND),
  v: z.literal(BASELINE_VERSION),
  saved: z.strictObject({
    harnessVersion: z.string(),
    from: z.strictObject({ runId: z.string(), modelId: z.string() }),
  }),
  /** `models` holds the saved target's entry only; `notes` only the synthetic marker (records/synthetic.ts). */
  manifest: BaselineManifestSchema,
  table: BaselineTableSchema,
  /** Normalised values tracked when saved (watch list and every gate forbid value), sorted. */
  watchlist: z.array(z.string()),
  completeness: BaselineCompletenessSchema,
});
export type BaselineFile = z.infer<typeof BaselineFileSchema>;

/** The fields read before the full check, so a newer format or another kind of file gets its own message. */
export const BaselineHeaderSchema = z.object({ kind: z.unknown(), v: z.unknown() }).partial();

/**
 * Canonical JSON: keys sorted at every level (code-unit order, integer-like keys too), two-space
 * indent, one key per line, trailing newline; arrays keep their order (the writer sorts the ones
 * that are sets). One changed count is one changed line in a pull request.
 */
export function serialiseBaseline(file: BaselineFile): string {
  return `${canonical(file, '')}\n`;
}

function canonical(value: unknown, indent: string): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[\n${value.map((x) => inner + canonical(x, inner)).join(',\n')}\n${indent}]`;
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${canonical(v, inner)}`).join(',\n')}\n${indent}}`;
}
