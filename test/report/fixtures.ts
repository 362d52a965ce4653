// Hand-made stored results in the shapes the check modules save (src/pipeline/runner.ts RunResult,
// src/reconcile ReconcileResult, src/parity ParityResult, src/audit VerifyResult /
// AuditReconcileResult / AuditCompletenessResult, src/privacy EraseResult / ResidualScanResult /
// SubjectAccessResult), a clean set and a degraded one.
import type { ResultKind, StoredResult } from '../../src/report/store.ts';

export type Results = Partial<Record<ResultKind, StoredResult>>;

export const HOSTILE = {
  name: `<script>alert("x")</script> O'Brien & "Sons"`,
  tag: `</td></tr></table><img src=x onerror=alert(1)>`,
  bidi: 'abc\u202Edcba',
  nul: 'NUL\u0000here',
};

const saved = (kind: ResultKind, ok: boolean, result: unknown, savedAt = '2024-05-01T10:00:00.000Z'): StoredResult => ({ kind, savedAt, ok, result });

const CAPS: Array<[string, string]> = [
  ['S01', 'Nominal, exact name'], ['S02', 'Nominal, phonetic'], ['S03', 'Nominal, wildcard'], ['S04', 'Nominal, date of birth'],
  ['S05', 'Nominal, age range'], ['S06', 'Nominal, name and year'], ['S07', 'Address, postcode'], ['S08', 'Address, street'],
  ['S09', 'Vehicle, VRM'], ['S10', 'Vehicle, partial VRM'], ['S11', 'Vehicle, description'], ['S12', 'Telephone'],
  ['S13', 'Event, reference'], ['S14', 'Event, free text'], ['S15', 'Crime, classification and period'], ['S16', 'Intelligence, grading'],
  ['S17', 'Linked events of a nominal'], ['S18', 'People linked to a vehicle'], ['S19', 'Audit, who accessed a record'], ['S20', 'Subject access (SAR)'],
];

function step(system: string, entity: string, read: number, q: number, x: number, s: number, orphans = 0, warnings: Record<string, number> = {}) {
  return {
    step: `${system}:${entity}`, entity, read, loaded: read - q - x - s, quarantined: q, excluded: x, superseded: s, orphans, warnings,
    sourceCount: read, partitions: 2, batches: Math.ceil(read / 5000), seconds: read / 20000, complete: true,
  };
}

export function runResult() {
  return {
    runs: [
      {
        pipeline: 'cris', runId: '1', status: 'completed', startedAt: '2024-05-01T08:00:00.000Z', endedAt: '2024-05-01T08:20:00.000Z', seconds: 1200,
        source: 'mssql://migrator:Sup3rS3cret@cris-db.internal:1433/CRIS',
        steps: [
          step('CRIS', 'NOMINAL', 50000, 120, 800, 10, 0, { pnc_check_letter: 42, sex_unknown_code: 17, postcode_invalid: 5 }),
          step('CRIS', 'ADDRESS', 30000, 30, 0, 0, 0, { postcode_invalid: 210 }),
          step('CRIS', 'VEHICLE', 12000, 8, 0, 0, 0, { vrm_blank: 3 }),
          step('CRIS', 'CRIME_REPORT', 40000, 60, 400, 0, 0, { narrative_nul: 9 }),
          step('CRIS', 'CRIME_NOMINAL', 90000, 0, 0, 0, 1200),
          step('CRIS', 'AUDIT_TRAIL', 400000, 12, 0, 0),
        ],
      },
      {
        pipeline: 'crimint', runId: '2', status: 'completed', startedAt: '2024-05-01T08:20:00.000Z', endedAt: '2024-05-01T08:40:00.000Z', seconds: 1200,
        source: '/data/crimint-export',
        steps: [
          step('CRIMINT', 'nominals.json', 20000, 40, 150, 25, 0, { grading_ambiguous: 0, dob_partial: 300 }),
          step('CRIMINT', 'reports.json', 25000, 50, 90, 0, 30, { grading_ambiguous: 640 }),
          step('CRIMINT', 'audit.json', 150000, 4, 0, 0),
        ],
      },
    ],
  };
}

const found = <T>(examples: T[] = [], count = examples.length) => ({ count, examples });

function table(tableName: string, expected: number, fields: string[], mismatches: Record<string, Array<{ key: string; expected: unknown; actual: unknown }>> = {}, missing: Array<{ key: string; reason: string }> = []) {
  return {
    table: tableName, expected, target: expected - missing.length, compared: expected - missing.length,
    missing: found(missing), unexpected: found(), lineageChanged: found(),
    fields: fields.map((column) => ({ column, mismatches: mismatches[column]?.length ?? 0, examples: mismatches[column] ?? [] })),
    profiles: fields.map((column) => ({ column, from: column.toUpperCase(), expected: { rows: expected, nulls: 0, distinct: 10, min: 'a', max: 'z', lengths: null }, actual: { rows: expected, nulls: 0, distinct: 10, min: 'a', max: 'z', lengths: null }, differs: [] })),
  };
}

