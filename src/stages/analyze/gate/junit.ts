import type { DiffSide, GateResult } from '../../../records/diff.js';

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

/** JUnit XML: one testsuite, one testcase per rule; failed rules carry a <failure>, errors an <error>. */
export function gateJunit(result: GateResult): string {
  const failures = result.rules.filter((r) => r.status === 'fail').length;
  const errors = result.rules.filter((r) => r.status === 'error').length;
  const suite = `valuescope gate ${result.base.modelId} -> ${result.cand.modelId}`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="valuescope" tests="${result.rules.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${xmlEscape(suite)}" tests="${result.rules.length}" failures="${failures}" errors="${errors}" timestamp="${xmlEscape(result.generatedAt)}">`,
    ...answerProperties(result),
  ];
  for (const r of result.rules) {
    const body = [
      r.message,
      r.delta !== null
        ? `delta ${r.delta.toFixed(4)} [${r.lo?.toFixed(4) ?? '?'}, ${r.hi?.toFixed(4) ?? '?'}], p ${r.p ?? '-'}, q ${r.q ?? '-'}`
        : '',
      r.mde !== null ? `minimum detectable effect (80% power): ${(r.mde * 100).toFixed(1)} pts` : '',
      ...r.hits.map((h) => `${h.value}: ${h.cellIds.join(' ')}`),
    ]
      .filter(Boolean)
      .join('\n');
    lines.push(`    <testcase classname="valuescope.gate" name="${xmlEscape(r.name)}">`);
    if (r.status === 'fail') lines.push(`      <failure message="${xmlEscape(r.message)}">${xmlEscape(body)}</failure>`);
    else if (r.status === 'error') lines.push(`      <error message="${xmlEscape(r.message)}">${xmlEscape(body)}</error>`);
    else lines.push(`      <system-out>${xmlEscape(body)}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
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
