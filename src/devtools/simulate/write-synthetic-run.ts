import { once } from 'node:events';
import { createWriteStream, promises as fsp } from 'node:fs';
import path from 'node:path';
import { HARNESS_VERSION } from '../../core/version.js';
import { runFile } from '../../records/run-files.js';
import { contentHash } from '../../util/hash.js';
import { domainName, type SyntheticOptions, syntheticJudgments } from './synthetic-judgments.js';

/** Writes RUN_DIR/manifest.json and RUN_DIR/judgments.jsonl for one or more synthetic models. */
export async function writeSyntheticRun(dir: string, models: SyntheticOptions[], runId = path.basename(dir)): Promise<number> {
  await fsp.mkdir(dir, { recursive: true });
  const first = models[0]!;
  const scenarios: Record<string, string> = {};
  for (let d = 0; d < first.domains; d++) {
    for (let j = 0; j < first.scenariosPerDomain; j++) {
      const id = `${domainName(d)}-s${String(j).padStart(4, '0')}`;
      scenarios[id] = contentHash({ id, scenarioSeed: first.scenarioSeed });
    }
  }
  const out = createWriteStream(runFile(dir, 'judgments'));
  let lines = 0;
  let chunk = '';
  for (const m of models) {
    for (const j of syntheticJudgments(m)) {
      chunk += `${JSON.stringify(j)}\n`;
      lines++;
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  const manifest = {
    v: 1,
    runId,
    status: 'completed',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:00.000Z',
    harnessVersion: HARNESS_VERSION,
    configHash: 'synthetic',
    suiteHash: contentHash(scenarios),
    scenarios,
    samples: first.samples,
    models: models.map((m) => ({ id: m.modelId, provider: 'synthetic', model: m.modelId, maxTokens: 1024, concurrency: 1 })),
    counts: { planned: lines, done: lines, errored: 0 },
    notes: ['synthetic: src/devtools/simulate'],
  };
  await fsp.writeFile(runFile(dir, 'manifest'), `${JSON.stringify(manifest, null, 2)}\n`);
  return lines;
}
