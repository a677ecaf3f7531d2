import { type DiffSide, type GateResult, type GateRuleResult, qFamilyText } from '../../../records/diff.js';

/** Escapes text for XML attribute and element content, dropping characters XML 1.0 forbids. */
export function xmlEscape(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these control characters, so they are stripped on purpose
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/**
 * JUnit XML: one testsuite, one testcase per rule; failed rules carry a <failure>, errors an <error>.
 * An inconclusive rule (the data cannot tell pass from fail) follows gate.onInconclusive, so the
 * JUnit view agrees with the exit code: with `fail` (default) it is a <failure type="inconclusive">,
 * because it is why the job failed; with `pass` it is a <skipped message="...">, because the rule was
 * not verified: a passed test case would claim what the data did not show.
 */
export function gateJunit(result: GateResult): string {
  const asFailure = (result.onInconclusive ?? 'fail') === 'fail';
  const inconclusive = result.rules.filter((r) => r.status === 'inconclusive').length;
  const failures = result.rules.filter((r) => r.status === 'fail').length + (asFailure ? inconclusive : 0);
  const skipped = asFailure ? 0 : inconclusive;
  const errors = result.rules.filter((r) => r.status === 'error').length;
  const suite = `valuescope gate ${result.base.modelId} -> ${result.cand.modelId}`;
  const counts = `tests="${result.rules.length}" failures="${failures}" errors="${errors}" skipped="${skipped}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="valuescope" ${counts}>`,
    `  <testsuite name="${xmlEscape(suite)}" ${counts} timestamp="${xmlEscape(result.generatedAt)}">`,
    ...answerProperties(result),
  ];
  for (const r of result.rules) {
    lines.push(`    <testcase classname="valuescope.gate" name="${xmlEscape(r.name)}">`);
    lines.push(`      ${caseBody(r, asFailure)}`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

function caseBody(r: GateRuleResult, inconclusiveAsFailure: boolean): string {
  const body = xmlEscape(
    [
      r.message,
      r.delta !== null
        ? `delta ${r.delta.toFixed(4)} [${r.lo?.toFixed(4) ?? '?'}, ${r.hi?.toFixed(4) ?? '?'}], p ${r.p ?? '-'}, q ${r.q ?? '-'}${r.family ? ` (${qFamilyText(r.family)})` : ''}`
        : '',
      r.mde !== null ? `minimum detectable effect (80% power): ${(r.mde * 100).toFixed(1)} pts` : '',
      ...r.hits.map((h) => `${h.value}: ${h.cellIds.join(' ')}`),
    ]
      .filter(Boolean)
      .join('\n'),
  );
  const message = xmlEscape(r.message);
  if (r.status === 'fail') return `<failure message="${message}">${body}</failure>`;
  if (r.status === 'error') return `<error message="${message}">${body}</error>`;
  if (r.status === 'inconclusive') {
    const m = xmlEscape(`INCONCLUSIVE: ${r.reason ?? r.message}`);
    return inconclusiveAsFailure ? `<failure type="inconclusive" message="${m}">${body}</failure>` : `<skipped message="${m}"/>`;
  }
  return `<system-out>${body}</system-out>`;
}

/** Each side's cached answers (response cache or run --reuse-from) as testsuite properties; none for older gate files. */
function answerProperties(result: GateResult): string[] {
  const props = (prefix: string, side: DiffSide): [string, string][] => {
    const a = side.answers;
    if (!a) return [];
    const from = Object.entries(a.cachedFrom).map(([run, n]) => `${run}:${n}`);
    return [
      [`${prefix}.cachedAnswers`, `${a.cached} of ${a.cells}`],
      [`${prefix}.cachedShare`, a.cachedShare === null ? '' : a.cachedShare.toFixed(4)],
      ...(from.length > 0 ? [[`${prefix}.cachedFrom`, from.join(' ')] as [string, string]] : []),
    ];
  };
  const all = [...props('base', result.base), ...props('cand', result.cand)];
  if (all.length === 0) return [];
  return [
    '    <properties>',
    ...all.map(([name, value]) => `      <property name="${xmlEscape(name)}" value="${xmlEscape(value)}"/>`),
    '    </properties>',
  ];
}
