import { randomInt } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { TaxonomyConfigSchema } from '../config/taxonomy-schema.js';
import type { AppContext } from '../core/context.js';
import { EXIT, InputError, UsageError } from '../core/errors.js';
import { LABEL_FILES, type LabelDraw, LabelDrawSchema, labelFile } from '../records/label-draw.js';
import { REFUSALS, RESPONSE_TYPES } from '../records/response-types.js';
import { readManifest } from '../records/run-store.js';
import { loadJudgeDefinition } from '../stages/judge/llm/load-definition.js';
import { drawRecord } from '../stages/report/label/draw-record.js';
import { checkDrawRequest } from '../stages/report/label/draw-sample.js';
import type { LabelRubric } from '../stages/report/label/label-data.js';
import { labelPageHtml } from '../stages/report/label/label-page.js';
import { readCandidates, readDrawnCells } from '../stages/report/label/label-source.js';
import { loadTaxonomy, resolveTaxonomyPath, type Taxonomy } from '../taxonomy/index.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export interface LabelOptions {
  out: string;
  sample?: number | undefined;
  strata?: string[] | undefined;
  seed?: number | undefined;
  annotator?: string | undefined;
  /** The judge definition whose rubric the page shows (judges/<name>.yaml). */
  rubric?: string | undefined;
  /** config.yaml, for the taxonomy offered by the value fields; the built-in tree without one. */
  config?: string | undefined;
}

const DEFAULT_SAMPLE = 50;

/** The config's taxonomy and folder (judge definitions resolve next to it); defaults when there is no config. */
async function configContext(opts: LabelOptions, ctx: AppContext): Promise<{ taxonomy: Taxonomy; dir: string }> {
  const file = opts.config ?? 'config.yaml';
  if (opts.config === undefined && !existsSync(path.resolve(ctx.cwd, file)))
    return { taxonomy: await loadTaxonomy({ threshold: TaxonomyConfigSchema.parse({}).threshold }), dir: ctx.cwd };
  const loaded = await loadConfig(file, { env: ctx.env, cwd: ctx.cwd });
  const t = loaded.config.taxonomy;
  const p = t.path ? resolveTaxonomyPath(t.path, loaded.dir, ctx.env) : undefined;
  return { taxonomy: await loadTaxonomy({ path: p, threshold: t.threshold }), dir: loaded.dir };
}

/** Autocomplete names: leaf values, most frequent first, then the categories; each name once. */
function valueNames(taxonomy: Taxonomy): string[] {
  const nodes = [...taxonomy.tree.nodes].sort((a, b) => a.level - b.level || (b.pct ?? 0) - (a.pct ?? 0));
  const seen = new Set<string>();
  return nodes.map((n) => n.name).filter((n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase()));
}

async function loadRubric(name: string, dir: string): Promise<LabelRubric> {
  const { definition: d } = await loadJudgeDefinition(name, dir);
  const r = d.rubric;
  return {
    id: `${d.name}@${d.version}`,
    aiValues: r.ai_values,
    humanValues: r.human_values,
    responseTypes: RESPONSE_TYPES.map((key) => ({ key, ...r.response_types[key] })),
    refusals: REFUSALS.map((key) => ({ key, ...r.refusals[key] })),
  };
}

/** A draw.json already in --out belongs to labels in progress: only the same draw may be written over it. */
async function guardOut(outDir: string, draw: LabelDraw): Promise<void> {
  const file = labelFile(outDir, 'draw');
  const text = await fsp.readFile(file, 'utf8').catch(() => null);
  if (text === null) return;
  let drawId: string | undefined;
  try {
    drawId = LabelDrawSchema.safeParse(JSON.parse(text)).data?.drawId;
  } catch {
    drawId = undefined;
  }
  if (drawId !== draw.drawId)
    throw new InputError(
      `${file} already records another draw (${drawId ?? 'unreadable'}); labels may depend on it: choose another --out, or move it away first`,
    );
}

