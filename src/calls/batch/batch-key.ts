/**
 * Batch keys name a request across processes (the journal maps each to its batch). A re-attempt
 * after a recorded failure is a new request, keyed `<key>#<failures so far>`, so it is not answered
 * from the batch that failed, unless that batch never ended (the failure was in reading it: then
 * it is still the request's batch, see reattach.ts).
 */
export function withRound(key: string, round: number): string {
  return round > 0 ? `${key}#${round}` : key;
}

/** The keys of the same request's earlier rounds, latest first ("a#2" -> ["a#1", "a"]). */
export function earlierRounds(key: string): string[] {
  const m = /^(.*)#(\d+)$/.exec(key);
  if (!m) return [];
  const base = m[1]!;
  return Array.from({ length: Number(m[2]) }, (_, i) => withRound(base, Number(m[2]) - 1 - i));
}
