import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ModelSpec } from '../../config/model-schema.js';
import { ConfigError, InputError, ProviderError } from '../../core/errors.js';
import { runFile } from '../../records/run-files.js';
import { servedModelOf } from '../../records/transcript.js';
import type { FinishReason, GenerateRequest, GenerateResult, LanguageModel } from '../language-model.js';
import type { ProviderDeps } from '../provider-deps.js';
import { loadReplayIndex, type ReplayEntry, replayKey } from './replay-index.js';

const FINISH_REASONS = new Set<string>(['stop', 'length', 'content_filter', 'tool_calls', 'error', 'other']);

/**
 * Answers from an earlier run's transcripts.jsonl: no network, no key. Useful to re-judge or
 * re-profile a run, and to test the pipeline against a known set of answers.
 */
export class ReplayModel implements LanguageModel {
  readonly provider = 'replay';
  readonly modelId: string;
  private readonly file: string;
  private readonly sourceModelId: string;
  private index: Promise<{ entries: Map<string, ReplayEntry>; modelsSeen: Set<string> }> | undefined;

  constructor(spec: ModelSpec, deps: ProviderDeps) {
    if (!spec.replayFrom) {
      throw new ConfigError([
        {
          file: 'config.yaml',
          path: `models[${spec.id}].replayFrom`,
          message: 'the replay provider needs `replayFrom`: the run directory to replay',
        },
      ]);
    }
    const dir = resolve(deps.cwd, spec.replayFrom);
    this.file = runFile(dir, 'transcripts');
    if (!existsSync(this.file)) {
      throw new InputError(`replayFrom has no transcripts.jsonl (${this.file}); point it at a finished run directory under results/`);
    }
    this.sourceModelId = spec.replayModelId ?? spec.id;
    this.modelId = spec.model;
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const started = performance.now();
    if (req.signal?.aborted)
      throw new ProviderError('replay request was aborted', { kind: 'aborted', retryable: false, cause: req.signal.reason });
    this.index ??= loadReplayIndex(this.file, this.sourceModelId);
    const { entries, modelsSeen } = await this.index;
    const sample = req.sample ?? 0;
    const hit = entries.get(replayKey(req.system, req.messages, sample));
    if (!hit) throw this.miss(req, sample, entries.size, modelsSeen);
    return {
      text: hit.text,
      finishReason: (FINISH_REASONS.has(hit.finishReason) ? hit.finishReason : 'other') as FinishReason,
      usage: { ...hit.usage },
      latencyMs: performance.now() - started,
      // The replayed answer keeps naming the model that produced it, as that run recorded it.
      ...(hit.served !== undefined ? { served: servedModelOf(hit.served) } : {}),
      warnings: [],
      providerMetadata: {
        replayFrom: this.file,
        replayedCellId: hit.cellId,
        originalLatencyMs: hit.latencyMs,
        ...(hit.requestId !== undefined ? { originalRequestId: hit.requestId } : {}),
      },
    };
  }

  private miss(req: GenerateRequest, sample: number, size: number, modelsSeen: Set<string>): ProviderError {
    const lastUser = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const why = !modelsSeen.has(this.sourceModelId)
      ? `model id '${this.sourceModelId}' has no rows there (ids seen: ${[...modelsSeen].join(', ') || 'none'}); set replayModelId`
      : `no successful answer among ${size} for sample ${sample} with these exact messages (last user message starts "${lastUser.slice(0, 60)}"); the scenario text, system prompt or sample count may have changed since that run`;
    return new ProviderError(`replay miss in ${this.file}: ${why}`, { kind: 'replay_miss', retryable: false });
  }
}
