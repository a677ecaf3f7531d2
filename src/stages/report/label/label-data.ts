/**
 * The data the labelling page embeds (one JSON block) and its script reads. Types only, shared by
 * the page writer and the browser client (client/label/), so no Node types here.
 */
export interface LabelMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** The judge's labels for a cell: revealed only after the annotator's own answer is complete. */
interface JudgeLabels {
  responseType: string | null;
  refusal: string | null;
  aiValues: string[];
  humanValues: string[];
}

export interface LabelCell {
  cellId: string;
  domain: string;
  scenario: string;
  system?: string;
  messages: LabelMessage[];
  response: string;
  judge: JudgeLabels;
}

/** One rubric label: its key in the gold format, its definition and borderline example (judges/<name>.yaml). */
export interface RubricEntry {
  key: string;
  definition: string;
  borderline: string;
}

export interface LabelRubric {
  /** e.g. "default@1": the rubric version the labels were made against. */
  id: string;
  aiValues: string;
  humanValues: string;
  responseTypes: RubricEntry[];
  refusals: RubricEntry[];
}

export interface LabelPageData {
  v: 1;
  drawId: string;
  runId: string;
  /** Given by `--annotator`; null: the page asks for a name first. */
  annotator: string | null;
  cells: LabelCell[];
  rubric: LabelRubric;
  /** Value names offered by the value fields' autocomplete (taxonomy leaves by frequency, then categories). */
  taxonomy: { id: string; names: string[] };
}

/** Keys of the refusal levels, in rubric order (none, partial, full). */
export const REFUSAL_KEYS = ['n', 'p', 'f'] as const;
