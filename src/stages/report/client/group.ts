/** Orders strings by UTF-16 code units, as `<` does (not locale-aware, so stable across browsers). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Groups items by a string key; the groups come out sorted by key, items keep their order within a group. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return new Map([...groups.entries()].sort((a, b) => compareText(a[0], b[0])));
}
