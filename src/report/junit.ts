// The gate as JUnit XML for CI: one <testcase> per criterion, <failure> with the reason when it fell short.
import type { GateResult } from './schema.ts';

/** Text and attribute escaping for XML 1.0; characters XML cannot hold are replaced with U+FFFD. */
export function xml(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s
    .toWellFormed()
    .replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

const show = (v: string | number | boolean | null) => (v === null ? '—' : String(v));

export function renderJunit(gate: GateResult, opts: { timestamp?: string; suite?: string; /** the summary's digest (summary.json) */ digest?: string } = {}): string {
  const suite = opts.suite ?? 'cutover.gate';
  const failures = gate.criteria.filter((c) => !c.ok).length;
  const skipped = gate.criteria.filter((c) => c.skipped).length;
  const ts = opts.timestamp ?? new Date().toISOString().replace(/\.\d+Z$/, '');
  const cases = gate.criteria.map((c) => {
    const body = c.skipped
      ? `\n      <skipped message="${xml(c.reason)}"/>`
      : !c.ok
        ? `\n      <failure message="${xml(c.reason)}" type="gate">${xml(`${c.description}\nactual: ${show(c.actual)}\nthreshold: ${show(c.threshold)}\nreason: ${c.reason}`)}</failure>`
        : `\n      <system-out>${xml(`actual: ${show(c.actual)}; threshold: ${show(c.threshold)}; ${c.reason}`)}</system-out>`;
    return `    <testcase classname="${xml(suite)}" name="${xml(c.id)}" time="0">${body}\n    </testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="cutover" tests="${gate.criteria.length}" failures="${failures}" errors="0" skipped="${skipped}">
  <testsuite name="${xml(suite)}" tests="${gate.criteria.length}" failures="${failures}" errors="0" skipped="${skipped}" timestamp="${xml(ts)}">
    <properties>
      <property name="go" value="${gate.go}"/>
      <property name="config" value="${xml(JSON.stringify(gate.config))}"/>${opts.digest ? `
      <property name="summary-digest" value="sha256:${xml(opts.digest)}"/>` : ''}
    </properties>
${cases.join('\n')}
  </testsuite>
</testsuites>
`;
}
