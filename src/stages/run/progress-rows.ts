import type { Config } from '../../config/schema.js';
import type { RunPlan } from './plan.js';
import type { Progress } from './progress.js';

/** One progress row per model: its planned cells, and those (and their errors) already done before this start. */
export function progressRows(
  plan: RunPlan,
  finished: ReadonlyMap<string, { errored: boolean }>,
  prices: Config['prices'],
): Parameters<Progress['start']>[0] {
  return plan.models.map((m) => {
    const mine = plan.cells.filter((c) => c.modelId === m.id);
    const prior = mine.filter((c) => finished.has(c.cellId));
    return {
      id: m.id,
      total: mine.length,
      done: prior.length,
      errors: prior.filter((c) => finished.get(c.cellId)?.errored).length,
      price: prices[m.model],
    };
  });
}
