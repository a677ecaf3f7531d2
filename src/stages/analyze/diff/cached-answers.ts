import { ComparabilityError } from '../../../core/errors.js';
import { describeCachedAnswers } from '../../../records/profile.js';
import type { Side } from './pair-sides.js';

type Which = 'base' | 'candidate';

/** Cells of `side` whose answer was copied from `other`'s run (0 when either run id is unknown). */
function copiedFromOther(side: Side, other: Side): { runId: string; cells: number } | null {
  const runId = other.run.manifest?.runId;
  if (runId === undefined || runId === side.run.manifest?.runId) return null;
  const cells = side.table.cachedFrom.get(runId) ?? 0;
  return cells > 0 ? { runId, cells } : null;
}

function sidesOf(base: Side, cand: Side): [Which, Side, Side][] {
  return [
    ['base', base, cand],
    ['candidate', cand, base],
  ];
}

/**
 * One comparability warning per side with cached answers (response cache or `run --reuse-from`):
 * its share and the runs they came from. Reused answers are not a fresh sample of the model.
 */
export function cachedAnswerWarnings(base: Side, cand: Side): string[] {
  return sidesOf(base, cand).flatMap(([which, side, other]) => {
    const a = side.table.answers();
    if (a.cached === 0) return [];
    const copied = copiedFromOther(side, other);
    const ofOther = copied ? `; ${copied.cells} of them are copies of the other side's run ${copied.runId}` : '';
    return [
      `cached answers on the ${which} side (${side.spec.spec}): ${describeCachedAnswers(a)}${ofOther}; reused answers are not a fresh sample, so a change of the model behind the same name may not show`,
    ];
  });
}

/**
 * The gate refuses a side whose answers are, partly or wholly, copies of the other side's run: comparing
 * a run with copies of itself cannot show drift. Other cached answers are only warned about.
 */
export function refuseCopiesOfOtherSide(base: Side, cand: Side): void {
  for (const [which, side, other] of sidesOf(base, cand)) {
    const copied = copiedFromOther(side, other);
    if (!copied) continue;
    const cells = side.table.answers().cells;
    const otherWhich = which === 'base' ? 'candidate' : 'base';
    throw new ComparabilityError(
      `${side.spec.spec} (${which}) cannot be gated against ${other.spec.spec}: ${copied.cells} of its ${cells} answers are copies of ` +
        `answers from the ${otherWhich} run ${copied.runId} (response cache or run --reuse-from), and comparing a run with copies of ` +
        `itself cannot show drift. Re-run the ${which} without --reuse-from / with cache: fresh (or --no-cache), then gate again`,
    );
  }
}
