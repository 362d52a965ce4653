// The board's report: ONE self-contained HTML file. No external scripts, fonts or images; a
// Content-Security-Policy that forbids loading anything; charts as inline SVG; prints on white
// with the drill-downs opened. Every value from the data is escaped (esc).
import { createHash } from 'node:crypto';
import type { GateResult, Summary } from './schema.ts';
import { AREA_IDS } from './schema.ts';
import { evaluateGate } from './gate.ts';
import { esc, n, percent, table, when } from './html-util.ts';
import { historySection } from './html-history.ts';
import { freezeWindowSection } from './html-freeze.ts';
import type { Rehearsal } from './history.ts';
import { LIGHT_ICON, LIGHT_WORD, auditSection, badge, completenessSection, deletionSection, fidelitySection, qualitySection, sarSection, searchSection } from './html-areas.ts';

// Opens every drill-down before printing (closed <details> do not print) and closes them after.
const PRINT_SCRIPT = `(function(){var opened=[];addEventListener('beforeprint',function(){document.querySelectorAll('details:not([open])').forEach(function(d){d.open=true;opened.push(d);});});addEventListener('afterprint',function(){opened.forEach(function(d){d.open=false;});opened=[];});})();`;
const SCRIPT_HASH = createHash('sha256').update(PRINT_SCRIPT).digest('base64');

const CSS = `
:root{--ink:#1b1b1b;--muted:#5a5a5a;--line:#c9c9c9;--bg:#f6f7f9;--green:#2e7d32;--amber:#8a5300;--red:#b3261e;--grey:#616161}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:1120px;margin:0 auto;padding:24px 28px 48px;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:0 0 6px;display:flex;gap:10px;align-items:center;flex-wrap:wrap}h3{font-size:16px;margin:16px 0 6px}
.meta{color:var(--muted);margin:0 0 18px;font-size:13px}
.banner{border:3px solid;border-radius:8px;padding:16px 20px;margin:0 0 20px;display:flex;gap:22px;align-items:center}
.banner.go{border-color:var(--green);background:#eaf5eb}.banner.nogo{border-color:var(--red);background:#fdeceb}
.banner .word{font-size:40px;font-weight:800;letter-spacing:1px;white-space:nowrap}
.banner.go .word{color:var(--green)}.banner.nogo .word{color:var(--red)}
.banner p{margin:2px 0}.banner ul{margin:6px 0 0;padding-left:20px}
.lights{list-style:none;padding:0;margin:0 0 24px;display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:10px}
.lights li{border:1px solid var(--line);border-left:8px solid;border-radius:6px;padding:8px 12px}
.lights li.green{border-left-color:var(--green)}.lights li.amber{border-left-color:#e0a100}.lights li.red{border-left-color:var(--red)}.lights li.grey{border-left-color:#9e9e9e}
.lights .name{font-weight:700}.lights a{color:inherit}.lights p{margin:4px 0 0;font-size:13.5px;color:#333}
.badge{display:inline-block;font-size:12px;font-weight:700;letter-spacing:.4px;padding:2px 8px;border-radius:10px;border:1.5px solid;white-space:nowrap;vertical-align:middle}
.badge.green{color:var(--green);border-color:var(--green);background:#eaf5eb}.badge.amber{color:var(--amber);border-color:#e0a100;background:#fff6dd}
.badge.red{color:var(--red);border-color:var(--red);background:#fdeceb}.badge.grey{color:var(--grey);border-color:#9e9e9e;background:#f0f0f0}
.area{border-top:2px solid #e3e3e3;padding-top:16px;margin-top:26px}
.reason{margin:0 0 10px;font-weight:600}
.tablewrap{overflow-x:auto;margin:8px 0 12px}
table{border-collapse:collapse;font-size:13px;width:100%}
caption{text-align:left;font-weight:600;padding:4px 0;color:#333}
th,td{border:1px solid var(--line);padding:4px 7px;text-align:left;vertical-align:top}
thead th{background:#eef0f3}tbody th{font-weight:normal}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all;background:#f3f3f3;padding:0 3px;border-radius:3px}
.nullv{color:var(--muted)}.muted{color:var(--muted);font-size:12px}.bad{color:var(--red)}.fine{color:var(--green)}
.empty{color:var(--muted);font-size:13px;margin:6px 0}
details{margin:6px 0;border:1px solid #e0e0e0;border-radius:6px;padding:4px 10px}
summary{cursor:pointer;font-weight:600;padding:3px 0}
.drill{padding:4px 0 6px}
.chart{margin:10px 0 14px}.chart figcaption{font-size:12px;color:var(--muted)}
.chart svg text{fill:#222}.chart svg text.val{fill:#444}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:16px}
ul.keys{columns:2;font-size:13px}
.gate td.res{font-weight:700;white-space:nowrap}
pre{white-space:pre-wrap;word-break:break-all;font-size:12px;background:#f3f3f3;padding:8px;border-radius:4px}
svg.spark{vertical-align:middle}table.trend td{white-space:nowrap}
footer{margin-top:30px;color:var(--muted);font-size:12px}
@media print{
  @page{margin:14mm}
  body{background:#fff;font-size:11pt}main{max-width:none;padding:0}
  .banner.go,.banner.nogo,.badge,thead th,code,pre,details{background:#fff!important}
  .banner{border-width:4px}
  .area{break-before:page;border-top:none}
  h2,h3,caption{break-after:avoid}
  .chart,tr,.lights li,.banner{break-inside:avoid}
  thead{display:table-header-group}
  details{border:none;padding:0}summary{list-style:none}summary::-webkit-details-marker{display:none}
  a{color:inherit;text-decoration:none}
  .tablewrap{overflow:visible}
}`;

