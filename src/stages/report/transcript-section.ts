/**
 * The transcript browser's static markup (heading, controls, the empty container client/ fills).
 * Constant text only: nothing from the run is interpolated here. The ids are what client/controls.ts
 * and the browser tests use.
 */
export function transcriptSectionHtml(): string {
  return `<section id="transcripts"><h2>Transcripts</h2>
<p class="muted">Every transcript, grouped by domain and scenario. Highlighted text is the evidence the judge quoted for a value (hover for the value). Search and filters narrow the list; the report's tables link here.</p>
<div class="controls" id="transcript-controls">
<label class="field search">Search <input type="search" id="transcript-search" placeholder="scenario, text or value" autocomplete="off" spellcheck="false"></label>
<label class="field">Domain <select id="domain-filter"><option value="">all domains</option></select></label>
<label class="field">Response type <select id="type-filter"><option value="">all types</option></select></label>
<label class="field">Model <select id="model-filter"><option value="">all models</option></select></label>
<label class="check"><input type="checkbox" id="expect-filter"> expectation failed</label>
<label class="check"><input type="checkbox" id="watch-filter"> watch-list hit</label>
<label class="check" id="changed-filter-label" hidden><input type="checkbox" id="changed-filter"> changed between sides</label>
<button type="button" id="clear-filters">clear filters</button>
</div>
<div id="active-filter" class="chip" role="status" hidden></div>
<p id="transcript-count" class="count-line" aria-live="polite"></p>
<div id="browser"></div></section>`;
}
