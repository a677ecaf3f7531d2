import { InputError } from '../../../core/errors.js';
import { majority, majoritySet } from '../../../records/human-labels.js';
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
