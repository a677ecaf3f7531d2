import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fromTransferable, type TransferredError } from '../../../core/error-transfer.js';
import { type LoadedRun, loadRun, type RunSpec } from './load-run.js';
import { ModelTable, type ModelTableSnapshot } from './scenario-table.js';

/**
 * Loads several runs at once, each in its own worker thread (parsing and validating JSONL is the
 * bulk of a diff's time, and the sides are independent). Falls back to loading in this thread when
 * the compiled worker is not available (e.g. running from TypeScript sources under vitest).
 */
export async function loadRunsInParallel(specs: readonly RunSpec[], watchlist: readonly string[]): Promise<LoadedRun[]> {
  const worker = fileURLToPath(new URL('./load-run-worker.js', import.meta.url));
  if (specs.length < 2 || !existsSync(worker)) return Promise.all(specs.map((s) => loadRun(s, watchlist)));
  return Promise.all(specs.map((spec) => inWorker(worker, spec, watchlist)));
}

type Reply = { ok: true; run: Omit<LoadedRun, 'models'> & { models: ModelTableSnapshot[] } } | { ok: false; error: TransferredError };

function inWorker(file: string, spec: RunSpec, watchlist: readonly string[]): Promise<LoadedRun> {
  return new Promise((resolve, reject) => {
    const w = new Worker(file, { workerData: { spec, watchlist: [...watchlist] } });
    w.once('message', (m: Reply) => {
      void w.terminate();
      if (m.ok) resolve({ ...m.run, models: m.run.models.map((s) => ModelTable.fromSnapshot(s)) });
      else reject(fromTransferable(m.error));
    });
    w.once('error', reject);
  });
}
