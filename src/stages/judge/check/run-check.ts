import { judgeTranscript } from '../judge-cell.js';
import type { JudgePanel } from '../panel.js';
import { type AnnotatorReport, annotatorReport } from './annotator-agreement.js';
import type { CheckReport, ScoredItem } from './check-metrics.js';
import { combineVotes, matchItems } from './combine-gold.js';
import type { GoldFile } from './gold-files.js';
import { type GoldItem, goldTranscript } from './gold-schema.js';
import { scoreItem } from './score-item.js';

/** The gold to score: one file as it is, several combined into one label per item by majority. */
export function prepareGold(
  files: readonly GoldFile[],
  key: (name: string) => string,
): { items: GoldItem[]; annotators: AnnotatorReport | null } {
  if (files.length === 1) return { items: files[0]!.entries.map((e) => e.item), annotators: null };
  const votes = matchItems(files);
  const { items, ties } = combineVotes(
    votes,
    files.map((f) => f.annotator),
    key,
  );
  return { items, annotators: annotatorReport(files, votes, ties, key) };
}

/** Whether to score a run's recorded judgments: a run is given and the gold names its cells. */
export function scoresRun(files: readonly GoldFile[], run: unknown): boolean {
  return run !== null && run !== undefined && files.some((f) => f.entries.some((e) => e.item.cellId !== undefined));
}

/** Runs the panel on every gold item (concurrently, sharing the panel's lanes) and scores it. */
export async function judgeGoldItems(
  panel: JudgePanel,
  items: readonly GoldItem[],
  key: (name: string) => string,
  o: { now: () => Date; signal?: AbortSignal },
): Promise<{ scored: ScoredItem[]; errors: CheckReport['errors'] }> {
  const errors: CheckReport['errors'] = [];
  const results = await Promise.all(
    items.map(async (item) => {
      const { judgment: j } = await judgeTranscript(panel, goldTranscript(item, o.now()), o.now, o.signal);
      if (j.error) {
        errors.push({ id: item.id, message: `${j.error.kind}: ${j.error.message}` });
        return null;
      }
      return scoreItem(item, { ...j, aiValues: j.aiValues.map((v) => v.name), humanValues: j.humanValues.map((v) => v.name) }, key);
    }),
  );
  return { scored: results.filter((r): r is ScoredItem => r !== null), errors };
}
