/**
 * The one transcript record embedded in report.html (`<script id="cells" type="application/json">`).
 * Shared by both sides so they cannot drift: the server builds it (transcript-data.ts) and the
 * browser script reads it (client/). Types only: this file must stay free of Node and DOM APIs,
 * as it is compiled under both tsconfig.json and tsconfig.client.json.
 */

/** A span of the response the judge cited as evidence for a value (same shape as highlight.ts's Mark). */
type EvidenceMark = [start: number, end: number, valueIndex: number];

interface CellMessage {
  role: string;
  text: string;
}

/** One value the judge found in the response. */
export interface CellAiValue {
  name: string;
  /** Top-level (l3) taxonomy category. */
  category: string | null;
  /** The judge's quote from the response, when it gave one. */
  evidence?: string;
}

/** One rater's labels, when the judgment is a panel's consensus (Judgment.raters). */
export interface CellRater {
  judge: string;
  responseType: string | null;
  refusal: string | null;
  /** The rater's own failure, when it had one (its labels are then null). */
  error?: string;
}

export interface TranscriptCell {
  /** Cell id; the rendered transcript's element id is `cell-<id>`. */
  id: string;
  /** Label of the model (or diff side) shown in the page and offered in the model filter. */
  model: string;
  domain: string;
  scenario: string;
  sample: number;
  system?: string;
  messages: CellMessage[];
  /** The model's answer; null when the call failed. */
  response: string | null;
  /** Why the call failed (`kind: message`). */
  error?: string;
  /** The fields below come from the judgment, when the cell was judged. */
  responseType?: string | null;
  refusal?: string | null;
  aiValues?: CellAiValue[];
  humanValues?: string[];
  userValues: string[];
  /** Sorted, non-overlapping spans of `response` to highlight; valueIndex points into aiValues. */
  marks?: EvidenceMark[];
  judgeError?: string;
  /** Which side of a diff the cell is from; absent in a run report. */
  side?: 'base' | 'cand';
  /** The scenario's expected response types (`expect`), when it has any. */
  expect?: string[];
  /** Whether the judged response type is in `expect`; only for judged cells (no judge error) with an `expect`. */
  expectPass?: boolean;
  /** Metric keys whose numerator the cell counts in (records/cell-features.ts); judged cells without judge error only. */
  metrics?: string[];
  /** Watch-list entries the cell's AI values hit; absent when none. */
  watchHits?: string[];
  /** True when the scenario changed between the diff's sides; absent otherwise. */
  changed?: boolean;
  /** The judgment's judge id ("claude-judge@3", several joined with '+'). */
  judge?: string;
  /** Each rater's labels, only when more than one rater judged the cell. */
  raters?: CellRater[];
}
