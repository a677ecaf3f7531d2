/**
 * The transcript browser's static markup (heading, controls, the empty container client/ fills).
 * Constant text only: nothing from the run is interpolated here.
 */
export function transcriptSectionHtml(): string {
  return `<section id="transcripts"><h2>Transcripts</h2>
<p class="muted">Every transcript, grouped by domain and scenario. Highlighted text is the evidence the judge quoted for a value (hover for the value).</p>
<div class="controls"><label for="model-filter">Model</label><select id="model-filter"><option value="">all models</option></select></div>
<div id="browser"></div></section>`;
}
