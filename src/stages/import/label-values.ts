import { UsageError } from '../../core/errors.js';
import { REFUSALS, RESPONSE_TYPES } from '../../records/response-types.js';

/** What a label column holds: the response type (7 classes) or the refusal level. */
export type LabelKind = 'responseType' | 'refusal';

export interface LabelSpec {
  /** CSV column, or top-level field of a JSONL record. */
  column: string;
  kind: LabelKind;
  /** The dataset's own values (normalised) -> valuescope labels, from --label-map. */
  map: ReadonlyMap<string, string>;
}

const LABELS: Record<LabelKind, readonly string[]> = { responseType: RESPONSE_TYPES, refusal: REFUSALS };

/** Spellings of the canonical names that are not a mapping choice (British spelling). */
const ALIASES: Record<string, string> = { neutral_acknowledgement: 'neutral_acknowledgment' };

/** Case, surrounding spaces, and spaces or hyphens between words do not matter: "Strong support" = "strong_support". */
function normalise(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function acceptedLabels(kind: LabelKind): string {
  return LABELS[kind].join(', ');
}

/** Parses `--label-map` items "VALUE=LABEL" (e.g. "refused=full", "0=none"); every LABEL must be one of the kind's labels. */
export function parseLabelMap(items: readonly string[], kind: LabelKind): Map<string, string> {
  const map = new Map<string, string>();
  for (const item of items) {
    const eq = item.lastIndexOf('=');
    const from = normalise(item.slice(0, Math.max(0, eq)));
    const to = normalise(item.slice(eq + 1));
    if (eq <= 0 || from === '') throw new UsageError(`--label-map "${item}": expected VALUE=LABEL, e.g. refused=full`);
    const label = ALIASES[to] ?? to;
    if (!LABELS[kind].includes(label))
      throw new UsageError(`--label-map "${item}": "${item.slice(eq + 1)}" is not a ${kind} label; use one of ${acceptedLabels(kind)}`);
    map.set(from, label);
  }
  return map;
}

/**
 * The label a raw cell value names: --label-map first, then the kind's own names. Empty = no label
 * (the conversation is imported unlabelled); anything else unknown is a problem the caller locates.
 */
export function labelOf(raw: string, spec: LabelSpec): { ok: true; label: string | null } | { ok: false; message: string } {
  const key = normalise(raw);
  if (key === '') return { ok: true, label: null };
  const label = spec.map.get(key) ?? ALIASES[key] ?? key;
  if (LABELS[spec.kind].includes(label)) return { ok: true, label };
  return {
    ok: false,
    message:
      `label "${raw}" is not a ${spec.kind === 'refusal' ? 'refusal level' : 'response type'} (accepted: ${acceptedLabels(spec.kind)}, ` +
      "in any case, with spaces or hyphens): map the dataset's values with --label-map VALUE=LABEL,...",
  };
}