function entity(system: string, ent: string, tables: ReturnType<typeof table>[], ok = true) {
  const read = tables[0]?.expected ?? 0;
  return {
    pipeline: system.toLowerCase(), system, entity: ent, step: `${system}:${ent}`, kind: 'record', keyKind: 'text',
    outcomes: { read, loaded: read, quarantined: 0, excluded: 0, superseded: 0, erased: 0, unaccounted: found(), mismatched: found(), unexpected: found() },
    tables, error: null, seconds: 3, ok,
  };
}

export function reconcileResult(fail = false) {
  const mism: Record<string, Array<{ key: string; expected: unknown; actual: unknown }>> = fail
    ? {
      surname: [
        { key: '100234', expected: HOSTILE.name, actual: 'O' },
        { key: '100777', expected: HOSTILE.tag, actual: null },
        { key: '100999', expected: HOSTILE.bidi, actual: HOSTILE.nul },
      ],
    }
    : {};
  const missing = fail ? [{ key: '100555', reason: 'no target row for a loaded record' }, { key: `<b>9</b>&amp;`, reason: 'lineage without row' }] : [];
  const entities = [
    entity('CRIS', 'NOMINAL', [table('record.person', 49070, ['surname', 'forenames', 'date_of_birth', 'pnc_id'], mism, missing)], !fail),
    entity('CRIS', 'ADDRESS', [table('record.location', 29970, ['street', 'town', 'postcode'])]),
    entity('CRIMINT', 'nominals.json', [table('record.person', 19785, ['surname', 'forenames']), table('record.person_name', 5000, ['surname'])]),
  ];
  const summary = {
    entities: 3, sourceRecords: 99000, targetRows: 103825, missing: missing.length, unexpected: 0, mismatchedFields: fail ? 3 : 0,
    lineageChanged: 0, outcomeDefects: 0, linkDefects: 0, profileDifferences: 0, conservationFailures: 0, controlTotalFailures: 0, errors: 0,
  };
  return {
    ok: !fail, startedAt: '2024-05-01T09:00:00.000Z', endedAt: '2024-05-01T09:10:00.000Z', seconds: 600, pipelines: ['cris', 'crimint'],
    controlTotals: {
      manifest: { dir: '/data/crimint-export', ok: true, error: null, files: [{ entity: 'nominals', file: 'nominals.json', expectedRecords: 20000, actualRecords: 20000, expectedSha256: 'ab', actualSha256: 'ab', bytes: 1000, ok: true }] },
      cris: [{ entity: 'NOMINAL', rows: 50000 }],
      conservation: [{
        pipeline: 'cris', step: 'CRIS:NOMINAL', entity: 'NOMINAL', kind: 'record', source: 50000,
        target: { loaded: 49070, quarantined: 120, excluded: 800, superseded: 10, erased: 0, total: 50000 }, run: null, balanced: true, notes: [], ok: true,
      }],
    },
    entities,
    links: [{ pipeline: 'cris', step: 'CRIS:CRIME_NOMINAL', table: 'record.event_person', expected: 90000, target: 88800, present: 88800, orphaned: 1200, erased: 0, missing: found(), unexpected: found(), fields: [], ok: true }],
    untraced: [],
    summary,
    problems: fail ? ['CRIS:NOMINAL record.person 100555: missing in target (no target row for a loaded record)', `CRIS:NOMINAL record.person 100234 surname: expected ${JSON.stringify(HOSTILE.name)}, actual "O"`] : [],
  };
}

export function capability(id: string, name: string, verdict: 'PARITY' | 'DEGRADED' | 'LOST') {
  const short = verdict === 'DEGRADED';
  return {
    id, name, verdict, queries: verdict === 'LOST' ? 40 : 50, byOrigin: { replayed: 10, generated: 40, workload: 0 },
    recall: { mean: short ? 0.93 : verdict === 'LOST' ? 1 : 1, worst: short ? 0.5 : 1 },
    precision: short ? 0.97 : 1, precisionWorst: short ? 0.8 : 1,
    volumeRatio: short ? 0.96 : 1, oracleResults: 400, targetResults: short ? 385 : 400,
    latencyMs: { p50: 4.2, p95: 18.5 }, queriesShort: short ? 7 : 0, notMigrated: 3, notMigratedExamples: [],
    // board-safe (src/report/board-safe.ts): the query's kind and a keyed reference of its parameters, no description
    examples: short
      ? [
        { kind: 'lost', capability: id, queryKind: 'surname', paramsRef: 'h:3f0a5c1e9b7d2468', origin: 'replayed', note: 'soundex-misspelling', identity: 'CRIS:NOMINAL:100234' },
        { kind: 'extra', capability: id, queryKind: 'postcode', paramsRef: 'h:8e2b4d6f1a3c5e70', origin: 'generated', note: 'district-SE1-vs-SE10', identity: 'CRIS:ADDRESS:5', targetId: 'b0c' },
      ]
      : [],
    shortByNote: short ? { 'soundex-misspelling': 7 } : {},
    errors: verdict === 'LOST' ? [{ capability: id, queryKind: 'surname', paramsRef: 'h:5d7f9b1c3e5a7092', origin: 'generated', message: `${id} is not implemented by the target (NotSupportedError)` }] : [],
    warnings: [],
  };
}

