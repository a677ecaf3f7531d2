import type { SourceLocation } from '../core/errors.js';

/** Where a target's `systemCombine` is written: on its entry or on its variant, with file, line and column. */
export type CombineOrigin = SourceLocation & { on: 'entry' | 'variant' };

/**
 * Target id -> where its `systemCombine` is written, from config loading (expand-targets.ts). Kept
 * beside the targets rather than in them: the config hash covers the targets, and where a setting is
 * written is not a setting. Targets built by hand (tests) have none.
 */
export type CombineOrigins = ReadonlyMap<string, CombineOrigin>;
