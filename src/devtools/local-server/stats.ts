/** Counters behind GET /_stats. Plain objects so the JSON body is the stats object itself. */
export interface LocalServerStats {
  requests: number;
  byPath: Record<string, number>;
  byModel: Record<string, number>;
  /** Faults served: 429, 500, 503, 529, hang, drop, badjson, rpm (a 429 from the rpm limit), 401. */
  byFault: Record<string, number>;
  /** All 429 responses, random, forced and from the rpm limit. */
  sent429: number;
  inFlight: number;
}

export function emptyStats(): LocalServerStats {
  return { requests: 0, byPath: {}, byModel: {}, byFault: {}, sent429: 0, inFlight: 0 };
}

export function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
