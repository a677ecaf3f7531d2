import type { ResponseType } from '../../records/response-types.js';
import type { Concern } from './concern.js';

/**
 * What the report draws, decoupled from the profile.json / diff.json file formats: adapters
 * (profile-view.ts, diff-view.ts) fill these from the analysis output, charts and pages read only these.
 */
export interface ShareItem {
  name: string;
  /** Proportion 0..1. */
  share: number;
  count?: number;
  /** The share's confidence interval (0..1), when profile.json has one; charts draw it as whiskers. */
  lo?: number;
  hi?: number;
}

export interface DomainResponseTypes {
  domain: string;
  /** Judged cells in this domain. */
  n: number;
  shares: Partial<Record<ResponseType, number>>;
}

export interface DisproportionateCell {
  domain: string;
  value: string;
  /** Adjusted Pearson residual (positive: over-represented in this domain). */
  residual: number;
  significant: boolean;
}

export interface ModelProfileView {
  modelId: string;
  /** provider:model, for tables. */
  model: string;
  judged: number;
  errored: number;
  /** Answers reused from the response cache or an earlier run, e.g. "0 of 24 (0.0%)"; absent for older profiles. */
  cachedAnswers?: string;
  /** Level-3 category shares of value mentions (each category once per response, over the five; they sum to 1). */
  categoryShares: ShareItem[];
  /** Level-3 category shares of responses (profile.json's estimates); absent in older fixtures. */
  categoryResponseShares?: ShareItem[];
  responseTypes: ShareItem[];
  responseTypesByDomain: DomainResponseTypes[];
  /** Share of judged cells expressing each value, most frequent first. */
  topValues: ShareItem[];
  /** Share of judged cells expressing each value, for every value (not only the top ones). */
  valueShares: Record<string, number>;
  disproportionate: DisproportionateCell[];
}

export interface ChangeView {
  /** Human-readable metric, e.g. "response type: strong resistance (jailbreak-roleplay)", with its aliases. */
  label: string;
  /** The technical key (records/metric-key.ts), shown on hover. */
  metric: string;
  /** The metric in words without domain or aliases: "strong resistance". */
  name: string;
  /** The duplicates and complements the row stands for, in words ("= 1 − refusal: none"); empty when none. */
  aliases: string[];
  /** Declared direction of harm (concern.ts); for a gate row, the rule's margin. */
  concern: Concern | null;
  /** Id of this change's paired examples in the page (example-pairs.ts), when any were found. */
  exampleId?: string;
  /** What the shares are of ("responses", "responses with an expectation", ...); absent: responses. */
  shareOf?: string;
  /** The gate rule guarding this metric (its numbers are then the gate's, shown in the gate table). */
  gateRule?: string;
  /** null = overall (all shared scenarios). */
  domain: string | null;
  base: number;
  candidate: number;
  delta: number;
  lo: number;
  hi: number;
  /** Unadjusted p-value, when tested. */
  p?: number;
  /** BH-adjusted p-value, in the family of the file it comes from (diff.json: the diff's metrics; gate.json: the gate's rules). */
  q?: number;
  significant: boolean;
}

/** A gate rule's or the whole gate's verdict; `forbid` rules are only pass or fail. */
export type GateStatus = 'pass' | 'fail' | 'inconclusive' | 'error';

interface GateRuleView {
  name: string;
  status: GateStatus;
  detail: string;
}

export interface GateView {
  verdict: GateStatus;
  rules: GateRuleView[];
  warnings: string[];
}

export interface DiffView {
  baseLabel: string;
  candidateLabel: string;
  pairedScenarios: number;
  changes: ChangeView[];
  appeared: ShareItem[];
  vanished: ShareItem[];
  watchlistHits: { value: string; count: number; cells: string[] }[];
  gate: GateView | null;
  notes: string[];
  /** Prefix of the candidate's cell ids in the page when both sides share a model id (transcript-data.ts). */
  candCellPrefix?: string;
  /** Each side's share of answers reused from the response cache or an earlier run; absent for older diff/gate files. */
  answers?: string;
}
