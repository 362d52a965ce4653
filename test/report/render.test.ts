import { describe, expect, it } from 'vitest';
import { buildSummary } from '../../src/report/summary.ts';
import { evaluateGate } from '../../src/report/gate.ts';
import { renderHtml } from '../../src/report/html.ts';
import { renderJunit, xml } from '../../src/report/junit.ts';
import { renderMarkdown, md } from '../../src/report/markdown.ts';
import { esc } from '../../src/report/html-util.ts';
import * as F from './fixtures.ts';
import { xmlProblems } from './helpers.ts';

const summarise = (r: F.Results) => buildSummary(r, { codeVersion: { version: '0.1.0', commit: 'abc1234' } });

describe('renderJunit', () => {
  it('one testcase per criterion, a failure for each that fell short, well-formed', () => {
    for (const r of [F.cleanResults(), F.degradedResults()]) {
      const gate = evaluateGate(summarise(r));
      const text = renderJunit(gate, { timestamp: '2024-05-01T12:00:00' });
      expect(xmlProblems(text)).toEqual([]);
      expect(text.match(/<testcase /g)).toHaveLength(gate.criteria.length);
      expect((text.match(/<failure /g) ?? []).length).toBe(gate.criteria.filter((c) => !c.ok).length);
      for (const c of gate.criteria) expect(text).toContain(`name="${c.id}"`);
      expect(text).toContain(`tests="${gate.criteria.length}" failures="${gate.criteria.filter((c) => !c.ok).length}"`);
    }
    const text = renderJunit(evaluateGate(summarise(F.degradedResults())));
    expect(text).toContain('<failure message="S02 LOST; S04, S07, S14 DEGRADED" type="gate">');
  });

  it('escapes hostile reasons and drops characters XML cannot hold', () => {
    const gate = evaluateGate(summarise(F.cleanResults()));
    gate.criteria[0] = { ...gate.criteria[0]!, ok: false, reason: `${F.HOSTILE.name} ]]> ${F.HOSTILE.nul} \u0007 \uD800` };
    gate.go = false;
    const text = renderJunit(gate);
    expect(xmlProblems(text)).toEqual([]);
    expect(text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&apos;Brien &amp; &quot;Sons&quot;');
    expect(xml('a\u0000b')).toBe('a\uFFFDb');
  });

  it('skipped criteria are <skipped/>', () => {
    const text = renderJunit(evaluateGate(summarise(F.cleanResults()), { skip: ['sar-parity'] }));
    expect(xmlProblems(text)).toEqual([]);
    expect(text).toMatch(/name="sar-parity" time="0">\s*<skipped message="skipped by the gate config"\/>/);
  });
});

describe('renderHtml', () => {
  const html = renderHtml(summarise(F.degradedResults()));

  it('escapes every hostile value', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('</td></tr></table><img');
    // the hostile name was a value (a mismatch's expected value, a query's surname): the board's report no longer shows it at all
    expect(html).not.toContain('O&#39;Brien');
    expect(html).not.toContain('onerror=alert(1)');
    expect(html).toContain('<code>&lt;b&gt;9&lt;/b&gt;&amp;amp;</code>'); // a hostile key is still shown, as text
    expect(esc('abc\u202Edcba')).toBe('abc⟨U+202E⟩dcba'); // a bidi override cannot reorder the page
    expect(esc('NUL\u0000here')).toBe('NUL\u2400here'); // NUL shown as ␀
    expect(html).not.toMatch(/[\u0000\u202E]/);
    expect(html.match(/<script/g)).toHaveLength(1); // only the print helper
    expect(esc(`<a href="x" onclick='y'>&`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;');
  });

  it('is self-contained: no external resource, a CSP that forbids loading one', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;`);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i);
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg'])); // the SVG namespace, not a fetch
  });

  it('says GO or NO-GO in words, and verdicts in words', () => {
    expect(html).toContain('NO-GO');
    expect(html).toContain('S02 LOST; S04, S07, S14 DEGRADED');
    for (const w of ['PARITY', 'DEGRADED', 'LOST', 'DEFECT', 'OK', 'REVIEW', 'NOT MET', 'MET']) expect(html).toMatch(new RegExp(`[> ]${w}<`));
    const clean = renderHtml(summarise(F.cleanResults()));
    expect(clean).toMatch(/class="word">.*GO<\/div>/);
    expect(clean).not.toContain('NO-GO');
    expect(clean).not.toContain('DEGRADED<');
  });

  it('has headings, table headers, print CSS and inline SVG charts with titles', () => {
    expect(html.match(/<h2/g)!.length).toBeGreaterThanOrEqual(9);
    expect(html).toContain('<th scope="col">');
    expect(html).toContain('@media print');
    expect(html.match(/<svg /g)!.length).toBe(5); // records, mismatches, recall/precision, audit, warnings
    expect(html.match(/<svg [^>]*role="img" aria-labelledby="/g)!.length).toBe(5);
  });

  it('renders a summary with nothing run', () => {
    const empty = renderHtml(buildSummary({}, {}));
    expect(empty).toContain('NO-GO');
    expect(empty.match(/NOT RUN/g)!.length).toBeGreaterThanOrEqual(7);
  });
});

describe('renderMarkdown', () => {
  it('short: verdict, one line per area, what fell short', () => {
    const text = renderMarkdown(summarise(F.degradedResults()));
    expect(text.split('\n').length).toBeLessThan(40);
    expect(text).toContain('## Cutover parity: ❌ NO-GO');
    expect(text).toContain('- ✗ `search-parity`: S02 LOST; S04, S07, S14 DEGRADED');
    expect(text).toContain('| Search parity | 🔴 DEFECT |');
    expect(renderMarkdown(summarise(F.cleanResults()))).toContain('## Cutover parity: ✅ GO');
  });

  it('escapes table breakers and HTML', () => {
    expect(md('a|b <script> *x* [l](u) `c`')).toBe('a\\|b &lt;script> \\*x\\* \\[l\\](u) \\`c\\`');
    expect(md('line\nbreak')).toBe('line break');
  });
});
