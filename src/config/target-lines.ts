import type { SourceLocation } from '../core/errors.js';
import { type ModelTarget, refusesScenario, systemSummary } from './model-target.js';

/**
 * One line per target telling targets apart (`validate`, `run --dry-run`): its id and system prompt.
 * Empty when no target has a system prompt or a variant, so plain configs print what they always did.
 */
export function targetLines(targets: readonly ModelTarget[], indent = '  '): string[] {
  if (!targets.some((t) => t.system !== undefined || t.variant !== undefined)) return [];
  const w = Math.max(...targets.map((t) => t.id.length));
  return targets.map((t) => `${indent}${t.id.padEnd(w)}  ${t.model}  ${systemSummary(t)}`);
}

/**
 * Scenarios with their own system prompt that a target with `systemCombine: refuse` would meet, as
 * located problems (the scenario file) naming the target; `run` refuses them when it plans.
 */
export function refusedScenarios(
  targets: readonly ModelTarget[],
  scenarios: readonly { id: string; file: string; system?: string | undefined }[],
): (SourceLocation & { message: string })[] {
  const out: (SourceLocation & { message: string })[] = [];
  for (const t of targets) {
    for (const s of scenarios.filter((x) => refusesScenario(t, x.system))) {
      const field = t.variant !== undefined ? `models[${t.entry}].variants.${t.variant}` : `models[${t.id}]`;
      out.push({
        file: s.file,
        path: 'system',
        message:
          `scenario '${s.id}' sets its own system prompt, and target '${t.id}' has systemCombine: refuse (config ${field}): ` +
          'set `systemCombine: prepend` or `replace` on the target, or leave the scenario out with --scenarios',
      });
    }
  }
  return out;
}