function checkAnnotator(name: string | undefined): string | null {
  if (name === undefined) return null;
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 80) throw new UsageError(`--annotator "${name}": give a name of 1 to 80 characters`);
  return trimmed;
}

/**
 * `valuescope label RUN --out DIR`: draws a stratified random sample of the run's judged cells,
 * records the draw (DIR/draw.json) and writes the labelling page (DIR/label.html). Every check runs
 * before the first write: on any error nothing is written.
 */
export async function labelCommand(runArg: string, opts: LabelOptions, ctx: AppContext): Promise<number> {
  const req = { seed: opts.seed ?? randomInt(0, 2 ** 32), sample: opts.sample ?? DEFAULT_SAMPLE, strata: opts.strata ?? [] };
  checkDrawRequest(req);
  const annotator = checkAnnotator(opts.annotator);
  const runDir = path.resolve(ctx.cwd, runArg);
  const manifest = await readManifest(runDir);
  const { taxonomy, dir } = await configContext(opts, ctx);
  const rubric = await loadRubric(opts.rubric ?? 'default', dir);
  const notes: string[] = [];
  const population = await readCandidates(runDir, notes);
  const draw = drawRecord({ id: manifest.runId, dir: runDir }, population, req, ctx.now());
  const cells = await readDrawnCells(runDir, draw.cells, notes);
  const html = labelPageHtml({
    v: 1,
    drawId: draw.drawId,
    runId: manifest.runId,
    annotator,
    cells,
    rubric,
    taxonomy: { id: taxonomy.id, names: valueNames(taxonomy) },
  });
  const outDir = path.resolve(ctx.cwd, opts.out);
  await guardOut(outDir, draw);
  await writeFileAtomic(labelFile(outDir, 'draw'), `${JSON.stringify(draw, null, 2)}\n`);
  await writeFileAtomic(labelFile(outDir, 'page'), html);
  report(draw, outDir, notes, ctx);
  return EXIT.ok;
}

function report(draw: LabelDraw, outDir: string, notes: string[], ctx: AppContext): void {
  const rel = path.relative(ctx.cwd, outDir) || '.';
  const empty = draw.strata.filter((s) => s.drawn === 0);
  const lines = [
    `Drew ${draw.cells.length} of ${draw.eligible} eligible cells (${draw.ineligible} without a successful response and judgment left out), seed ${draw.seed}, ${draw.strataFields.length > 0 ? `strata ${draw.strataFields.join(', ')} (${draw.strata.length})` : 'no strata'}.`,
    `Wrote ${path.join(rel, LABEL_FILES.draw)} (the draw record, draw ${draw.drawId}) and ${path.join(rel, LABEL_FILES.page)} (open it in a browser; keys: press ?).`,
  ];
  if (empty.length > 0)
    lines.push(
      `note: ${empty.length} small strat${empty.length === 1 ? 'um got' : 'a got'} no cell by proportional allocation (${empty
        .slice(0, 3)
        .map((s) => Object.values(s.values).join('/'))
        .join(', ')}${empty.length > 3 ? ', ...' : ''}); a larger --sample reaches them`,
    );
  const thin = draw.strata.filter((s) => s.drawn < 2);
  if (thin.length > 0) {
    // Each stratum's labels stand for its cells: under 2 labels there is no within-stratum variance.
    const smallest = Math.min(...draw.strata.map((s) => s.population));
    const needed = Math.ceil((2 * draw.eligible) / smallest);
    lines.push(
      `warning: ${thin.length} of ${draw.strata.length} strata got fewer than 2 cells: judge-corrected estimates (profile --labels) will report "too few labels" for every metric; draw again with fewer strata, or --sample ${needed} or more`,
    );
  }
  for (const n of notes) lines.push(`note: ${n}`);
  ctx.stdout.write(`${lines.join('\n')}\n`);
}
