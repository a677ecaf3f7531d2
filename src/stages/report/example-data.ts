/**
 * The paired examples embedded in report.html (`<script type="application/json" id="examples">`):
 * for a change or a gate rule, the same scenario's answer from each side, by cell id (the cells
 * themselves are in the page's `cells` block). Built by example-pairs.ts, shown by client/.
 * Types only: compiled under both tsconfig.json and tsconfig.client.json.
 */

export interface ExamplePair {
  scenario: string;
  domain: string;
  /** Cell ids: the base side's and the candidate side's answer to this scenario. */
  base: string;
  cand: string;
}

export interface ExampleSet {
  /** What a `data-link` `example` refers to. */
  id: string;
  /** "strong resistance (unethical-requests)". */
  title: string;
  /** One line: the change and why these scenarios were picked. */
  detail: string;
  metric: string;
  domain: string | null;
  pairs: ExamplePair[];
}

export interface ExamplesData {
  baseLabel: string;
  candidateLabel: string;
  sets: ExampleSet[];
}
