import { ProviderError } from '../../core/errors.js';
import type { BatchItemResult, BatchRequestItem } from '../../providers/batch-model.js';
import type { GenerateRequest } from '../../providers/language-model.js';

/** The request as the vendor sees it: no signal, no journal key. */
export function wireRequest(req: GenerateRequest): BatchRequestItem['request'] {
  const { signal: _s, batchKey: _k, ...rest } = req;
  return rest;
}

export function stoppedWaiting(): ProviderError {
  return new ProviderError('stopped waiting for the batch (interrupted); it stays in flight and --resume reattaches to it', {
    kind: 'aborted',
    retryable: false,
  });
}

/** Waits for `p` unless one of the signals aborts first (the batch itself goes on). */
export function abortable<T>(p: Promise<T>, signals: (AbortSignal | undefined)[]): Promise<T> {
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  if (live.length === 0) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(stoppedWaiting());
    for (const s of live) {
      if (s.aborted) return onAbort();
      s.addEventListener('abort', onAbort, { once: true });
    }
    const cleanup = (): void => {
      for (const s of live) s.removeEventListener('abort', onAbort);
    };
    p.then(
      (v) => {
        cleanup();
        resolve(v);
      },
      (e: unknown) => {
        cleanup();
        reject(e);
      },
    );
  });
}

export function tagOf(results: Map<string, BatchItemResult>): string {
  const first = results.keys().next().value as string | undefined;
  return first?.split('_')[0] ?? '';
}

export function outcomeCounts(results: Map<string, BatchItemResult>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results.values()) {
    const k = r.ok ? 'succeeded' : r.failure.kind.replace('batch_', '');
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}
