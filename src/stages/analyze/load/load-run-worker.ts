import { parentPort, workerData } from 'node:worker_threads';
import { toTransferable } from '../../../core/error-transfer.js';
import { loadRun, type RunSpec } from './load-run.js';

/** Worker entry: loads one run and posts its per-model sufficient statistics back. */
const { spec, watchlist } = workerData as { spec: RunSpec; watchlist: string[] };
try {
  const run = await loadRun(spec, watchlist);
  parentPort!.postMessage({
    ok: true,
    run: { ...run, models: run.models.map((m) => m.snapshot()) },
  });
} catch (e) {
  parentPort!.postMessage({ ok: false, error: toTransferable(e) });
}
