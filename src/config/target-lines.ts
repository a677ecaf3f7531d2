import { formatLocation, type SourceLocation } from '../core/errors.js';
import type { CombineOrigin, CombineOrigins } from './combine-origin.js';
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
 * Where a target's `systemCombine: refuse` is written: its entry or its variant, at file:line:column
 * when the target came from a config file (combine-origin.ts).
 */
function refuseSetting(t: ModelTarget, origin: CombineOrigin | undefined): string {
  const entry = `models[${t.entry ?? t.id}]`;
  if (!origin) return t.variant !== undefined ? `config ${entry} or ${entry}.variants.${t.variant}` : `config ${entry}`;
  const on = origin.on === 'variant' ? `its variant ${entry}.variants.${t.variant}` : `its entry ${entry}`;
  const { path: _p, on: _o, ...where } = origin;
  return `set on ${on}, ${formatLocation(where)}`;
}

/**
 * Scenarios with their own system prompt that a target with `systemCombine: refuse` would meet, as
 * located problems (the scenario file) naming the target and where its setting is; `run` refuses
 * them when it plans (and prints the --scenarios value that leaves them out).
 */
export function refusedScenarios(
  targets: readonly ModelTarget[],
  scenarios: readonly { id: string; file: string; system?: string | undefined }[],
  origins?: CombineOrigins,
): (SourceLocation & { message: string })[] {
  const out: (SourceLocation & { message: string })[] = [];
  for (const t of targets) {
    for (const s of scenarios.filter((x) => refusesScenario(t, x.system))) {
      out.push({
        file: s.file,
        path: 'system',
        message:
          `scenario '${s.id}' sets its own system prompt, and target '${t.id}' has systemCombine: refuse (${refuseSetting(t, origins?.get(t.id))}): ` +
          'set `systemCombine: prepend` or `replace` there, or leave the scenario out with a negated --scenarios glob',
      });
    }
  }
  return out;
}
