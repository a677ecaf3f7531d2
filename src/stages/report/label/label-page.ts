import { pagePolicy } from '../content-policy.js';
import { escapeHtml as h, jsonForScript } from '../escape.js';
import { type LabelPageData, REFUSAL_KEYS, type RubricEntry } from './label-data.js';
import { labelScript } from './label-script.js';
import { LABEL_CSS } from './label-style.js';

const words = (key: string): string => key.replace(/_/g, ' ');

/** A radio group of label buttons, each with its shortcut; the script keeps aria-checked in step. */
function choiceGroup(
  id: string,
  title: string,
  hint: string,
  entries: readonly RubricEntry[],
  keys: readonly string[],
  attr: string,
): string {
  const buttons = entries
    .map(
      (e, i) =>
        `<button type="button" role="radio" aria-checked="false" data-${attr}="${h(e.key)}" aria-keyshortcuts="${h(keys[i] ?? '')}" title="${h(e.definition)}"><kbd>${h(keys[i] ?? '')}</kbd> ${h(words(e.key))}</button>`,
    )
    .join('');
  return `<div class="group"><h3 id="${id}-title">${h(title)} <span class="muted">${h(hint)}</span></h3><div role="radiogroup" id="${id}" aria-labelledby="${id}-title">${buttons}</div></div>`;
}

/** A value field: chips of the names entered, and a combobox whose list the script fills from the taxonomy. */
function valueField(id: string, title: string, key: string): string {
  return `<div class="group values"><h3><label for="${id}-input">${h(title)}</label> <span class="muted">key ${key}; Enter adds, Backspace removes the last, Esc leaves; a field never opened is not labelled: open it and leave it empty for “none”</span></h3>
<ul id="${id}-chips" class="chips" aria-label="${h(title)} entered"></ul>
<div class="combo"><input id="${id}-input" type="text" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="${id}-list" autocomplete="off" spellcheck="false" aria-keyshortcuts="${key}">
<ul id="${id}-list" role="listbox" aria-label="${h(title)} suggestions" hidden></ul></div></div>`;
}

function rubricList(entries: readonly RubricEntry[], keys: readonly string[]): string {
  return `<dl>${entries
    .map(
      (e, i) =>
        `<dt id="rubric-${h(e.key)}"><kbd>${h(keys[i] ?? '')}</kbd> ${h(words(e.key))}</dt><dd><p>${h(e.definition)}</p><p class="borderline"><strong>Borderline:</strong> ${h(e.borderline)}</p></dd>`,
    )
    .join('')}</dl>`;
}

const HELP_ROWS: [string, string][] = [
  ['1 – 7', 'response type (in rubric order)'],
  ['n / p / f', 'refusal: none, partial, full'],
  ['a / h', 'type AI values / human values (Enter adds a name, Esc leaves the field)'],
  ['Enter', 'answer complete: shows the judge’s labels; Enter again goes to the next cell'],
  ['j or → / k or ←', 'next / previous cell'],
  ['z or Ctrl+Z', 'undo the last change'],
  ['e', 'export the labels (JSON Lines, the gold format of judge-check)'],
  ['?', 'show or hide this list'],
];

function bodyHtml(d: LabelPageData): string {
  const typeKeys = d.rubric.responseTypes.map((_, i) => String(i + 1));
  const help = HELP_ROWS.map(([k, v]) => `<tr><th scope="row"><kbd>${h(k)}</kbd></th><td>${h(v)}</td></tr>`).join('');
  return `<header class="top"><h1>Labelling <span class="muted">run ${h(d.runId)} · draw ${h(d.drawId)}</span></h1>
<p id="progress" class="progress"></p>
<div class="actions"><button type="button" id="undo" aria-keyshortcuts="z Control+Z">Undo (z)</button><button type="button" id="export" aria-keyshortcuts="e">Export labels (e)</button><button type="button" id="help-toggle" aria-expanded="false" aria-controls="help" aria-keyshortcuts="?">Keys (?)</button></div></header>
<noscript><p class="notice">This page needs JavaScript (its own inline script; it loads nothing from the network).</p></noscript>
<form id="annotator-form" hidden><label for="annotator-input">Your name as annotator (written into every exported label)</label> <input id="annotator-input" type="text" autocomplete="off" maxlength="80" required> <button type="submit">Start labelling</button></form>
<section id="help" hidden aria-label="Keyboard shortcuts"><table><tbody>${help}</tbody></table></section>
<main id="workspace" hidden>
<section id="transcript" aria-labelledby="transcript-title"><h2 id="transcript-title">Transcript</h2><p id="cell-meta" class="muted"></p><div id="conversation"></div></section>
<section id="answer" aria-labelledby="answer-title"><h2 id="answer-title">Your labels</h2>
${choiceGroup('type-group', 'Response type', 'keys 1–7', d.rubric.responseTypes, typeKeys, 'type')}
${choiceGroup('refusal-group', 'Refusal', 'keys n, p, f', d.rubric.refusals, REFUSAL_KEYS, 'refusal')}
${valueField('ai', 'AI values', 'a')}
${valueField('human', 'Human values', 'h')}
<p><button type="button" id="submit" aria-keyshortcuts="Enter">Answer complete (Enter)</button> <span id="missing" class="muted"></span></p>
<section id="judge" hidden aria-labelledby="judge-title"><h3 id="judge-title">The judge’s labels</h3><dl id="judge-labels"></dl></section>
<nav class="move" aria-label="Cells"><button type="button" id="prev" aria-keyshortcuts="k ArrowLeft">← Previous (k)</button> <button type="button" id="next" aria-keyshortcuts="j ArrowRight">Next (j) →</button></nav>
</section>
<aside id="rubric" aria-labelledby="rubric-title"><h2 id="rubric-title">Rubric <span class="muted">${h(d.rubric.id)}</span></h2>
<h3>Response types</h3>${rubricList(d.rubric.responseTypes, typeKeys)}
<h3>Refusal</h3>${rubricList(d.rubric.refusals, REFUSAL_KEYS)}
<h3>AI values</h3><p>${h(d.rubric.aiValues)}</p>
<h3>Human values</h3><p>${h(d.rubric.humanValues)}</p></aside>
</main>
<p id="status" role="status" aria-live="polite" class="muted"></p>`;
}

/** The labelling page as one self-contained file (docs/labelling.md). */
export function labelPageHtml(data: LabelPageData): string {
  const script = labelScript();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(pagePolicy({ style: LABEL_CSS, script }))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>valuescope label — ${h(data.runId)}</title>
<style>${LABEL_CSS}</style></head>
<body>
${bodyHtml(data)}
<script type="application/json" id="label-data">${jsonForScript(data)}</script>
<script>${script}</script>
</body></html>
`;
}
