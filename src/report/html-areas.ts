// The area sections of the HTML report: a chart each where one helps, then drill-down tables.
import type { Areas, KeyExampleT, Light, StepT } from './schema.ts';
import { barChart, details, esc, n, percent, plural, ratio, table, when, type Column, type Series } from './html-util.ts';

export const LIGHT_WORD: Record<Light, string> = { green: 'OK', amber: 'REVIEW', red: 'DEFECT', grey: 'NOT RUN' };
export const LIGHT_ICON: Record<Light, string> = { green: '✓', amber: '!', red: '✗', grey: '–' };

export const badge = (light: Light): string =>
  `<span class="badge ${light}"><span aria-hidden="true">${LIGHT_ICON[light]}</span> ${LIGHT_WORD[light]}</span>`;

export const VERDICT_CLASS: Record<string, Light> = { PARITY: 'green', DEGRADED: 'amber', LOST: 'red' };
const verdict = (v: string) => `<span class="badge ${VERDICT_CLASS[v] ?? 'grey'}">${esc(v)}</span>`;
const yesNo = (v: boolean | null, yes = 'yes', no = 'NO') => (v === null ? '—' : v ? esc(yes) : `<strong class="bad">${esc(no)}</strong>`);

/** `CRIS:NOMINAL` when the step name says the system, else `pipeline / step`. */
const stepLabel = (s: { pipeline: string; step: string }) => (s.step.includes(':') ? s.step : `${s.pipeline} / ${s.step}`);
/** `sharedLocations` → `shared locations` */
const words = (k: string) => k.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();

const C = { blue: '#1f5fa8', amber: '#b26a00', red: '#b3261e', grey: '#6b6b6b', green: '#2e7d32', teal: '#00796b', purple: '#6a3d9a' };

function head(id: string, a: { title: string; light: Light; reason: string }): string {
  return `<h2 id="area-${id}">${esc(a.title)} ${badge(a.light)}</h2><p class="reason">${esc(a.reason)}</p>`;
}

const KIND_WORDS: Record<string, string> = { legacyMissing: 'already missing in legacy', lostInMigration: 'LOST IN MIGRATION' };
const detailText = (d: string | null) => (d ? d.replace(/^(legacyMissing|lostInMigration)/, (k) => KIND_WORDS[k]!) : '');

/** Example keys; the System, Entity and Detail columns only when some row has them. */
const keyTable = (caption: string, rows: KeyExampleT[], total: number | null) =>
  table(`${caption}${total !== null && total > rows.length ? ` (first ${rows.length} of ${n(total)})` : ''}`, [
    { head: 'Key', cell: (r: KeyExampleT) => `<code>${esc(r.key)}</code>` },
    ...(rows.some((r) => r.system) ? [{ head: 'System', cell: (r: KeyExampleT) => esc(r.system ?? '') }] : []),
    ...(rows.some((r) => r.entity) ? [{ head: 'Entity', cell: (r: KeyExampleT) => esc(r.entity ?? '') }] : []),
    ...(rows.some((r) => r.detail) ? [{ head: 'Detail', cell: (r: KeyExampleT) => esc(detailText(r.detail)) }] : []),
  ], rows);

type Completeness = Areas['completeness'];
/** One row of a list in the completeness area. */
type RowOf<K extends keyof Completeness> = Completeness[K] extends Array<infer T> ? T : never;

const OUTCOME_SERIES: Series[] = [
  { name: 'Loaded', colour: C.blue },
  { name: 'Quarantined', colour: C.red, pattern: 'hatch' },
  { name: 'Excluded', colour: C.grey, pattern: 'dots' },
  { name: 'Superseded', colour: C.purple, pattern: 'cross' },
];

/** A step's bar note: records read, what did not load, and whether it balances. */
const stepNote = (s: StepT) =>
  `${n(s.read)} read${s.quarantined ? ` · ${n(s.quarantined)} quar.` : ''}${s.excluded ? ` · ${n(s.excluded)} excl.` : ''}${s.superseded ? ` · ${n(s.superseded)} sup.` : ''}${s.conserved ? '' : ' ✗ UNBALANCED'}`;

