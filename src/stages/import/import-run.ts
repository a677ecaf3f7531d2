import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { InputError, UsageError } from '../../core/errors.js';
import { HARNESS_VERSION } from '../../core/version.js';
import type { Manifest } from '../../records/manifest.js';
import { newRunId, RunStore } from '../../records/run-store.js';
import { cellIdOf, type Transcript } from '../../records/transcript.js';
import { contentHash, sha256 } from '../../util/hash.js';
import type { ImportedConversation, ImportItem, ImportProblem } from './conversation.js';
import { LabelWriter, labelLine } from './import-labels.js';
import type { LabelSpec } from './label-values.js';
import { type CsvColumns, csvItems, jsonlItems } from './sources.js';

type ImportFormat = 'openai' | 'anthropic' | 'csv';

export interface ImportOptions {
  file: string;
  format: ImportFormat;
  /** Model id for every conversation; else a record's `model` field; else "imported". */
  modelId?: string | undefined;
  /** Domain for every conversation; else a record's `domain` field; else "imported". */
  domain?: string | undefined;
  outDir: string;
  csv?: Partial<CsvColumns> | undefined;
  skipInvalid?: boolean | undefined;
  /** `--label-column`: keep each record's human label in labels.jsonl (gold for `judge-check --run`). */
  label?: LabelSpec | undefined;
  now: () => Date;
}

export interface ImportResult {
  runId: string;
  runDir: string;
  imported: number;
  skipped: ImportProblem[];
  models: string[];
  /** Conversations imported with a label (0 without --label-column). */
  labelled: number;
}

const SAFE_ID = /[^A-Za-z0-9._-]+/g;
/** Model ids keep `@`: valuescope's own exported targets are `entry@variant` (as `--model-id` keeps it). */
const SAFE_MODEL_ID = /[^A-Za-z0-9._@-]+/g;

/**
 * Turns a file of existing conversations into a run directory (manifest.json with status "imported"
 * and transcripts.jsonl) that judge, profile and diff read like a replayed run. A malformed record
 * stops the import (the half-written run directory is removed) unless `skipInvalid`, which skips and reports it.
 */
export async function importConversations(o: ImportOptions): Promise<ImportResult> {
  if (o.modelId !== undefined && (o.modelId === '' || o.modelId.includes('/')))
    throw new UsageError(`--model-id "${o.modelId}" must be non-empty and contain no "/"`);
  try {
    await fsp.access(o.file);
  } catch {
    throw new InputError('cannot read the import file: check the path', { file: o.file });
  }
  const started = o.now();
  const fileHash = sha256(`${path.resolve(o.file)}\u0000${started.toISOString()}`);
  const runId = newRunId(started, () => parseInt(fileHash.slice(0, 8), 16) / 2 ** 32);
  const manifest = initialManifest(o, runId, started);
  const store = await RunStore.create(o.outDir, manifest, { command: 'import', now: o.now });
  const skipped: ImportProblem[] = [];
  const samples = new Map<string, number>();
  const scenarios: Record<string, string> = {};
  const models = new Map<string, string>();
  const labels = new LabelWriter(store.dir);
  let imported = 0;
  try {
    for await (const read of itemsOf(o)) {
      const label = read.ok && o.label ? labelLine(read.conversation, o.label, o.file) : { line: null };
      const item: ImportItem = 'problem' in label ? { ok: false, problem: label.problem } : read;
      if (!item.ok) {
        const { line, field, message } = item.problem;
        if (!o.skipInvalid)
          throw new InputError(`${message}; fix the record or pass --skip-invalid to skip malformed records`, {
            file: o.file,
            line,
            path: field,
          });
        skipped.push(item.problem);
        continue;
      }
      const t = toTranscript(item.conversation, o, samples, started);
      scenarios[t.scenarioId] = t.scenarioHash;
      models.set(t.modelId, item.conversation.model ?? t.modelId);
      await store.append(t);
      if ('line' in label && label.line) await labels.add(t.cellId, label.line);
      imported++;
    }
    if (imported === 0)
      throw new InputError(`no valid conversations${skipped.length ? ` (${skipped.length} skipped)` : ''}: nothing to import`, {
        file: o.file,
      });
    await labels.close();
    await store.writeManifest(
      finalManifest(manifest, o, { scenarios, models, imported, skipped, samples, labelled: labels.count, finished: o.now() }),
    );
  } catch (e) {
    await labels.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    await fsp.rm(store.dir, { recursive: true, force: true });
    throw e;
  }
  await store.close();
  return { runId, runDir: store.dir, imported, skipped, models: [...models.keys()], labelled: labels.count };
}

