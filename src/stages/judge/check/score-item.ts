import type { Refusal, ResponseType } from '../../../records/response-types.js';
import { normaliseValueName } from '../../../records/value-name.js';
import type { Taxonomy } from '../../../taxonomy/index.js';
import { NO_DOMAIN, type ScoredItem } from './check-metrics.js';
import type { GoldItem } from './gold-schema.js';

/** A value's comparison key: its taxonomy leaf (or nearest cluster) when mapped, else its normalised name. */
export function valueKeyOf(taxonomy: Taxonomy): (name: string) => string {
  return (name) => {
    const p = taxonomy.match(name);
    return (p.leaf ?? p.l1 ?? p.l2 ?? p.l3 ?? normaliseValueName(name)).toLowerCase();
  };
}

/** What the judge said about one item, from a live call or the run's judgments.jsonl. */
export interface JudgeReading {
  responseType: ResponseType | null;
  refusal: Refusal | null;
  aiValues: string[];
  humanValues: string[];
}

/** A gold item next to the judge's reading; a field gold leaves out is not scored. */
export function scoreItem(item: GoldItem, j: JudgeReading, key: (name: string) => string): ScoredItem {
  const g = item.gold;
  const keys = (names: readonly string[]): Set<string> => new Set(names.map(key));
  return {
    id: item.id,
    domain: item.domain ?? NO_DOMAIN,
    gold: { responseType: g.responseType ?? null, refusal: g.refusal ?? null },
    judge: { responseType: j.responseType, refusal: j.refusal },
    ...(g.aiValues ? { aiValues: { gold: keys(g.aiValues), predicted: keys(j.aiValues) } } : {}),
    ...(g.humanValues ? { humanValues: { gold: keys(g.humanValues), predicted: keys(j.humanValues) } } : {}),
  };
}
