import type { ResolvedOptions } from './options.js';
import { hashString } from './random.js';
import type { ServedIdentity } from './wire.js';

/**
 * Who answers a request for `requested`: the configured `servedModel` (fixed or derived from the
 * name), else the requested name; the fingerprint is the configured one, else derived from the
 * served model (`fp_` and 10 hex digits, the shape OpenAI sends), so it changes with the model.
 */
export function servedIdentity(opts: Pick<ResolvedOptions, 'servedModel' | 'fingerprint'>, requested: string): ServedIdentity {
  const s = opts.servedModel;
  const model = typeof s === 'function' ? s(requested) : (s ?? requested);
  const hex = (text: string) => hashString(text).toString(16).padStart(8, '0');
  return { model, fingerprint: opts.fingerprint ?? `fp_${(hex(model) + hex(`fp\u0000${model}`)).slice(0, 10)}` };
}
