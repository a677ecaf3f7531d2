import type { BatchCounts } from '../../providers/batch-model.js';
import type { BatchEvent } from './batch-events.js';

/**
 * Batch progress as plain lines (stderr; fine in CI logs and on a TTY): one when a batch is
 * submitted or reattached, one per batch at most every `intervalMs` while it runs (only when its
 * counts moved), and one when it ends.
 */
export function batchLogger(write: (line: string) => void, now: () => number, intervalMs: number, label = ''): (e: BatchEvent) => void {
  const last = new Map<string, { at: number; key: string }>();
  const who = (modelId: string): string => `${label}${modelId}`;
  return (e) => {
    switch (e.kind) {
      case 'submitted':
        write(`batch ${e.batchId} (${who(e.modelId)}): submitted ${e.items} requests`);
        return;
      case 'reattached':
        write(
          `batch ${e.batchId} (${who(e.modelId)}): ${e.adopted ? 'found after an interrupted submit' : 'reattached'}, ${e.items} requests`,
        );
        return;
      case 'warning':
        write(`warning: ${who(e.modelId)}: ${e.message}`);
        return;
      case 'ended':
        last.delete(e.batchId);
        write(`batch ${e.batchId} (${who(e.modelId)}): ended, ${describe(e.counts)}`);
        return;
      case 'status': {
        const key = describe(e.counts);
        const prior = last.get(e.batchId);
        if (prior && (prior.key === key || now() - prior.at < intervalMs)) return;
        last.set(e.batchId, { at: now(), key });
        write(`batch ${e.batchId} (${who(e.modelId)}): in progress, ${key}`);
      }
    }
  };
}

function describe(c: BatchCounts): string {
  const total = c.processing + c.succeeded + c.errored + c.expired + c.canceled;
  const done = total - c.processing;
  const bad = [
    c.errored > 0 ? `${c.errored} errored` : '',
    c.expired > 0 ? `${c.expired} expired` : '',
    c.canceled > 0 ? `${c.canceled} cancelled` : '',
  ].filter(Boolean);
  return `${done}/${total} done${bad.length > 0 ? ` (${bad.join(', ')})` : ''}`;
}
