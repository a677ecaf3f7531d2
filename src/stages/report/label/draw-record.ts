import type { LabelDraw } from '../../../records/label-draw.js';
import { contentHash } from '../../../util/hash.js';
import { type DrawRequest, drawSample } from './draw-sample.js';
import type { Candidates } from './label-source.js';

/** The draw and its record (draw.json); `drawId` hashes what identifies the draw, not when it was made. */
export function drawRecord(run: { id: string; dir: string }, population: Candidates, req: DrawRequest, drawnAt: Date): LabelDraw {
  const { strata, cells } = drawSample(population.candidates, req);
  const strataFields = [...req.strata] as LabelDraw['strataFields'];
  const drawId = contentHash({ runId: run.id, seed: req.seed, sample: req.sample, strataFields, cells }).slice(0, 16);
  return {
    v: 1,
    drawId,
    run,
    seed: req.seed,
    sample: req.sample,
    strataFields,
    allocation: 'proportional-largest-remainder',
    eligible: population.candidates.length,
    ineligible: population.ineligible,
    strata,
    cells,
    judges: population.judges,
    drawnAt: drawnAt.toISOString(),
  };
}