export function parityResult(verdicts: Record<string, 'DEGRADED' | 'LOST'> = {}) {
  const caps = CAPS.map(([id, name]) => capability(id, name, verdicts[id] ?? 'PARITY'));
  return {
    ok: caps.every((c) => c.verdict === 'PARITY'), adapter: 'sql', seconds: 30, capabilities: caps,
    oracle: { buildSeconds: 4.5, peakRssMb: 180, records: { 'CRIS:NOMINAL': 60000, 'CRIMINT:nominals.json': 20000 } },
    workload: { replayed: { seen: 300, used: 200 }, generated: 800, generatedShortfall: [], file: null, invalidCount: 2, invalid: [] },
    target: { restricted: 12, notMigrated: 60 },
  };
}

export function auditVerify(broken = false) {
  return {
    ok: !broken, rows: 550123, firstBroken: broken ? { seq: '4711', reason: 'changed', detail: 'stored hash does not match the row (justification edited)' } : null,
    tail: { seq: '550123', hash: 'ff' }, ms: 900,
    target: 'fixture-server/cutover/16384',
    anchors: { checked: 1, last: { seq: '550000', hash: 'ee' }, head: { seq: '550123', hash: 'ff' }, reached: true, broken: [] },
    kept: broken ? null : { seq: '550123', hash: 'ff', target: 'fixture-server/cutover/16384', recordedAt: '2024-05-01T10:00:00.000Z', by: 'verify' },
  };
}

export function auditReconcile(missing = 0, altered = 0) {
  return {
    ok: missing === 0 && altered === 0,
    perSystemActionMonth: [
      { system: 'CRIS', action: 'CREATE', month: '2023-01', legacy: 1000, target: 1000 },
      { system: 'CRIS', action: 'VIEW', month: '2023-01', legacy: 5000, target: 5000 - missing },
      { system: 'CRIS', action: 'SEARCH', month: '2023-01', legacy: 2000, target: 2000 },
      { system: 'CRIS', action: 'PRINT', month: '2023-01', legacy: 300, target: 300 },
      { system: 'CRIMINT', action: 'DISCLOSE', month: '2023-02', legacy: 120, target: 120 },
      { system: 'CRIMINT', action: 'UPDATE', month: '2023-02', legacy: 800, target: 800 },
      { system: 'CRIMINT', action: 'LINK', month: '2023-02', legacy: 90, target: 90 },
      { system: 'CRIS', action: 'DELETE', month: '2023-03', legacy: 15, target: 15 },
    ],
    totals: [{ system: 'CRIS', legacy: 400000, target: 400000 - missing, quarantined: 12, superseded: 0 }, { system: 'CRIMINT', legacy: 150000, target: 150000, quarantined: 4, superseded: 0 }],
    missing: found(Array.from({ length: Math.min(missing, 3) }, (_, i) => ({ system: 'CRIS', key: `A${i}`, reason: 'not in audit.event' })), missing),
    duplicated: found(),
    altered: { ...found(Array.from({ length: Math.min(altered, 2) }, (_, i) => ({ system: 'CRIMINT', key: `C${i}`, field: 'justification', expected: HOSTILE.name, actual: null })), altered), byField: altered ? { justification: altered } : {} },
    extra: found(),
    quarantined: found([{ system: 'CRIS', key: 'Q1', code: 'bad_date', field: 'AUDIT_DT', message: 'not a date' }], 16),
    superseded: found(),
    anchors: { checked: 1, last: { seq: '550000', hash: 'ee' }, head: { seq: '550123', hash: 'ff' }, reached: true, broken: [] },
    ms: 2000,
  };
}

