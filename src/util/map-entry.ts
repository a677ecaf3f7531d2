/** The value under `key`, created with `make` and stored on first use. */
export function entry<K, T>(m: Map<K, T>, key: K, make: () => T): T {
  const had = m.get(key);
  if (had !== undefined) return had;
  const made = make();
  m.set(key, made);
  return made;
}