/** Each step's records read as 100%: the shares loaded, quarantined, excluded and superseded; none without steps. */
function recordsChart(steps: StepT[]): string {
  if (!steps.length) return '';
  return barChart({
    id: 'records', title: 'Records per entity: what became of each record read (each bar = 100% of the records read)',
    desc: 'For each migration step, the share of records read that was loaded, quarantined, excluded and superseded.',
    series: OUTCOME_SERIES, normalize: true,
    rows: steps.map((s) => ({ label: stepLabel(s), values: [s.loaded, s.quarantined, s.excluded, s.superseded], note: stepNote(s) })),
  });
}

const STEP_COLUMNS: Column<StepT>[] = [
  { head: 'Step', cell: (s) => esc(stepLabel(s)) },
  { head: 'Source count', cell: (s) => n(s.sourceCount), num: true },
  { head: 'Read', cell: (s) => n(s.read), num: true },
  { head: 'Loaded', cell: (s) => n(s.loaded), num: true },
  { head: 'Quarantined', cell: (s) => n(s.quarantined), num: true },
  { head: 'Excluded', cell: (s) => n(s.excluded), num: true },
  { head: 'Superseded', cell: (s) => n(s.superseded), num: true },
  { head: 'Orphan links', cell: (s) => n(s.orphans), num: true },
  { head: 'Balanced', cell: (s) => yesNo(s.conserved, 'yes', 'NO') },
  { head: 'Complete', cell: (s) => yesNo(s.complete, 'yes', 'NO') },
];

const ENTITY_COLUMNS: Column<RowOf<'entities'>>[] = [
  { head: 'Entity → table', cell: (e) => esc(e.entity) },
  { head: 'Expected', cell: (e) => n(e.source), num: true },
  { head: 'In target', cell: (e) => n(e.target), num: true },
  { head: 'Missing', cell: (e) => n(e.missing), num: true },
  { head: 'Unexpected', cell: (e) => n(e.unexpected), num: true },
  { head: 'Mismatched values', cell: (e) => n(e.mismatched), num: true },
];

const CONTROL_TOTAL_COLUMNS: Column<RowOf<'controlTotals'>>[] = [
  { head: 'Control', cell: (c) => esc(c.name) },
  { head: 'Source', cell: (c) => n(c.source), num: true },
  { head: 'Target', cell: (c) => n(c.target), num: true },
  { head: 'Agrees', cell: (c) => yesNo(c.ok) },
];

const LINK_COLUMNS: Column<RowOf<'links'>>[] = [
  { head: 'Link', cell: (l) => esc(l.name) },
  { head: 'Expected', cell: (l) => n(l.source), num: true },
  { head: 'In target', cell: (l) => n(l.target), num: true },
  { head: 'Orphaned (reported)', cell: (l) => n(l.orphans), num: true },
  { head: 'Missing', cell: (l) => n(l.missing), num: true },
  { head: 'Unexpected', cell: (l) => n(l.unexpected), num: true },
  { head: 'OK', cell: (l) => yesNo(l.ok) },
];

const UNTRACED_COLUMNS: Column<RowOf<'untraced'>>[] = [
  { head: 'Table', cell: (u) => esc(u.table) },
  { head: 'Reason', cell: (u) => esc(u.reason) },
  { head: 'Rows', cell: (u) => n(u.count), num: true },
  { head: 'Examples', cell: (u) => u.examples.map((x) => `<code>${esc(x)}</code>`).join(' ') },
];

const RUN_COLUMNS: Column<RowOf<'runs'>>[] = [
  { head: 'Pipeline', cell: (r) => esc(r.pipeline) },
  { head: 'Run', cell: (r) => esc(r.runId ?? '') },
  { head: 'Status', cell: (r) => esc(r.status ?? '') },
  { head: 'Source', cell: (r) => `<code>${esc(r.source ?? '')}</code>` },
  { head: 'Started', cell: (r) => when(r.startedAt) },
  { head: 'Seconds', cell: (r) => ratio(r.seconds, 1), num: true },
];

