/**
 * A small TF-IDF cosine index with an inverted list per feature, so a query touches only the documents
 * that share a feature with it (a few hundred out of 3,600 for a typical value name).
 */
export type Features = (text: string) => string[];

export interface Scored<T> {
  item: T;
  score: number;
}

export class VectorIndex<T> {
  private readonly postings = new Map<string, { docs: number[]; ws: number[] }>();
  private readonly idf = new Map<string, number>();
  private readonly items: T[] = [];
  /** Scratch accumulator, reused across searches (search is synchronous, so never shared mid-call). */
  private readonly scores: Float64Array;

  constructor(
    private readonly features: Features,
    docs: { text: string; item: T }[],
  ) {
    const df = new Map<string, number>();
    const tfs = docs.map((d) => {
      const tf = count(this.features(d.text));
      for (const f of tf.keys()) df.set(f, (df.get(f) ?? 0) + 1);
      return tf;
    });
    const n = docs.length;
    for (const [f, d] of df) this.idf.set(f, Math.log(1 + n / d));
    tfs.forEach((tf, doc) => {
      this.items.push(docs[doc]!.item);
      let sq = 0;
      for (const [f, c] of tf) sq += (c * this.idf.get(f)!) ** 2;
      const norm = Math.sqrt(sq) || 1;
      for (const [f, c] of tf) {
        let list = this.postings.get(f);
        if (list === undefined) {
          list = { docs: [], ws: [] };
          this.postings.set(f, list);
        }
        list.docs.push(doc);
        list.ws.push((c * this.idf.get(f)!) / norm);
      }
    });
    this.scores = new Float64Array(n);
  }

  /** The k most similar documents (cosine, 0..1), best first; ties keep index order. */
  search(text: string, k: number): Scored<T>[] {
    const tf = count(this.features(text));
    const unknownWeight = Math.log(1 + this.items.length);
    let sq = 0;
    // The norm includes features unknown to the index: text the taxonomy lacks lowers the score.
    for (const [f, c] of tf) sq += (c * (this.idf.get(f) ?? unknownWeight)) ** 2;
    const norm = Math.sqrt(sq) || 1;
    const touched: number[] = [];
    const scores = this.scores;
    for (const [f, c] of tf) {
      const list = this.postings.get(f);
      if (!list) continue;
      const w = (c * this.idf.get(f)!) / norm;
      for (let i = 0; i < list.docs.length; i++) {
        const doc = list.docs[i]!;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += w * list.ws[i]!;
      }
    }
    const top: { doc: number; score: number }[] = [];
    for (const doc of touched) {
      const score = scores[doc]!;
      scores[doc] = 0;
      if (top.length === k && score <= top[k - 1]!.score) continue;
      let i = top.length;
      while (i > 0 && (top[i - 1]!.score < score || (top[i - 1]!.score === score && top[i - 1]!.doc > doc))) i--;
      top.splice(i, 0, { doc, score });
      if (top.length > k) top.pop();
    }
    return top.map(({ doc, score }) => ({ item: this.items[doc]!, score: Math.min(1, score) }));
  }
}

function count(features: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of features) m.set(f, (m.get(f) ?? 0) + 1);
  return m;
}

/** Character trigrams of a normalised name, words padded with spaces so starts and ends of words count. */
export const trigrams: Features = (text) => {
  const out: string[] = [];
  for (const word of text.split(' ')) {
    if (!word) continue;
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  }
  return out;
};

const STOP = new Set(
  'a an and are as at be by for from in into is it its of on or such than that the their this to was were which while with within whether values value valued focus focused focusing emphasis emphasized emphasizing across through both group these those'.split(
    ' ',
  ),
);

/** Content words (stop words dropped), for matching against cluster descriptions. */
export function contentWords(stem: (w: string) => string): Features {
  return (text) =>
    text
      .split(' ')
      .filter((w) => w.length > 2 && !STOP.has(w))
      .map(stem);
}
