import path from 'node:path';
import { parseConfigText } from '../config/load-config.js';
import type { AppContext } from '../core/context.js';
import { EXIT, formatLocation } from '../core/errors.js';
import { inspectSuite } from '../scenarios/load-suite.js';
import { findNearDuplicates, NEAR_DUPLICATE_THRESHOLD } from '../scenarios/near-duplicates.js';
import { suiteStats } from '../scenarios/suite-stats.js';
import { readTextInput } from '../util/read-text.js';
import type { Problem } from '../util/yaml-source.js';

export interface ValidateOptions {
  config: string;
  scenarios?: string[];
  similarity?: number;
  strict?: boolean;
}

/**
 * Checks config and suite and lists EVERY problem (not just the first), so one edit-validate cycle
 * fixes them all. Near-duplicates are warnings; `--strict` turns them into failures.
 */
export async function validateCommand(opts: ValidateOptions, ctx: AppContext): Promise<number> {
  const out = (s: string) => ctx.stdout.write(`${s}\n`);
  const problems: Problem[] = [];
  const configPath = path.resolve(ctx.cwd, opts.config);
  const shownConfig = path.relative(ctx.cwd, configPath) || configPath;
  let suitePatterns = opts.scenarios;
  let baseDir = ctx.cwd;

  const read = await readTextInput(configPath, shownConfig).catch(() => undefined);
  if (read === undefined) {
    problems.push({ file: shownConfig, message: 'config file not found: pass --config FILE or create config.yaml (see README)' });
  } else if ('problem' in read) {
    problems.push(read.problem);
  } else {
    const { config, problems: cp } = parseConfigText(shownConfig, read.text, ctx.env);
    problems.push(...cp);
    if (config) {
      out(
        `${shownConfig}: ok (${config.models.length} model${config.models.length === 1 ? '' : 's'}: ${config.models.map((m) => m.id).join(', ')})`,
      );
      baseDir = path.dirname(configPath);
      suitePatterns ??= config.suite;
    }
  }

  const patterns = suitePatterns ?? ['scenarios'];
  const { suite, problems: sp } = await inspectSuite(patterns, { cwd: opts.scenarios ? ctx.cwd : baseDir });
  problems.push(...sp);
  const stats = suiteStats(suite.scenarios);
  const share = stats.total ? Math.round((100 * stats.multiTurn) / stats.total) : 0;
  out(`scenarios: ${stats.total} valid in ${stats.byDomain.length} domains, ${share}% multi-turn, suite hash ${suite.hash.slice(0, 12)}`);
  if (stats.byDomain.length > 0) {
    const w = Math.max(6, ...stats.byDomain.map((d) => d.domain.length));
    out(`  ${'domain'.padEnd(w)}  count  multi-turn  expect  user-values`);
    for (const d of stats.byDomain) {
      out(
        `  ${d.domain.padEnd(w)}  ${String(d.count).padStart(5)}  ${String(d.multiTurn).padStart(10)}  ${String(d.withExpect).padStart(6)}  ${String(d.withUserValues).padStart(11)}`,
      );
    }
  }

  const threshold = opts.similarity ?? NEAR_DUPLICATE_THRESHOLD;
  const dups = findNearDuplicates(suite.scenarios, threshold);
  if (dups.length === 0) out(`near-duplicates: none (word 3-gram Jaccard >= ${threshold})`);
  else {
    out(
      `near-duplicates: ${dups.length} pair${dups.length === 1 ? '' : 's'} (word 3-gram Jaccard >= ${threshold}); make them differ or remove one:`,
    );
    for (const d of dups) out(`  warning: ${d.a} ~ ${d.b} (similarity ${d.similarity.toFixed(2)})`);
  }

  if (problems.length > 0) {
    ctx.stderr.write(`\n${problems.length} problem${problems.length === 1 ? '' : 's'}:\n`);
    for (const p of problems) ctx.stderr.write(`  ${formatLocation(p)}: ${p.message}\n`);
    return EXIT.usage;
  }
  if (opts.strict && dups.length > 0) return EXIT.usage;
  out('valid');
  return EXIT.ok;
}