export function auditCompleteness(lost = 0) {
  return {
    ok: lost === 0,
    byOperation: [
      { operation: 'collection', count: 1040 }, { operation: 'alteration', count: 800 }, { operation: 'consultation', count: 7000 },
      { operation: 'disclosure', count: 420 }, { operation: 'combination', count: 90 }, { operation: 'erasure', count: 16 },
    ],
    byOrigin: [{ origin: 'CRIS', count: 400000 }, { origin: 'CRIMINT', count: 150000 }, { origin: 'MIGRATION', count: 120 }],
    byOriginOperation: [],
    gaps: [
      { gap: 'justification', operation: 'consultation', legacyMissing: 230, lostInMigration: lost, notFromLegacy: 0, inTarget: 230 + lost, examples: [{ system: 'CRIS', key: 'V1', kind: 'legacyMissing' }, ...(lost ? [{ system: 'CRIS', key: 'V2', kind: 'lostInMigration', why: 'blank in target' }] : [])] },
      { gap: 'recipient', operation: 'disclosure', legacyMissing: 12, lostInMigration: 0, notFromLegacy: 0, inTarget: 12, examples: [] },
    ],
    missingInTarget: 0, quarantinedSkipped: 16, ms: 800,
  };
}

export function eraseResult() {
  return {
    erasureId: 'e-1', person: '5d1c0a8e-0000-5000-8000-000000000001', erasedAt: '2024-05-01T11:00:00.000Z', auditSeq: '550124',
    removed: { 'record.person': 1, 'record.person_name': 2, 'record.event_person': 3, 'migration.lineage': 3 },
    kept: { events: 3, sharedLocations: 1, sharedObjects: 0 }, refreshed: [], ms: 50,
  };
}

export function residualScan(hits = 0) {
  return {
    ok: hits === 0, person: '5d1c0a8e-0000-5000-8000-000000000001', erasures: [{ erasureId: 'e-1', erasedAt: '2024-05-01T11:00:00.000Z', auditSeq: '550124' }],
    hits: Array.from({ length: hits }, (_, i) => ({ table: 'migration.quarantine', column: 'raw', key: { id: String(i + 1) }, kind: 'pnc' })),
    hitCount: hits, retainedInAuditLog: [{ table: 'audit.event', column: 'entity_id', seq: '550124', kind: 'id' }], retainedCount: 1, truncated: false,
    coverage: { schemas: ['record', 'migration', 'audit'], tables: 17, columns: 120, rowsExamined: 4000, perTable: [] },
    files: { resultsStore: { dir: '.cutover/results', files: 9, hits: [] }, engineersReports: { known: 0, holding: [] } }, ms: 300,
  };
}

export function sarResult(ok = true) {
  return {
    sarId: 's-1', generatedAt: '2024-05-01T11:30:00.000Z', files: { json: 'sar.json', html: 'sar.html' },
    counts: { persons: 1, otherNames: 2, events: 4, locations: 1, objects: 1, disclosures: 2, unresolved: 0 },
    personIds: ['p1'], auditSeq: '550125',
    parity: { ok, legacyCount: 9, targetCount: ok ? 9 : 8, missing: ok ? [] : [{ identity: 'CRIS:CRIME_REPORT:0412345/19', targetId: 'x', reason: 'not_found' }], extra: [] },
    ms: 40,
  };
}

export function retentionResult() {
  const groups = [{ group: 1, records: 60000, overdue: 1200 }, { group: 2, records: 40000, overdue: 300 }, { group: 3, records: 20000, overdue: 25 }];
  return { asOf: '2024-05-01', overdueTotal: groups.reduce((a, g) => a + g.overdue, 0), groups };
}

/** Every check run and clean. */
export function cleanResults(): Results {
  return {
    run: saved('run', true, runResult(), '2024-05-01T08:40:00.000Z'),
    reconcile: saved('reconcile', true, reconcileResult()),
    parity: saved('parity', true, parityResult()),
    'audit-verify': saved('audit-verify', true, auditVerify()),
    'audit-reconcile': saved('audit-reconcile', true, auditReconcile()),
    'audit-completeness': saved('audit-completeness', true, auditCompleteness()),
    erasure: saved('erasure', true, eraseResult(), '2024-05-01T11:00:00.000Z'),
    'residual-scan': saved('residual-scan', true, residualScan(), '2024-05-01T11:05:00.000Z'),
    sar: saved('sar', true, sarResult()),
    retention: saved('retention', true, retentionResult()),
  };
}

/** S02 LOST, S04, S07, S14 DEGRADED, and a reconciliation failure (missing records, hostile mismatches). */
export function degradedResults(): Results {
  const r = cleanResults();
  const parity = parityResult({ S02: 'LOST', S04: 'DEGRADED', S07: 'DEGRADED', S14: 'DEGRADED' });
  r.parity = saved('parity', false, parity);
  r.reconcile = saved('reconcile', false, reconcileResult(true));
  return r;
}

export { saved };
