import { existsSync } from 'node:fs';
import { InputError } from '../../../core/errors.js';
import { normaliseValueName } from '../../../records/value-name.js';
import type { Taxonomy } from '../../../taxonomy/index.js';
import { readJsonl } from '../../../util/jsonl.js';
import { judgeTranscript } from '../judge-cell.js';
import type { JudgePanel } from '../panel.js';
import { type CheckReport, checkReport, type ScoredItem } from './check-metrics.js';
import { GoldItemSchema, goldTranscript } from './gold-schema.js';

/** A value's comparison key: its taxonomy leaf (or nearest cluster) when mapped, else its normalised name. */
function valueKey(taxonomy: Taxonomy, name: string): string {
  const p = taxonomy.match(name);
  return (p.leaf ?? p.l1 ?? p.l2 ?? p.l3 ?? normaliseValueName(name)).toLowerCase();
}

/** Runs the panel on every gold item (in order, sharing the panel's lanes) and scores it. */
export async function runJudgeCheck(
  goldFile: string,
  panel: JudgePanel,
  o: { now: () => Date; signal?: AbortSignal; concurrency?: number },
): Promise<CheckReport> {
  if (!existsSync(goldFile)) throw new InputError('gold file not found (format: docs/judge-check.md)', { file: goldFile });
  const items: ScoredItem[] = [];
  const errors: CheckReport['errors'] = [];
  const pending: Promise<void>[] = [];
  const keys = (names: string[]): Set<string> => new Set(names.map((n) => valueKey(panel.taxonomy, n)));
  for await (const { value: item } of readJsonl(goldFile, GoldItemSchema)) {
    pending.push(
      judgeTranscript(panel, goldTranscript(item, o.now()), o.now, o.signal).then(({ judgment: j }) => {
        if (j.error) {
          errors.push({ id: item.id, message: `${j.error.kind}: ${j.error.message}` });
          return;
        }
        const g = item.gold;
        const s: ScoredItem = {};
        if (g.responseType && j.responseType) s.responseType = [g.responseType, j.responseType];
        if (g.refusal && j.refusal) s.refusal = [g.refusal, j.refusal];
        if (g.aiValues) s.aiValues = { gold: keys(g.aiValues), predicted: keys(j.aiValues.map((v) => v.name)) };
        if (g.humanValues) s.humanValues = { gold: keys(g.humanValues), predicted: keys(j.humanValues.map((v) => v.name)) };
        items.push(s);
      }),
    );
  }
  await Promise.all(pending);
  return checkReport({ id: panel.id, models: panel.models }, items, errors);
}