function itemsOf(o: ImportOptions): AsyncGenerator<ImportItem> {
  if (o.format === 'csv') {
    return csvItems(o.file, {
      prompt: o.csv?.prompt ?? 'prompt',
      response: o.csv?.response ?? 'response',
      system: o.csv?.system,
      id: o.csv?.id,
      label: o.label?.column,
    });
  }
  return jsonlItems(o.file, o.format, o.label?.column);
}

function toTranscript(c: ImportedConversation, o: ImportOptions, samples: Map<string, number>, at: Date): Transcript {
  const prompt = { system: c.system ?? null, messages: c.messages };
  const scenarioHash = contentHash(prompt);
  // Same prompt (or same id) twice = two samples of one scenario, as in a replayed run.
  const scenarioId = c.id ? c.id.replace(SAFE_ID, '-') : `imp-${scenarioHash.slice(0, 12)}`;
  const modelId = o.modelId ?? (c.model ? c.model.replace(SAFE_MODEL_ID, '-') : 'imported');
  const key = `${modelId}/${scenarioId}`;
  const sample = samples.get(key) ?? 0;
  samples.set(key, sample + 1);
  const stamp = at.toISOString();
  return {
    v: 1,
    cellId: cellIdOf(modelId, scenarioId, sample),
    modelId,
    provider: 'imported',
    model: c.model ?? modelId,
    scenarioId,
    domain: o.domain ?? c.domain ?? 'imported',
    sample,
    scenarioHash,
    userValues: c.userValues ?? [],
    tags: ['imported', `line:${c.line}`],
    request: { ...(c.system ? { system: c.system } : {}), messages: c.messages, maxTokens: 0 },
    response: {
      text: c.response,
      finishReason: 'imported',
      usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
      latencyMs: 0,
    },
    attempts: 0,
    cached: false,
    error: null,
    startedAt: stamp,
    finishedAt: stamp,
  };
}

function initialManifest(o: ImportOptions, runId: string, started: Date): Manifest {
  return {
    v: 1,
    runId,
    status: 'imported',
    startedAt: started.toISOString(),
    finishedAt: null,
    harnessVersion: HARNESS_VERSION,
    configHash: contentHash({
      import: { format: o.format, modelId: o.modelId ?? null, domain: o.domain ?? null, csv: o.csv ?? null },
      ...(o.label ? { label: { column: o.label.column, kind: o.label.kind, map: [...o.label.map] } } : {}),
    }),
    suiteHash: '',
    scenarios: {},
    samples: 1,
    models: [],
    counts: { planned: 0, done: 0, errored: 0 },
    notes: [`importing ${path.resolve(o.file)} (format ${o.format})`],
  };
}

function finalManifest(
  m: Manifest,
  o: ImportOptions,
  r: {
    scenarios: Record<string, string>;
    models: Map<string, string>;
    imported: number;
    skipped: ImportProblem[];
    samples: Map<string, number>;
    labelled: number;
    finished: Date;
  },
): Manifest {
  const notes = [`imported from ${path.resolve(o.file)} (format ${o.format}); ${r.imported} conversations`];
  if (o.label) notes.push(`${r.labelled} conversation(s) carry a ${o.label.kind} label from "${o.label.column}" (labels.jsonl)`);
  if (r.skipped.length > 0)
    notes.push(`skipped ${r.skipped.length} invalid record(s) at line(s) ${r.skipped.map((p) => p.line).join(', ')}`);
  return {
    ...m,
    finishedAt: r.finished.toISOString(),
    // The suite of an import is its set of prompts: two imports of the same prompts compare like two runs of one suite.
    suiteHash: contentHash(Object.entries(r.scenarios).sort(([a], [b]) => a.localeCompare(b))),
    scenarios: r.scenarios,
    samples: Math.max(1, ...r.samples.values()),
    models: [...r.models].map(([id, model]) => ({ id, provider: 'imported', model, maxTokens: 0, concurrency: 1 })),
    counts: { planned: r.imported, done: r.imported, errored: 0 },
    notes,
  };
}