const AREA_ORDER = AREA_IDS;

function banner(gate: GateResult): string {
  const failing = gate.criteria.filter((c) => !c.ok);
  const met = gate.criteria.length - failing.length;
  const word = gate.go ? 'GO' : 'NO-GO';
  const body = gate.go
    ? `<p><strong>Go-live gate passed.</strong> All ${gate.criteria.length} criteria met${gate.criteria.some((c) => c.skipped) ? ` (${gate.criteria.filter((c) => c.skipped).length} skipped by the gate config)` : ''}.</p>`
    : `<p><strong>Go-live gate not passed:</strong> ${met} of ${gate.criteria.length} criteria met. Falling short:</p><ul>${failing.map((c) => `<li><strong>${esc(c.description)}</strong> <span class="muted">[${esc(c.id)}]</span>: ${esc(c.reason)}</li>`).join('')}</ul>`;
  return `<section class="banner ${gate.go ? 'go' : 'nogo'}" id="verdict" role="status" aria-label="Go-live decision: ${word}"><div class="word">${gate.go ? '<span aria-hidden="true">✓</span> ' : '<span aria-hidden="true">✗</span> '}${word}</div><div>${body}</div></section>`;
}

function lights(s: Summary): string {
  return `<h2 id="areas">Areas</h2><ul class="lights">${AREA_ORDER.map((id) => {
    const a = s.areas[id];
    return `<li class="${a.light}"><span class="name"><a href="#area-${id}">${esc(a.title)}</a></span> ${badge(a.light)}<p>${esc(a.reason)}</p></li>`;
  }).join('')}</ul>`;
}

function gateTable(gate: GateResult): string {
  const res = (c: GateResult['criteria'][number]) => (c.skipped ? 'SKIPPED' : c.ok ? `<span class="fine"><span aria-hidden="true">✓</span> MET</span>` : `<span class="bad"><span aria-hidden="true">✗</span> NOT MET</span>`);
  const val = (v: string | number | boolean | null, id: string) =>
    v === null ? '—' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : typeof v === 'number' ? (id === 'quarantine-share' ? percent(v) : Number.isInteger(v) ? n(v) : String(v)) : esc(v);
  return `<section class="gate" aria-labelledby="gate-h"><h2 id="gate-h">Go-live gate criteria</h2><div class="tablewrap"><table><caption>Each criterion, what was measured and the threshold. Gate config: <code>${esc(JSON.stringify(gate.config))}</code></caption><thead><tr><th scope="col">Criterion</th><th scope="col">Result</th><th scope="col">Actual</th><th scope="col">Threshold</th><th scope="col">Reason</th></tr></thead><tbody>${gate.criteria
    .map((c) => `<tr><th scope="row">${esc(c.description)}<br><code>${esc(c.id)}</code></th><td class="res">${res(c)}</td><td>${val(c.actual, c.id)}</td><td>${val(c.threshold, c.id)}</td><td>${esc(c.reason)}</td></tr>`)
    .join('')}</tbody></table></div></section>`;
}