/** A count of records with its example keys, opened when there is any. */
const foundDrill = (label: string, caption: string, f: Completeness['missing']) =>
  details(`${label}: ${n(f.count)}`, keyTable(caption, f.examples, f.count), (f.count ?? 0) > 0);

/** Control totals, links and untraced target rows, in one drill-down. */
const controlsDrill = (a: Completeness) =>
  details(`Control totals (${a.controlTotals.length}) and links (${a.links.length})`,
    table('Control totals', CONTROL_TOTAL_COLUMNS, a.controlTotals)
    + table('Links', LINK_COLUMNS, a.links)
    + table('Target rows no legacy record accounts for', UNTRACED_COLUMNS, a.untraced));

/** The reconciliation's failure lines, opened; none when it gave none. */
const problemsDrill = (problems: string[]) =>
  (problems.length ? details(`Reconciliation problems (${problems.length})`, `<ul>${problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`, true) : '');

const runsDrill = (runs: Completeness['runs']) => (runs.length ? details(`Runs (${runs.length})`, table('Migration runs', RUN_COLUMNS, runs)) : '');

export function completenessSection(a: Areas['completeness']): string {
  const steps = table('Conservation per step: read = loaded + quarantined + excluded + superseded', STEP_COLUMNS, a.steps, 'no run result stored');
  const entities = table('Reconciliation per entity and target table', ENTITY_COLUMNS, a.entities, 'no reconciliation stored');
  return `<section class="area" aria-labelledby="area-completeness">${head('completeness', a)}${recordsChart(a.steps)}${steps}
${foundDrill('Missing records', 'Expected in the target, not found', a.missing)}
${foundDrill('Unexpected records', 'In the target with no live legacy record behind them', a.unexpected)}
${details(`Reconciliation per entity (${a.entities.length})`, entities)}
${controlsDrill(a)}
${problemsDrill(a.problems)}
${runsDrill(a.runs)}</section>`;
}

export function fidelitySection(a: Areas['fidelity']): string {
  const bad = a.fields.filter((f) => f.mismatched > 0).sort((x, y) => (y.rate ?? 0) - (x.rate ?? 0) || y.mismatched - x.mismatched);
  const chartRows = (bad.length ? bad : []).slice(0, 20).map((f) => ({ label: `${f.entity.replace(/^.*→ /, '')}.${f.field}`, values: [f.rate ?? 0], note: `${percent(f.rate)} (${n(f.mismatched)} of ${n(f.compared)})` }));
  // a floor of 1% for the scale, so a handful of mismatches does not draw a full-width bar
  const scaleMax = Math.max(0.01, ...chartRows.map((r) => r.values[0]!));
  const chart = chartRows.length
    ? barChart({
      id: 'mismatch', title: `Field mismatch rates${bad.length > 20 ? ' (worst 20 fields)' : ''}; scale 0 to ${percent(scaleMax)}`,
      desc: 'Share of compared records whose stored value differs from the value the mapping gives, per field.',
      series: [{ name: 'Mismatch rate', colour: C.red }], rows: chartRows, max: scaleMax, format: (v) => percent(v),
    })
    : a.fields.length ? `<p class="fine">No mismatch in any of the ${n(a.fields.length)} compared fields: every chart bar would be zero.</p>` : '';
  const fields = table('Fields with mismatches', [
    { head: 'Entity → table', cell: (f) => esc(f.entity) },
    { head: 'Field', cell: (f) => `<code>${esc(f.field)}</code>` },
    { head: 'Compared', cell: (f) => n(f.compared), num: true },
    { head: 'Mismatched', cell: (f) => n(f.mismatched), num: true },
    { head: 'Rate', cell: (f) => percent(f.rate), num: true },
  ], bad);
  const ex = table('Records whose stored value differs from legacy through the mapping (the values are in the engineers\' report)', [
    { head: 'Key', cell: (e) => `<code>${esc(e.key)}</code>` },
    { head: 'Entity → table', cell: (e) => esc(e.entity ?? '') },
    { head: 'Field', cell: (e) => `<code>${esc(e.field)}</code>` },
  ], a.examples);
  const prof = table('Column profiles that differ', [
    { head: 'Entity → table', cell: (p) => esc(p.entity) },
    { head: 'Column', cell: (p) => `<code>${esc(p.column)}</code>` },
    { head: 'From legacy', cell: (p) => esc(p.from ?? '') },
    { head: 'Differs in', cell: (p) => esc(p.differs.join(', ')) },
  ], a.profileDifferences);
  return `<section class="area" aria-labelledby="area-fidelity">${head('fidelity', a)}<p>${n(a.compared)} records compared; ${n(a.mismatchedValues)} values differ.</p>${chart}
${details(`Fields with mismatches (${bad.length} of ${a.fields.length})`, fields, bad.length > 0)}
${details(`Mismatch examples (${a.examples.length})`, ex, a.examples.length > 0)}
${a.profileDifferences.length ? details(`Profile differences (${a.profileDifferences.length})`, prof) : ''}</section>`;
}

