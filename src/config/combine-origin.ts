import type { SourceLocation } from '../core/errors.js';
import type { ModelTarget } from './model-target.js';

/**
 * Where each target's `systemCombine` is written: on its entry or on its variant, with file, line
 * and column. Kept beside the target rather than in it: the config hash covers the targets, and
 * where a setting is written is not a setting. Targets built by hand (tests) have none.
 */
const origins = new WeakMap<ModelTarget, SourceLocation & { on: 'entry' | 'variant' }>();

export function recordCombineOrigin(target: ModelTarget, at: SourceLocation, on: 'entry' | 'variant'): void {
  origins.set(target, { ...at, on });
}

export function combineOriginOf(target: ModelTarget): (SourceLocation & { on: 'entry' | 'variant' }) | undefined {
  return origins.get(target);
}