function provenance(s: Summary): string {
  const p = s.provenance;
  const cv = p.codeVersion;
  const checks = table('Checks and when they were stored', [
    { head: 'Check', cell: (c) => `<code>${esc(c.kind)}</code>` },
    { head: 'Status', cell: (c) => (!c.present ? `${LIGHT_ICON.grey} ${LIGHT_WORD.grey}` : c.ok ? 'passed' : '<strong class="bad">FAILED</strong>') },
    { head: 'Stored at', cell: (c) => (c.savedAt ? when(c.savedAt) : '—') },
    { head: 'On this target', cell: (c) => (c.standing ? `${c.standing === 'current' ? 'current' : `<strong class="${c.standing === 'not-run' ? '' : 'bad'}">${esc(c.standing.toUpperCase())}</strong>`}${c.standingReason && c.standing !== 'current' ? `: ${esc(c.standingReason)}` : ''}${c.rerun && c.standing !== 'current' ? `; run <code>${esc(c.rerun)}</code>` : ''}` : '—') },
    { head: 'Reading problems', cell: (c) => esc(c.problems.join('; ')) },
  ], s.checks);
  const sources = table('Sources (secrets masked)', [
    { head: 'Name', cell: (x) => esc(x.name) }, { head: 'Identity', cell: (x) => `<code>${esc(x.identity)}</code>` },
  ], p.sources, 'not recorded');
  return `<section class="area" aria-labelledby="prov-h"><h2 id="prov-h">Provenance</h2>
${s.target ? `<p>Target: database <code>${esc(s.target.database)}</code> on server <code>${esc(s.target.systemIdentifier)}</code>; change count ${s.target.changes === null ? 'unknown (no change tracking)' : n(s.target.changes)}; audit chain head ${s.target.auditHead ? `seq ${esc(s.target.auditHead.seq)}, <code>${esc(s.target.auditHead.hash)}</code>` : 'none'}. Results of other targets are not counted.</p>` : ''}
<p>Code: cutover ${esc(cv.version ?? '?')}${cv.commit ? ` at commit <code>${esc(cv.commit)}</code>` : ' (commit unknown)'}${cv.dirty ? ' with uncommitted changes' : ''}. Period: ${when(p.startedAt)} to ${when(p.endedAt)}. Summary schema version ${s.schemaVersion}.</p>
${sources}${checks}${details('Options', `<pre>${esc(JSON.stringify(p.options, null, 2))}</pre>`)}</section>`;
}

const details = (summary: string, body: string) => `<details><summary>${esc(summary)}</summary><div class="drill">${body}</div></details>`;

/** Render the board's report. Without a gate result, the gate is evaluated with the strict defaults. */
export function renderHtml(summary: Summary, gate: GateResult = summary.gate ?? evaluateGate(summary), history: Rehearsal[] = []): string {
  const a = summary.areas;
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const title = `Cutover parity report: ${gate.go ? 'GO' : 'NO-GO'}`;
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header><h1>Cutover parity report</h1>
<p class="meta">Legacy CRIS and CRIMINT to the POLE record schema. Generated ${when(summary.generatedAt)}; code ${esc(summary.provenance.codeVersion.version ?? '?')}${summary.provenance.codeVersion.commit ? ` (${esc(summary.provenance.codeVersion.commit)})` : ''}. Lights: <span aria-hidden="true">✓</span> OK, ! REVIEW, <span aria-hidden="true">✗</span> DEFECT, – NOT RUN.</p>
<p class="meta" id="digest">Summary digest: <code>sha256:${esc(summary.digest ?? 'none')}</code> (the same in summary.json, summary.md, junit.xml and the gate's output)</p></header>
${banner(gate)}
${lights(summary)}
${gateTable(gate)}
${historySection(history)}
${freezeWindowSection(summary.freezeWindow)}
${completenessSection(a.completeness)}
${fidelitySection(a.fidelity)}
${searchSection(a.searchParity)}
${auditSection(a.auditHistory)}
${deletionSection(a.deletion)}
${sarSection(a.subjectAccess)}
${qualitySection(a.dataQuality)}
${provenance(summary)}
<footer>Written by cutover. Self-contained: this file loads nothing from the network. Machine-readable: summary.json (schema version ${summary.schemaVersion}).</footer>
</main>
<script>${PRINT_SCRIPT}</script>
</body>
</html>
`;
}
