import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../../config/load-config.js';
import { priceUsage } from '../../config/model-schema.js';
import type { Config } from '../../config/schema.js';
import { ConfigError } from '../../core/errors.js';
import type { Manifest } from '../../records/manifest.js';
import { runFile } from '../../records/run-files.js';
import { type Tokens, usageOf } from './provenance-tally.js';

/** USD, or why it cannot be known. */
export type Cost = { usd: number } | { unknown: string };

/** The prices of the config the run started with, or why they cannot be trusted. */
export type RunPrices = { prices: Config['prices'] } | { unknown: string };

const KEEP_CURRENT = '(prices are the user’s to keep current)';

/**
 * Prices are read from the run's own config file, and only while it still hashes to the manifest's
 * configHash (the same hash `run` records: the validated config after interpolation): a config edited
 * since the run may price other models, and a wrong cost is worse than none.
 */
export async function runPrices(manifest: Manifest | null, env: Record<string, string | undefined>): Promise<RunPrices> {
  if (!manifest) return { unknown: 'cost unknown: no manifest.json' };
  if (!manifest.configFile) return { unknown: 'cost unknown: the run records no config file (imported or synthetic run)' };
  const file = manifest.configFile;
  if (!(await fsp.stat(file).catch(() => null))) {
    return { unknown: `cost unknown: the run's config file ${path.basename(file)} no longer exists ${KEEP_CURRENT}` };
  }
  try {
    const loaded = await loadConfig(file, { env, cwd: path.dirname(file) });
    if (loaded.hash !== manifest.configHash)
      return { unknown: `cost unknown: the run's config file changed since the run ${KEEP_CURRENT}` };
    return { prices: loaded.config.prices };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const first = e.problems[0]?.message ?? e.message;
    return { unknown: `cost unknown: the run's config file cannot be loaded now (${first})` };
  }
}

/** The model's cost: only answers requested for this run (reused answers cost nothing now). */
export function modelCost(prices: RunPrices, wireModel: string | null, tokens: Tokens): Cost {
  if ('unknown' in prices) return prices;
  if (wireModel === null) return { unknown: 'cost unknown: the model is not in manifest.json' };
  const price = prices.prices[wireModel];
  if (!price) return { unknown: `no price for ${wireModel} in the config` };
  return { usd: priceUsage(usageOf(tokens), price) };
}

/** Judge models that make no API call (the lexical judge, synthetic judgments). */
const BUILTIN = 'builtin:';

/**
 * The judge's cost. judgments.jsonl records one usage per cell for the whole panel, so a panel of
 * several API models cannot be priced model by model.
 */
export function judgeCost(prices: RunPrices, judgeModels: readonly string[], tokens: Tokens): Cost {
  const called = judgeModels.filter((m) => !m.startsWith(BUILTIN));
  if (called.length === 0) return { usd: 0 };
  if ('unknown' in prices) return prices;
  if (called.length !== 1) return { unknown: `cost unknown: a panel of ${called.length} judge models, usage not recorded per model` };
  // provider:model, priced like a model under test by its wire name.
  const wire = called[0]!.slice(called[0]!.indexOf(':') + 1);
  const price = prices.prices[wire];
  if (!price) return { unknown: `no price for ${wire} in the config` };
  return { usd: priceUsage(usageOf(tokens), price) };
}

const LabelFigures = z.object({ items: z.number(), accuracy: z.number().nullable(), kappa: z.number().nullable() });
const SetFigures = z.object({ items: z.number(), f1: z.number().nullable() });

/** The headline figures of judge-check's JSON report (stages/judge/check/check-metrics.ts, CheckReport). */
const JudgeCheckSchema = z.object({
  judgeId: z.string(),
  judgeModels: z.array(z.string()),
  items: z.number(),
  errors: z.array(z.unknown()),
  responseType: LabelFigures,
  refusal: LabelFigures,
  aiValues: SetFigures,
  humanValues: SetFigures,
});
export type JudgeCheck = z.infer<typeof JudgeCheckSchema>;

/** The run directory's judge-check report; null when there is none. An unreadable one is a note, not a failure. */
export async function readJudgeCheck(runDir: string, notes: string[]): Promise<JudgeCheck | null> {
  // Written by `valuescope judge-check GOLD --run <run>`.
  const file = runFile(runDir, 'judgeCheck');
  const text = await fsp.readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    notes.push(`${file}: not valid JSON (${(e as Error).message}); judge validation left out`);
    return null;
  }
  const r = JudgeCheckSchema.safeParse(raw);
  if (r.success) return r.data;
  notes.push(`${file}: not a judge-check report (${r.error.issues[0]?.path.join('.')}); judge validation left out`);
  return null;
}
