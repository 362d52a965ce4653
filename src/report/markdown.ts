// A short Markdown summary for pull requests and e-mail: the verdict, one line per area, what fell short.
import type { GateResult, Light, Summary } from './schema.ts';
import { AREA_IDS } from './schema.ts';
import { evaluateGate } from './gate.ts';
import { freezeWindowMarkdown } from './freeze-window.ts';

const LIGHT: Record<Light, string> = { green: '🟢 OK', amber: '🟡 REVIEW', red: '🔴 DEFECT', grey: '⚪ NOT RUN' };

/** Markdown-escape a value for inline text and table cells (one line, no HTML, no links). */
export function md(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s
    .toWellFormed()
    .replace(/[\u0000-\u001F\u007F]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}

export function renderMarkdown(summary: Summary, gate: GateResult = summary.gate ?? evaluateGate(summary)): string {
  const cv = summary.provenance.codeVersion;
  const failing = gate.criteria.filter((c) => !c.ok);
  const lines: string[] = [
    `## Cutover parity: ${gate.go ? '✅ GO' : '❌ NO-GO'}`,
    '',
    `Generated ${md(summary.generatedAt)}; cutover ${md(cv.version ?? '?')}${cv.commit ? ` (${md(cv.commit)}${cv.dirty ? ', uncommitted changes' : ''})` : ''}. Gate: ${gate.criteria.length - failing.length}/${gate.criteria.length} criteria met.`,
    '',
    `Summary digest: \`sha256:${summary.digest ?? 'none'}\`${summary.target ? `; target: database ${md(summary.target.database)} on server ${md(summary.target.systemIdentifier)}` : ''}.`,
    '',
    '| Area | Light | Why |',
    '|---|---|---|',
    ...AREA_IDS.map((id) => {
      const a = summary.areas[id];
      return `| ${md(a.title)} | ${LIGHT[a.light]} | ${md(a.reason)} |`;
    }),
  ];
  if (failing.length) {
    lines.push('', '**Falling short:**', '');
    for (const c of failing) lines.push(`- ✗ \`${c.id}\`: ${md(c.reason)}`);
  }
  lines.push(...freezeWindowMarkdown(summary.freezeWindow, md));
  const caps = summary.areas.searchParity.capabilities.filter((c) => c.verdict !== 'PARITY');
  if (caps.length) {
    lines.push('', '**Search capabilities not at PARITY:**', '');
    for (const c of caps) lines.push(`- ${md(c.id)} ${md(c.name ?? '')}: **${c.verdict}**${c.reason ? `: ${md(c.reason)}` : ''}`);
  }
  lines.push('', '_Full report: index.html (self-contained); machine-readable: summary.json._', '');
  return lines.join('\n');
}
