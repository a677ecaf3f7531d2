import { InputError } from '../../../core/errors.js';
import type { GoldFile } from './gold-files.js';
import type { GoldItem } from './gold-schema.js';
import type { ValueFieldKey } from './label-fields.js';

/** Ties met while combining: items left without a label for that field, or values dropped from a set. */
export interface CombineTies {
  responseType: number;
  refusal: number;
  aiValues: number;
  humanValues: number;
}

/** One item as each annotator gave it, in file order (undefined where a file lacks it). */
export interface ItemVotes {
  id: string;
  labels: (GoldItem | undefined)[];
}

/**
 * The items of several annotators' files, matched by `id` (first appearance order). The same id must
 * carry the same response in every file: otherwise they are different items under one name.
 */
export function matchItems(files: readonly GoldFile[]): ItemVotes[] {
  const byId = new Map<string, { votes: ItemVotes; where: string }>();
  files.forEach((f, k) => {
    for (const { item, line } of f.entries) {
      let e = byId.get(item.id);
      if (!e) {
        e = { votes: { id: item.id, labels: files.map(() => undefined) }, where: `${f.file}:${line}` };
        byId.set(item.id, e);
      } else if (e.votes.labels.find((x) => x !== undefined)!.response !== item.response)
        throw new InputError(`item "${item.id}" has another response than at ${e.where}: ids must name the same item in every file`, {
          file: f.file,
          line,
          path: 'response',
        });
      e.votes.labels[k] = item;
    }
  });
  return [...byId.values()].map((e) => e.votes);
}

/** The label most annotators gave; undefined when nobody gave one or the top count is shared (a tie). */
function majority<T extends string>(labels: readonly (T | undefined)[]): { label?: T; tie: boolean } {
  const counts = new Map<T, number>();
  for (const l of labels) if (l !== undefined) counts.set(l, (counts.get(l) ?? 0) + 1);
  const top = Math.max(0, ...counts.values());
  const leaders = [...counts].filter(([, n]) => n === top);
  if (leaders.length === 1) return { label: leaders[0]![0], tie: false };
  return { tie: leaders.length > 1 };
}

/**
 * Values listed by more than half of the annotators who gave the field (compared by taxonomy key;
 * the first name seen for a key is kept). A value listed by exactly half is dropped and counted.
 */
function majoritySet(sets: readonly (string[] | undefined)[], key: (name: string) => string): { values?: string[]; ties: number } {
  const given = sets.filter((s): s is string[] => s !== undefined);
  if (given.length === 0) return { ties: 0 };
  const counts = new Map<string, { name: string; n: number }>();
  for (const s of given) {
    // One vote per key and annotator, even when they wrote two names that map to one value.
    const mine = new Map<string, string>();
    for (const name of s) if (!mine.has(key(name))) mine.set(key(name), name);
    for (const [k, name] of mine) {
      const c = counts.get(k);
      if (c) c.n++;
      else counts.set(k, { name, n: 1 });
    }
  }
  const values = [...counts.values()].filter((c) => 2 * c.n > given.length).map((c) => c.name);
  return { values, ties: [...counts.values()].filter((c) => 2 * c.n === given.length).length };
}

/** One gold item per id: each field by majority of the annotators who labelled it (docs/judge-check.md). */
export function combineVotes(
  votes: readonly ItemVotes[],
  names: readonly string[],
  key: (name: string) => string,
): { items: GoldItem[]; ties: CombineTies } {
  const ties: CombineTies = { responseType: 0, refusal: 0, aiValues: 0, humanValues: 0 };
  const items = votes.map(({ labels }) => {
    const given = labels.flatMap((l) => (l ? [{ item: l }] : []));
    const base = given[0]!.item;
    const rt = majority(given.map((g) => g.item.gold.responseType));
    const rf = majority(given.map((g) => g.item.gold.refusal));
    if (rt.tie) ties.responseType++;
    if (rf.tie) ties.refusal++;
    const gold: GoldItem['gold'] = {
      ...(rt.label ? { responseType: rt.label } : {}),
      ...(rf.label ? { refusal: rf.label } : {}),
    };
    for (const f of ['aiValues', 'humanValues'] as const satisfies readonly ValueFieldKey[]) {
      const s = majoritySet(
        given.map((g) => g.item.gold[f]),
        key,
      );
      ties[f] += s.ties;
      if (s.values) gold[f] = s.values;
    }
    // One annotator name for the whole combined file, so it reads back as one annotator's gold.
    const { labelledAt: _, ...rest } = base;
    return { ...rest, annotator: names.join('+'), gold };
  });
  return { items, ties };
}
