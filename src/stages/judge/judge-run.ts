import { existsSync } from 'node:fs';
import { InputError } from '../../core/errors.js';
import { readEffective } from '../../records/effective-records.js';
import type { Judgment } from '../../records/judgment.js';
import { RUN_FILES, runFile } from '../../records/run-files.js';
import { TranscriptSchema } from '../../records/transcript.js';
import { readJsonl } from '../../util/jsonl.js';
import type { JudgeSummary } from './judge-summary.js';
import { createJudgePipeline, type JudgePipelineOptions } from './pipeline.js';

/**
 * `valuescope judge RUN_DIR`: streams the run's transcripts (each cell's effective line) through a
 * judge pipeline. Resumes (skips cells already judged by this judge, re-attempts failed judgments); refuses to mix judges unless `force`.
 */
export async function judgeRun(o: JudgePipelineOptions): Promise<JudgeSummary> {
  const file = runFile(o.runDir, 'transcripts');
  if (!existsSync(file)) throw new InputError(`no ${RUN_FILES.transcripts} here: pass a run directory such as results/<run-id>`, { file });
  // --force moves the earlier judgments aside: only once the whole input is known to be readable.
  if (o.force) for await (const _ of readJsonl(file, TranscriptSchema));
  const progress = progressLine(o);
  const pipeline = await createJudgePipeline({
    ...o,
    onJudged: (j) => {
      progress(j);
      o.onJudged?.(j);
    },
  });
  for await (const { value } of readEffective(file, TranscriptSchema)) {
    if (o.ctx.signal?.aborted) break;
    await pipeline.submit(value);
  }
  return pipeline.drain();
}

/** A stderr line at most every runner.progressIntervalMs: large runs take a while to judge. */
function progressLine(o: JudgePipelineOptions): (j: Judgment) => void {
  let judged = 0;
  let errors = 0;
  let last = o.ctx.now().getTime();
  return (j) => {
    judged++;
    if (j.error && j.error.kind !== 'no_response') errors++;
    const now = o.ctx.now().getTime();
    if (now - last < o.config.runner.progressIntervalMs) return;
    last = now;
    o.ctx.stderr?.write(`judged ${judged} cells this pass (${errors} judge errors)\n`);
  };
}
