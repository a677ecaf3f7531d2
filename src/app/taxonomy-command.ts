import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { type TaxonomyConfig, TaxonomyConfigSchema } from '../config/taxonomy-schema.js';
import type { AppContext } from '../core/context.js';
import { EXIT } from '../core/errors.js';
import { TAXONOMY_CREDIT } from '../taxonomy/credit.js';
import { loadTaxonomy } from '../taxonomy/load.js';
import { pullPublishedTree } from '../taxonomy/pull.js';
import type { Taxonomy } from '../taxonomy/taxonomy.js';
import { resolveTaxonomyPath } from '../taxonomy/taxonomy-path.js';

export async function taxonomyPull(opts: { dest?: string; url?: string; allowUnpinned?: boolean }, ctx: AppContext): Promise<number> {
  const r = await pullPublishedTree({
    fetch: ctx.fetch,
    env: ctx.env,
    dest: opts.dest ? path.resolve(ctx.cwd, opts.dest) : undefined,
    url: opts.url,
    allowUnpinned: opts.allowUnpinned,
    signal: ctx.signal,
  });
  const [leaves, l1, l2, l3] = r.counts;
  ctx.stdout.write(
    `Downloaded and verified ${r.file}\n` +
      `  rows: ${leaves} values, ${l1} + ${l2} + ${l3} categories; sha256 ${r.sha256}${r.pinned ? ' (pinned)' : ' (NOT the pinned version)'}\n` +
      `  top-level shares (summed from the leaves): ${r.topLevel.map((c) => `${c.name.replace(/ values$/, '')} ${c.summed}`).join(', ')}\n` +
      `Use it by adding to config.yaml:\n  taxonomy:\n    path: ${r.file}\n${TAXONOMY_CREDIT}\n`,
  );
  return EXIT.ok;
}

/** The taxonomy a config selects, with its path resolved like the judge resolves it (relative to the config file). */
async function fromConfig(
  configFile: string | undefined,
  ctx: AppContext,
): Promise<{ taxonomy: Taxonomy; config: TaxonomyConfig; origin: string }> {
  const file = configFile ?? 'config.yaml';
  const exists = await fsp.access(path.resolve(ctx.cwd, file)).then(
    () => true,
    () => false,
  );
  if (!configFile && !exists) {
    const config = TaxonomyConfigSchema.parse({});
    return { taxonomy: await loadTaxonomy({ threshold: config.threshold }), config, origin: 'no config.yaml here: defaults' };
  }
  const { loadConfig } = await import('../config/load-config.js');
  const loaded = await loadConfig(file, { env: ctx.env, cwd: ctx.cwd });
  const t = loaded.config.taxonomy;
  const p = t.path ? resolveTaxonomyPath(t.path, loaded.dir, ctx.env) : undefined;
  return { taxonomy: await loadTaxonomy({ path: p, threshold: t.threshold }), config: t, origin: loaded.file };
}

export async function taxonomyShow(opts: { config?: string }, ctx: AppContext): Promise<number> {
  const { taxonomy, config, origin } = await fromConfig(opts.config, ctx);
  const c = taxonomy.counts();
  const lines = [
    `taxonomy: ${taxonomy.id} (${taxonomy.source === 'builtin' ? 'built-in' : `published tree at ${taxonomy.tree.file}`})`,
    `config: ${origin}`,
    `counts: ${c.leaves} leaf values, ${c.l1} level-1, ${c.l2} level-2, ${c.l3} top-level categories`,
    `matching: exact -> lexical (threshold ${config.threshold}) -> ${config.judgeAssisted ? `judge-assisted among top ${config.topK}` : 'judge-assisted off'} -> unmapped`,
  ];
  for (const top of taxonomy.categories(3)) {
    lines.push(`  ${top}`);
    for (const l2 of taxonomy.categories(2).filter((n) => taxonomy.parentOf(n) === top)) lines.push(`    ${l2}`);
  }
  lines.push(TAXONOMY_CREDIT);
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

export async function taxonomyMatch(
  names: string[],
  opts: { config?: string; candidates?: number; json?: boolean },
  ctx: AppContext,
): Promise<number> {
  const { taxonomy } = await fromConfig(opts.config, ctx);
  for (const name of names) {
    const p = taxonomy.match(name);
    const candidates = opts.candidates ? taxonomy.candidates(name, opts.candidates) : undefined;
    if (opts.json) {
      ctx.stdout.write(
        JSON.stringify({ name, ...p, ...(candidates ? { candidates: candidates.map((c) => ({ leaf: c.leaf, score: c.score })) } : {}) }) +
          '\n',
      );
      continue;
    }
    const where = p.method === 'unmapped' ? '(unmapped)' : [p.leaf, p.l1, p.l2, p.l3].filter((x) => x !== null).join(' > ');
    ctx.stdout.write(`${name} -> ${where}  [${p.method}, score ${p.score}]\n`);
    for (const c of candidates ?? []) ctx.stdout.write(`    candidate ${c.leaf} (${c.score})\n`);
  }
  ctx.stdout.write(`(${taxonomy.id}; ${taxonomy.coverage(names).exact + taxonomy.coverage(names).lexical} of ${names.length} mapped)\n`);
  return EXIT.ok;
}
