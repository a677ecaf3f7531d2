/**
 * Agreement statistics for judge reliability (between raters) and judge-check (judge vs gold).
 * Labels are compared as strings; `null` means the rater gave no label for that item (missing).
 */

/**
 * Krippendorff's alpha for nominal data, via the coincidence matrix (Krippendorff 2011,
 * "Computing Krippendorff's Alpha-Reliability"). `units[u]` holds the labels the raters gave unit
 * u; missing labels are null and units with fewer than two labels are not pairable and ignored.
 * alpha = 1 - (n - 1) * sum_{c!=k} o_ck / sum_{c!=k} n_c n_k. Returns null when undefined
 * (fewer than two pairable values, or every value in one category so expected disagreement is 0).
 */
export function krippendorffAlphaNominal(units: readonly (readonly (string | null)[])[]): number | null {
  const acc = new NominalAlpha();
  for (const u of units) acc.add(u);
  return acc.value();
}

/** Streaming form of krippendorffAlphaNominal: keeps only the coincidence matrix, not the units. */
export class NominalAlpha {
  private readonly coincidence = new Map<string, Map<string, number>>();

  add(unit: readonly (string | null)[]): void {
    const values = unit.filter((v): v is string => v !== null);
    const m = values.length;
    if (m < 2) return;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i === j) continue;
        const row = this.coincidence.get(values[i]!) ?? new Map<string, number>();
        row.set(values[j]!, (row.get(values[j]!) ?? 0) + 1 / (m - 1));
        this.coincidence.set(values[i]!, row);
      }
    }
  }

  value(): number | null {
    const nc = new Map<string, number>();
    for (const [c, row] of this.coincidence)
      nc.set(
        c,
        [...row.values()].reduce((a, b) => a + b, 0),
      );
    const n = [...nc.values()].reduce((a, b) => a + b, 0);
    if (n < 2) return null;
    let observed = 0;
    for (const [c, row] of this.coincidence) for (const [k, o] of row) if (c !== k) observed += o;
    let expected = 0;
    for (const [c, a] of nc) for (const [k, b] of nc) if (c !== k) expected += a * b;
    if (expected === 0) return null;
    return 1 - ((n - 1) * observed) / expected;
  }
}

/**
 * How far two raters agree on a set of values (Jaccard index). Two raters who both list no values
 * agree fully (1): "this response expresses no values" is an answer they share.
 */
export function valueSetAgreement(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Mean Jaccard over all rater pairs of one item; null with fewer than two raters. */
export function meanPairwiseJaccard(sets: readonly ReadonlySet<string>[]): number | null {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      sum += valueSetAgreement(sets[i]!, sets[j]!);
      pairs++;
    }
  }
  return pairs === 0 ? null : sum / pairs;
}

/** Confusion matrix rows = gold (or rater A), columns = predicted (rater B), over the given label order. */
export function confusionMatrix(pairs: readonly (readonly [string, string])[], labels: readonly string[]): number[][] {
  const index = new Map(labels.map((l, i) => [l, i]));
  const m = labels.map(() => labels.map(() => 0));
  for (const [a, b] of pairs) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined) throw new Error(`label outside ${labels.join(', ')}: ${i === undefined ? a : b}`);
    m[i]![j]!++;
  }
  return m;
}

/**
 * Cohen's kappa of two raters over the same items: (p_o - p_e) / (1 - p_e), where p_e is the
 * chance agreement from each rater's own label marginals. Null when undefined (no items, or both
 * raters used one and the same label throughout, so p_e = 1).
 */
export function cohensKappa(pairs: readonly (readonly [string, string])[]): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const rowTotals = new Map<string, number>();
  const colTotals = new Map<string, number>();
  let agree = 0;
  for (const [a, b] of pairs) {
    if (a === b) agree++;
    rowTotals.set(a, (rowTotals.get(a) ?? 0) + 1);
    colTotals.set(b, (colTotals.get(b) ?? 0) + 1);
  }
  const po = agree / n;
  let pe = 0;
  for (const [label, r] of rowTotals) pe += (r / n) * ((colTotals.get(label) ?? 0) / n);
  if (pe === 1) return null;
  return (po - pe) / (1 - pe);
}

export function accuracy(pairs: readonly (readonly [string, string])[]): number | null {
  if (pairs.length === 0) return null;
  return pairs.filter(([a, b]) => a === b).length / pairs.length;
}

/** Micro-averaged precision/recall/F1 of predicted name sets against gold name sets. */
export function setPrf(items: readonly { gold: ReadonlySet<string>; predicted: ReadonlySet<string> }[]): {
  precision: number | null;
  recall: number | null;
  f1: number | null;
  tp: number;
  fp: number;
  fn: number;
} {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const { gold, predicted } of items) {
    for (const p of predicted) gold.has(p) ? tp++ : fp++;
    for (const g of gold) if (!predicted.has(g)) fn++;
  }
  const precision = tp + fp === 0 ? null : tp / (tp + fp);
  const recall = tp + fn === 0 ? null : tp / (tp + fn);
  const f1 =
    precision === null || recall === null || precision + recall === 0
      ? tp === 0 && (fp > 0 || fn > 0)
        ? 0
        : null
      : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn };
}