export function searchSection(a: Areas['searchParity']): string {
  const caps = a.capabilities;
  const chart = caps.length
    ? barChart({
      id: 'parity', title: 'Recall and precision per search capability (1.0 = same results as legacy)',
      desc: 'Mean recall (share of legacy results the target also returns) and mean precision (share of target results legacy also returns) per capability; the verdict is in the label.',
      series: [{ name: 'Recall', colour: C.blue }, { name: 'Precision', colour: C.teal, pattern: 'hatch' }], stacked: false, max: 1,
      rows: caps.map((c) => ({ label: `${c.id} ${c.verdict}`, values: c.verdict === 'LOST' ? [0, 0] : [c.recallMean ?? 0, c.precisionMean ?? 0], note: c.verdict === 'LOST' ? 'LOST: cannot run' : `recall ${ratio(c.recallMean, 3)} · precision ${ratio(c.precisionMean, 3)}` })),
      format: (v) => v.toFixed(3),
    })
    : '';
  const t = table('Per capability', [
    { head: 'Capability', cell: (c) => `<span id="cap-${esc(c.id)}">${esc(c.id)}</span> ${esc(c.name ?? '')}` },
    { head: 'Verdict', cell: (c) => verdict(c.verdict) },
    { head: 'Queries', cell: (c) => n(c.queries), num: true },
    { head: 'Recall mean / worst', cell: (c) => `${ratio(c.recallMean, 3)} / ${ratio(c.recallWorst, 3)}`, num: true },
    { head: 'Precision mean / worst', cell: (c) => `${ratio(c.precisionMean, 3)} / ${ratio(c.precisionWorst, 3)}`, num: true },
    { head: 'Volume ratio', cell: (c) => ratio(c.volumeRatio), num: true },
    { head: 'Latency p50 / p95 ms', cell: (c) => `${ratio(c.latencyP50Ms, 1)} / ${ratio(c.latencyP95Ms, 1)}`, num: true },
    { head: 'Why', cell: (c) => esc(c.reason ?? '') },
  ], caps, 'no parity result stored');
  const drill = caps.filter((c) => c.verdict !== 'PARITY' || c.warnings.length).map((c) => details(`${c.id} ${c.name ?? ''}: ${c.verdict}${c.reason ? ` (${c.reason})` : ''}`,
    table('Worked examples', [
      { head: 'Record', cell: (e) => `<code>${esc(e.identity)}</code>` },
      { head: 'Kind', cell: (e) => (e.kind === 'lost' ? 'LOST: legacy finds it, the target does not' : 'EXTRA: the target finds it, legacy does not') },
      { head: 'Query (kind · reference)', cell: (e) => `<code>${esc(e.query)}</code>` },
      { head: 'Note', cell: (e) => esc([e.note, e.origin].filter(Boolean).join(', ')) },
    ], c.examples, 'no examples given')
    + (c.errors.length ? table('Errors', [{ head: 'Query', cell: (e) => `<code>${esc(e.query)}</code>` }, { head: 'Message', cell: (e) => esc(e.message) }], c.errors) : '')
    + (c.warnings.length ? `<ul>${c.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''), c.verdict !== 'PARITY')).join('\n');
  return `<section class="area" aria-labelledby="area-searchParity">${head('searchParity', a)}
<p>${a.counts.PARITY} PARITY · ${a.counts.DEGRADED} DEGRADED · ${a.counts.LOST} LOST; ${n(a.queries)} queries (${n(a.workload.replayed)} replayed from legacy search logs, ${n(a.workload.generated)} generated)${a.adapter ? ` against <code>${esc(a.adapter)}</code>` : ''}; ${n(a.notMigrated)} legacy results are records deliberately not migrated and are not counted as lost.</p>
${chart}${t}${drill}</section>`;
}

export function auditSection(a: Areas['auditHistory']): string {
  const ops = a.reconcile.byOperation;
  const chart = ops.length
    ? barChart({
      id: 'audit', title: 'Audit entries per operation: legacy vs target',
      desc: 'Legacy audit entries per s.62 operation and the target audit rows found for them.',
      series: [{ name: 'Legacy', colour: C.grey }, { name: 'Target', colour: C.blue, pattern: 'hatch' }], stacked: false,
      rows: ops.map((o) => ({ label: o.operation, values: [o.legacy, o.target], note: `${n(o.legacy)} → ${n(o.target)}${o.legacy === o.target ? '' : ' ✗'}` })),
    })
    : '';
  const ch = a.chain;
  const chain = !ch.ran ? '<p>Hash chain: <strong>not verified</strong> (no result stored).</p>'
    : ch.verified ? `<p>Hash chain: <strong>verifies</strong> over ${n(ch.rows)} entries.</p>`
      : `<p class="bad">Hash chain: <strong>BROKEN</strong>${ch.firstBroken ? ` at seq <code>${esc(ch.firstBroken.seq)}</code> (${esc(ch.firstBroken.reason)}): ${esc(ch.firstBroken.detail)}` : ''}.</p>`;
  const r = a.reconcile;
  const counts = table('Audit reconciliation', [
    { head: 'Finding', cell: (x: { k: string; v: number | null }) => esc(x.k) },
    { head: 'Entries', cell: (x) => n(x.v), num: true },
  ], r.ran ? [
    { k: 'legacy entries', v: r.legacy }, { k: 'target rows of legacy origin', v: r.target },
    { k: 'missing in target', v: r.missing.count }, { k: 'duplicated', v: r.duplicated.count }, { k: 'altered', v: r.altered.count },
    { k: 'extra in target', v: r.extra.count }, { k: 'rejected by the mapping (quarantined, reported)', v: r.quarantined.count },
  ] : [], 'not run');
  const c = a.completeness;
  const gaps = table('Completeness gaps (consultations and disclosures)', [
    { head: 'Gap', cell: (g) => `${esc(g.operation)} without ${esc(g.gap)}` },
    { head: 'Already missing in legacy', cell: (g) => n(g.legacyMissing), num: true },
    { head: 'Lost in migration', cell: (g) => (g.lostInMigration ? `<strong class="bad">${n(g.lostInMigration)}</strong>` : '0'), num: true },
    { head: 'Not from legacy', cell: (g) => n(g.notFromLegacy), num: true },
  ], c.gaps, c.ran ? 'none' : 'not run');
  const byOp = table('Target audit entries per operation (all origins)', [
    { head: 'Operation', cell: (x) => esc(x.operation) }, { head: 'Entries', cell: (x) => n(x.count), num: true },
  ], c.byOperation);
  const byOrigin = table('Target audit entries per origin', [
    { head: 'Origin', cell: (x) => esc(x.origin) }, { head: 'Entries', cell: (x) => n(x.count), num: true },
  ], c.byOrigin);
  const cells = table('System, action and month cells where legacy and target differ', [
    { head: 'System / action / month', cell: (x) => `${esc(x.system)} ${esc(x.action)} ${esc(x.month)}` },
    { head: 'Legacy', cell: (x) => n(x.legacy), num: true }, { head: 'Target', cell: (x) => n(x.target), num: true },
  ], r.bySystemActionMonth);
  const ex = [
    ['Missing', r.missing], ['Duplicated', r.duplicated], ['Altered', r.altered], ['Extra', r.extra], ['Quarantined', r.quarantined],
  ] as const;
  const gapEx = c.gaps.filter((g) => g.examples.length).map((g) => keyTable(`${g.operation} without ${g.gap}`, g.examples, g.legacyMissing + g.lostInMigration)).join('');
  return `<section class="area" aria-labelledby="area-auditHistory">${head('auditHistory', a)}${chain}${chart}
${counts}${gaps}
${ex.filter(([, f]) => f.examples.length).map(([k, f]) => details(`${k} entries: ${n(f.count)}`, keyTable(`${k} audit entries`, f.examples, f.count), k !== 'Quarantined')).join('\n')}
${r.alteredByField.length ? details('Altered entries by field', table('Altered by field', [{ head: 'Field', cell: (x) => `<code>${esc(x.field)}</code>` }, { head: 'Entries', cell: (x) => n(x.count), num: true }], r.alteredByField), true) : ''}
${r.bySystemActionMonth.length ? details(`Cells that differ (${r.bySystemActionMonth.length})`, cells) : ''}
${gapEx ? details('Completeness gap examples', gapEx, c.gaps.some((g) => g.lostInMigration > 0)) : ''}
${details('Entries per operation and origin', `<div class="cols">${byOp}${byOrigin}</div>`)}</section>`;
}

export function deletionSection(a: Areas['deletion']): string {
  const e = a.excluded;
  const excl = table('Legacy records not migrated (excluded: legacy deleted or retention expired)', [
    { head: 'Step', cell: (x) => esc(x.step) }, { head: 'Entity', cell: (x) => esc(x.entity) }, { head: 'Excluded', cell: (x) => n(x.excluded), num: true },
  ], e.bySteps);
  const reasons = e.byReason.length ? table('By reason', [{ head: 'Reason', cell: (x) => `<code>${esc(x.reason)}</code>` }, { head: 'Records', cell: (x) => n(x.count), num: true }], e.byReason) : '';
  const er = a.erasure;
  const erasure = !er.done ? '<p>Erasure: none performed in this cutover.</p>'
    : `<h3>Erasure</h3><p>${er.ok ? 'Done' : '<strong class="bad">FAILED</strong>'} for person ${er.subjects.length ? er.subjects.map((s) => `<code>${esc(s)}</code>`).join(', ') : '(not named)'}${er.erasedAt ? ` on ${when(er.erasedAt)}` : ''}; logged as audit event ${er.auditSeq ? `seq <code>${esc(er.auditSeq)}</code>` : `(${n(er.auditEvents)})`}.</p>`
      + `<div class="cols">${table('Rows physically removed', [{ head: 'Table', cell: (x) => esc(x.table) }, { head: 'Rows', cell: (x) => n(x.rows), num: true }], er.removed)}`
      + `${table('Deliberately kept (linked to other records)', [{ head: 'What', cell: (x) => esc(words(x.what)) }, { head: 'Count', cell: (x) => n(x.count), num: true }], er.kept)}</div>`;
  const s = a.residualScan;
  const scan = !s.ran ? `<p>Residual scan: <strong>not run</strong>.</p>`
    : `<h3>Residual scan</h3><p>${s.ok ? 'Clean: no trace of the erased person' : `<strong class="bad">${plural(s.hits ?? 0, 'trace')} found${s.truncated ? ' (list truncated)' : ''}</strong>`}${s.person ? ` (searched for <code>${esc(s.person)}</code>)` : ''}${s.coverage ? ` in ${n(s.coverage.tables)} tables, ${n(s.coverage.columns)} columns of the ${esc(s.coverage.schemas.join(', ') || '?')} schemas, ${n(s.coverage.rowsExamined)} rows examined` : ''}${s.retainedInAuditLog !== null ? `; ${plural(s.retainedInAuditLog, 'reference')} kept in the audit log by design (ids, no content)` : ''}.</p>`
      + (s.examples.length ? details(`Residual-scan hits (${n(s.hits)})`, table('Where erased data was found', [
        { head: 'Table', cell: (x) => esc(x.table) }, { head: 'Column', cell: (x) => `<code>${esc(x.column ?? '')}</code>` },
        { head: 'Identifier', cell: (x) => esc(x.identifier ?? '') }, { head: 'Row', cell: (x) => `<code>${esc(x.row ?? '')}</code>` },
      ], s.examples), true) : '');
  return `<section class="area" aria-labelledby="area-deletion">${head('deletion', a)}
<p>${e.total === null ? 'Unknown how many' : plural(e.total, 'legacy record')} ${e.total === 1 ? 'was' : 'were'} not migrated by rule (legacy deleted or retention expired); their keys are in the exclusions, their content went nowhere, their audit entries were migrated.</p>
${details(`Exclusions per step (${e.bySteps.length})`, excl + reasons)}${erasure}${scan}</section>`;
}

export function sarSection(a: Areas['subjectAccess']): string {
  const p = a.parity;
  const list = (title: string, xs: string[], total: number | null) => (xs.length ? `<h3>${esc(title)} (${n(total ?? xs.length)})</h3><ul class="keys">${xs.map((x) => `<li><code>${esc(x)}</code></li>`).join('')}</ul>` : '');
  const body = !a.ran ? '' : `<p>Records in the answer: ${n(a.records)}; disclosures listed: ${n(a.disclosures)}. Parity with legacy S20: ${p ? (p.ok ? '<strong>PARITY</strong>' : `<strong class="bad">${esc(p.verdict ?? 'DIFFERS')}</strong>`) : 'not compared'}${p?.expected !== null && p?.expected !== undefined ? ` (legacy finds ${n(p.expected)})` : ''}.</p>`
    + (p && (p.missing.length || p.extra.length) ? details('Differences from the legacy answer', list('Legacy records missing from the answer', p.missing, p.missingCount) + list('Records in the answer that legacy does not give', p.extra, p.extraCount), true) : '');
  return `<section class="area" aria-labelledby="area-subjectAccess">${head('subjectAccess', a)}${body}</section>`;
}

export function qualitySection(a: Areas['dataQuality']): string {
  const chart = a.warnings.length
    ? barChart({ id: 'warnings', title: 'Data-quality warnings by code', desc: 'Invalid optional values set to NULL and other counted warnings, per reason code.', series: [{ name: 'Warnings', colour: C.amber }], rows: a.warnings.slice(0, 25).map((w) => ({ label: w.code, values: [w.count] })) })
    : '<p class="fine">No data-quality warnings.</p>';
  const q = a.quarantine;
  const ret = a.retention;
  const retention = !ret.ran ? '<p>Retention backlog: <strong>not run</strong>.</p>'
    : table(`Retention backlog inherited from legacy: records past their MoPI review date${ret.asOf ? ` on ${ret.asOf}` : ''}`, [
      { head: 'MoPI group', cell: (g) => esc(g.group) }, { head: 'Records', cell: (g) => n(g.records), num: true }, { head: 'Review overdue', cell: (g) => n(g.overdue), num: true },
    ], ret.groups, 'no groups reported');
  return `<section class="area" aria-labelledby="area-dataQuality">${head('dataQuality', a)}
<p>Quarantined: ${n(q.quarantined)} of ${n(q.read)} records read (${percent(q.share)}; limit ${percent(q.threshold)}). Warnings: ${n(a.warningTotal)}. Orphan links reported: ${n(a.orphans.total)}.</p>${chart}
${details(`Warnings by code (${a.warnings.length})`, table('Warnings', [{ head: 'Code', cell: (w) => `<code>${esc(w.code)}</code>` }, { head: 'Count', cell: (w) => n(w.count), num: true }], a.warnings))}
${a.quarantineByReason.length ? details('Quarantine by reason', table('Quarantined records', [{ head: 'Reason', cell: (w) => `<code>${esc(w.reason)}</code>` }, { head: 'Records', cell: (w) => n(w.count), num: true }], a.quarantineByReason)) : ''}
${a.orphans.bySteps.length ? details(`Orphan links per step (${a.orphans.bySteps.length})`, table('Orphan links: the other side is missing or excluded', [{ head: 'Step', cell: (o) => esc(o.step) }, { head: 'Entity', cell: (o) => esc(o.entity) }, { head: 'Orphans', cell: (o) => n(o.orphans), num: true }], a.orphans.bySteps)) : ''}
${retention}</section>`;
}
