import type { TableCell } from './blocks.js';
import type { JudgeCheck, ProvenanceColumn } from './provenance-data.js';
import { addCosts, costText, coverage, int, kinds, pct, served, shortHash, tokens, when } from './provenance-format.js';

/** A row of the provenance table: its name in words, and its cell for one column. */
export type ProvenanceRow = [string, (c: ProvenanceColumn) => TableCell];

const NO_MANIFEST = 'no manifest.json';
const NO_TRANSCRIPTS = 'no transcripts.jsonl';
const NOT_JUDGED = 'not judged (no judgments.jsonl)';

const cellsCount = (n: number): string => `${int(n)} cell${n === 1 ? '' : 's'}`;

function timeText(c: ProvenanceColumn): string {
  const m = c.manifest;
  if (!m) return NO_MANIFEST;
  if (!m.finishedAt) return `${when(m.startedAt)} → not finished`;
  const [start, end] = [when(m.startedAt), when(m.finishedAt)];
  // Same day: the finish needs only its time.
  return start.slice(0, 10) === end.slice(0, 10) ? `${start.replace(' UTC', '')} → ${end.slice(11)}` : `${start} → ${end}`;
}

/** Provider, wire model, parameters, system prompt hash and combine mode, header names: what a target sends. */
export function modelText(c: ProvenanceColumn): string {
  const m = c.model;
  if (!m) return `${c.modelId} (not in manifest.json)`;
  const params = [
    m.temperature !== undefined ? `temperature ${m.temperature}` : null,
    m.topP !== undefined ? `top_p ${m.topP}` : null,
    `max ${m.maxTokens} tokens`,
    // The prompt text is not in the manifest: its hash tells two prompts apart, which is what a reader needs.
    m.systemHash !== undefined ? `system prompt sha256 ${m.systemHash.slice(0, 12)} (${m.systemCombine ?? 'prepend'})` : null,
    m.headerNames && m.headerNames.length > 0 ? `headers ${m.headerNames.join(', ')}` : null,
  ].filter((p) => p !== null);
  return `${m.provider}:${m.model}, ${params.join(', ')}`;
}

function cellsText(c: ProvenanceColumn): string {
  const a = c.answers;
  const reused = !a
    ? ''
    : a.reused === 0
      ? ', no answer reused'
      : `, ${int(a.reused)} of ${int(a.answered)} answers reused (${pct(a.reused, a.answered)})`;
  if (!c.cells)
    return c.manifest
      ? `whole run: ${int(c.manifest.counts.done)} done, ${int(c.manifest.counts.errored)} errored${reused}`
      : NO_TRANSCRIPTS;
  const planned = c.manifest && c.model ? ` of ${int(Object.keys(c.manifest.scenarios).length * c.manifest.samples)}` : '';
  return `${int(c.cells.cells - c.cells.errored)}${planned} done, ${int(c.cells.errored)} errored${reused}`;
}

function retriesText(c: ProvenanceColumn): string {
  const t = c.cells;
  if (!t) return NO_TRANSCRIPTS;
  const again = t.reattempted > 0 ? `, ${int(t.reattempted)} errored lines re-run` : '';
  return `${cellsCount(t.retriedCells)} retried (${int(t.attempts)} attempts)${again}; errors: ${kinds(t.errorKinds)}`;
}

function judgeText(c: ProvenanceColumn): TableCell {
  const j = c.judge;
  if (!j) return NOT_JUDGED;
  if (j.cells === 0) return 'no judgments for this model';
  const hash = j.judgeHashes.join(', ');
  return { text: `${j.judgeIds.join(', ')} on ${j.judgeModels.join(', ')}, hash ${hash.slice(0, 12)}`, title: hash };
}

/** Accuracy and Cohen's kappa of response type and refusal, F1 of AI values, on the gold items. */
export function validationText(v: JudgeCheck | null, c: ProvenanceColumn): string {
  if (!v) return 'no judge-check on record';
  const f = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2));
  const other = c.judge?.judgeIds.length && !c.judge.judgeIds.includes(v.judgeId) ? `; checked ${v.judgeId}, not this run's judge` : '';
  return (
    `response type accuracy ${f(v.responseType.accuracy)}, κ ${f(v.responseType.kappa)}; refusal accuracy ${f(v.refusal.accuracy)}, ` +
    `κ ${f(v.refusal.kappa)}; AI values F1 ${f(v.aiValues.f1)} (${int(v.items)} gold items)${other}`
  );
}

function judgeErrorsText(c: ProvenanceColumn): string {
  const j = c.judge;
  if (!j) return NOT_JUDGED;
  const unanswered = j.noResponse > 0 ? `; ${cellsCount(j.noResponse)} without an answer to judge` : '';
  return `${kinds(j.errorKinds)}${unanswered}`;
}

function mappedText(c: ProvenanceColumn): string {
  if (!c.judge) return NOT_JUDGED;
  return `AI ${coverage(c.judge.coverage.ai)}; user ${coverage(c.judge.coverage.user)}`;
}

function tokensText(c: ProvenanceColumn): string {
  const model = c.cells ? `model ${tokens(c.cells.tokens)}` : `model: ${NO_TRANSCRIPTS}`;
  const r = c.cells?.reusedTokens;
  const reused = r && r.input + r.output > 0 ? `; reused answers ${tokens(r)} (not paid by this run)` : '';
  const cache = c.judge && c.judge.fromCache > 0 ? ` (${cellsCount(c.judge.fromCache)} from the judge cache, $0)` : '';
  const judge = c.judge ? `; judge ${tokens(c.judge.tokens)}${cache}` : '';
  return `${model}${reused}${judge}`;
}

function costRow(c: ProvenanceColumn): string {
  const { model, judge, saved } = c.cost;
  const total = addCosts([model, judge]);
  // Reused answers cost this run nothing; what they would have cost is what reusing them saved.
  const reused = saved !== undefined ? `; reused answers $0 (${costText({ usd: saved })} at these prices)` : '';
  if ('usd' in total) return `model ${costText(model)} + judge ${costText(judge)} = ${costText(total)}${reused}`;
  if ('unknown' in model && 'unknown' in judge && model.unknown === judge.unknown) return model.unknown;
  return `model: ${costText(model)}; judge: ${costText(judge)}`;
}

export const ROWS: ProvenanceRow[] = [
  ['run', (c) => c.manifest?.runId ?? NO_MANIFEST],
  ['started → finished', timeText],
  ['status', (c) => (c.manifest ? `${c.manifest.status.replace(/_/g, ' ')}, harness ${c.manifest.harnessVersion}` : NO_MANIFEST)],
  ['config hash', (c) => shortHash(c.manifest?.configHash)],
  ['suite hash', (c) => shortHash(c.manifest?.suiteHash)],
  ['samples × scenarios', (c) => (c.manifest ? `${c.manifest.samples} × ${int(Object.keys(c.manifest.scenarios).length)}` : NO_MANIFEST)],
  ['model', modelText],
  ['served as', (c) => served(c.served)],
  ['cells', cellsText],
  ['retries', retriesText],
  ['judge', judgeText],
  ['judge validation', (c) => validationText(c.validation, c)],
  ['judge errors', judgeErrorsText],
  ['values mapped', mappedText],
  ['tokens', tokensText],
  ['cost', costRow],
];
