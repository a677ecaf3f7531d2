import path from 'node:path';
import { InputError } from '../errors.js';
import { TRANSCRIPTS_FILE } from '../runner/run-store.js';
import { TranscriptSchema } from '../runner/transcript-record.js';
import { readJsonl } from '../util/jsonl.js';
import { existsSync } from 'node:fs';
import { createJudgePipeline, type JudgePipelineOptions } from './pipeline.js';
import type { JudgeSummary } from './judge-summary.js';

/**
 * `valuescope judge RUN_DIR`: streams the run's transcripts through a judge pipeline. Resumes
 * (skips cells already judged by this judge); refuses to mix judges unless `force`.
 */
export async function judgeRun(o: JudgePipelineOptions): Promise<JudgeSummary> {
  const file = path.join(o.runDir, TRANSCRIPTS_FILE);
  if (!existsSync(file)) throw new InputError(`no ${TRANSCRIPTS_FILE} here: pass a run directory such as results/<run-id>`, { file });
  const pipeline = await createJudgePipeline(o);
  for await (const { value } of readJsonl(file, TranscriptSchema)) {
    if (o.ctx.signal?.aborted) break;
    await pipeline.submit(value);
  }
  return pipeline.drain();
}
