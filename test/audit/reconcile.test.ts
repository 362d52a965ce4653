// Reconciliation and completeness on a small hand-built CRIS stand-in and CRIMINT export,
// loaded by the real pipeline runner (audit steps only), then tampered with as superuser.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { crisTable, postgresDdl } from '../../src/sources/cris-tables.ts';
import { openCrimintSource, openCrisSource } from '../../src/sources/index.ts';
import type { Source } from '../../src/sources/types.ts';
import { definePipeline } from '../../src/pipeline/define.ts';
import { runPipeline } from '../../src/pipeline/runner.ts';
import { mapping as crisAudit } from '../../mappings/cris-audit-trail.ts';
import { mapping as crimintAudit } from '../../mappings/crimint-audit.ts';
import { auditReconcile } from '../../src/audit/reconcile.ts';
import { auditCompleteness } from '../../src/audit/completeness.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { targetId } from '../../src/core/ids.ts';
import { client, migratedDatabase, tamper } from './helpers.ts';

// audit_id, table_name, record_key, action, user_id, action_dt, reason, recipient, detail
const CRIS_ROWS: unknown[][] = [
  [1001, 'CRIME_REPORT', '0412345/19', 'CREATE', 'AB1234', '2019-03-04 10:22:00', null, null, null],
  [1002, 'CRIME_REPORT', '0412345/19', 'VIEW', 'CD5678', '2019-03-04 10:25:13', 'Op TRIDENT briefing', null, null],
  [1003, 'NOMINAL', '12345', 'UPDATE', 'AB1234', '2019-03-05 09:00:00', null, null, '{"surname": ["SMITH", "SMYTHE"]}'],
  [1004, 'SEARCH', null, 'SEARCH', 'CD5678', '2019-04-01 11:00:00', 'Op X', null, '{"capability": "S02", "params": {"surname": "SMITH"}}'],
  [1005, 'NOMINAL', '12345', 'PRINT', 'EF9012', '2019-04-02 12:00:00', 'court file', 'CPS London', null],
  [1006, 'NOMINAL', '999', 'DISCLOSE', 'EF9012', '2019-10-27 01:30:00', 'liaison', null, null], // no recipient; ambiguous hour
  [1007, 'CRIME_REPORT', '0412345/19', 'VIEW', 'GH3456', '2019-10-28 08:00:00', '  ', null, null], // no reason
  [1008, 'NOMINAL', '12345', 'LINK', 'AB1234', '2019-11-01 10:00:00', null, null, null],
  [1009, 'NOMINAL', '999', 'DELETE', 'AB1234', '2019-11-02 10:00:00', 'MoPI review', null, null],
  [1010, 'CRIME_REPORT', '0412345/19', 'FROB', 'AB1234', '2019-11-03 10:00:00', null, null, null], // quarantined
  [1011, 'VEHICLE', '5', 'VIEW', '', '2019-11-04 10:00:00', 'check', null, null], // no actor
];

const CRIMINT_AUDIT = [
  { id: 'A0000001', at: '04/03/2019 10:25:13', user: 'CD5678', action: 'VIEW', entity: 'intel_report', key: 'IR/2019/0001234', reason: 'Op TRIDENT briefing', recipient: null, criteria: null },
  { id: 'A0000002', at: '05/03/2019 11:00:00', user: 'CD5678', action: 'SEARCH', entity: 'search', key: null, reason: 'Op TRIDENT', recipient: null, criteria: { capability: 'S01', params: { surname: 'Bryan', forenames: 'Sean' } } },
  { id: 'A0000003', at: '06/03/2019 12:00:00', user: 'EF9012', action: 'DISCLOSE', entity: 'nominal', key: 'N0001234', reason: 'NCA request', recipient: 'NCA', criteria: null },
  { id: 'A0000004', at: '07/03/2019 13:00:00', user: 'EF9012', action: 'VIEW', entity: 'nominal', key: 'N0009999', reason: 'review', recipient: null, criteria: null },
  { id: 'A0000005', at: '08/03/2019 14:00:00', user: 'AB1234', action: 'UPDATE', entity: 'nominal', key: 'N0001234', reason: 'first copy', recipient: null, criteria: null },
  { id: 'A0000006', at: '09/03/2019 15:00:00', user: 'EF9012', action: 'PRINT', entity: 'intel_report', key: 'IR/2019/0001234', reason: null, recipient: 'CPS', criteria: null },
  // a re-export repeated A0000005 later, changed: the later occurrence wins
  { id: 'A0000005', at: '08/03/2019 14:00:00', user: 'AB1234', action: 'UPDATE', entity: 'nominal', key: 'N0001234', reason: 'corrected copy', recipient: null, criteria: null },
];

function writeCrimintExport(dir: string) {
  const files: Record<string, unknown[]> = { 'nominals.json': [], 'intel_reports.json': [], 'audit.json': CRIMINT_AUDIT };
  const manifest: { exportedAt: string; files: Record<string, { records: number; sha256: string }> } = { exportedAt: '2024-01-01T00:00:00Z', files: {} };
  for (const [name, records] of Object.entries(files)) {
    const text = JSON.stringify(records, null, 1);
    writeFileSync(path.join(dir, name), text);
    manifest.files[name] = { records: records.length, sha256: createHash('sha256').update(text).digest('hex') };
  }
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
}

describe('audit reconciliation and completeness', () => {
  let legacyUrl: string;
  let targetUrl: string;
  let dir: string;
  let cris: Source;
  let crimint: Source;
  let target: pg.Client;

  beforeAll(async () => {
    legacyUrl = await createTestDatabase('audit_legacy');
    const l = await client(legacyUrl);
    await l.query('CREATE SCHEMA dbo');
    await l.query(postgresDdl(crisTable('AUDIT_TRAIL')));
    for (const r of CRIS_ROWS) await l.query('INSERT INTO dbo.audit_trail VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)', r);
    await l.end();
    dir = mkdtempSync(path.join(tmpdir(), 'cutover-audit-'));
    writeCrimintExport(dir);
    cris = openCrisSource(legacyUrl);
    crimint = openCrimintSource(dir);

    targetUrl = await migratedDatabase('audit_target');
    const pool = new pg.Pool({ connectionString: targetUrl, max: 4 });
    try {
      // the records migrated earlier (lineage); NOMINAL 999 and N0009999 were legacy-deleted: none
      await pool.query(
        `INSERT INTO migration.lineage (source_system, source_entity, source_key, target_table, target_id, source_hash, run_id)
         VALUES ('CRIS', 'NOMINAL', '12345', 'record.person', $1, 'h', 0), ('CRIMINT', 'nominals.json', 'N0001234', 'record.person', $2, 'h', 0)`,
        [targetId('CRIS', 'NOMINAL', '12345'), targetId('CRIMINT', 'nominals.json', 'N0001234')]);
      const cp = definePipeline({ name: 'cris-audit', system: 'CRIS', openSource: () => cris, steps: [{ mapping: crisAudit }], batchSize: 100, concurrency: 1 });
      const np = definePipeline({ name: 'crimint-audit', system: 'CRIMINT', openSource: () => crimint, steps: [{ mapping: crimintAudit }], batchSize: 100, concurrency: 1 });
      await runPipeline(cp, cris, pool);
      await runPipeline(np, crimint, pool);
    } finally {
      await pool.end();
    }
    target = await client(targetUrl);
  });

  afterAll(async () => {
    await target?.end();
    await cris?.close();
    await crimint?.close();
    await dropTestDatabase(targetUrl);
    await dropTestDatabase(legacyUrl);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the runner loaded every entry once, chained (CRIS quarantine: the unknown action)', async () => {
    const { rows } = await target.query(`SELECT origin, count(*)::int AS n FROM audit.event WHERE legacy_audit_id IS NOT NULL GROUP BY origin ORDER BY origin`);
    expect(rows).toEqual([{ origin: 'CRIMINT', n: 6 }, { origin: 'CRIS', n: 10 }]);
    expect((await verifyChain(targetUrl)).ok).toBe(true);
    const q = await target.query(`SELECT source_system, source_key, reason_code, field FROM migration.quarantine`);
    expect(q.rows).toEqual([{ source_system: 'CRIS', source_key: '1010', reason_code: 'invalid_value', field: 'action' }]);
    const later = await target.query(`SELECT justification FROM audit.event WHERE legacy_audit_id = 'A0000005'`);
    expect(later.rows).toEqual([{ justification: 'corrected copy' }]);
  });

  it('entity_id is resolved through lineage; entries about unmigrated (deleted) records keep only entity_ref', async () => {
    const { rows } = await target.query(`SELECT origin, legacy_audit_id, entity_ref, entity_id FROM audit.event WHERE legacy_audit_id IN ('1003', '1009', 'A0000003', 'A0000004') ORDER BY 2`);
    expect(rows).toEqual([
      { origin: 'CRIS', legacy_audit_id: '1003', entity_ref: '12345', entity_id: targetId('CRIS', 'NOMINAL', '12345') },
      { origin: 'CRIS', legacy_audit_id: '1009', entity_ref: '999', entity_id: null },
      { origin: 'CRIMINT', legacy_audit_id: 'A0000003', entity_ref: 'N0001234', entity_id: targetId('CRIMINT', 'nominals.json', 'N0001234') },
      { origin: 'CRIMINT', legacy_audit_id: 'A0000004', entity_ref: 'N0009999', entity_id: null },
    ]);
    const d = await target.query(`SELECT detail FROM audit.event WHERE legacy_audit_id IN ('1003', '1004') ORDER BY legacy_audit_id`);
    expect(d.rows).toEqual([{ detail: { fields: ['surname'] } }, { detail: { capability: 'S02', params: { surname: 'SMITH' } } }]);
  });

  it('reconciles clean: counts per system, action and month agree; the quarantined and superseded entries are reported', async () => {
    const r = await auditReconcile({ crisSource: cris, crimintSource: crimint, targetUrl });
    expect(r.ok).toBe(true);
    expect(r.missing.count + r.altered.count + r.extra.count + r.duplicated.count).toBe(0);
    expect(r.quarantined).toMatchObject({ count: 1, examples: [{ system: 'CRIS', key: '1010', code: 'invalid_value', field: 'action' }] });
    expect(r.superseded).toEqual({ count: 1, examples: [{ system: 'CRIMINT', key: 'A0000005', ordinal: 4 }] });
    expect(r.totals).toEqual([
      { system: 'CRIS', legacy: 11, target: 10, quarantined: 1, superseded: 0 },
      { system: 'CRIMINT', legacy: 6, target: 6, quarantined: 0, superseded: 1 },
    ]);
    const cell = (system: string, action: string, month: string) => r.perSystemActionMonth.find((c) => c.system === system && c.action === action && c.month === month);
    expect(cell('CRIS', 'VIEW', '2019-03')).toEqual({ system: 'CRIS', action: 'VIEW', month: '2019-03', legacy: 1, target: 1 });
    expect(cell('CRIS', 'DISCLOSE', '2019-10')).toMatchObject({ legacy: 1, target: 1 }); // the ambiguous October hour stays in October
    expect(cell('CRIS', 'FROB', '2019-11')).toMatchObject({ legacy: 1, target: 0 });
    expect(cell('CRIMINT', 'UPDATE', '2019-03')).toMatchObject({ legacy: 1, target: 1 });
    for (const c of r.perSystemActionMonth) if (c.action !== 'FROB') expect(c.legacy, `${c.system} ${c.action} ${c.month}`).toBe(c.target);
  });

  it('completeness: gaps already missing in legacy are counted as legacy, nothing lost', async () => {
    const r = await auditCompleteness({ targetUrl, crisSource: cris, crimintSource: crimint });
    expect(r.ok).toBe(true);
    const g = Object.fromEntries(r.gaps.map((x) => [`${x.gap}/${x.operation}`, [x.legacyMissing, x.lostInMigration]]));
    expect(g).toEqual({
      'justification/consultation': [1, 0], // CRIS 1007
      'justification/disclosure': [1, 0], // CRIMINT A0000006
      'actor/consultation': [1, 0], // CRIS 1011
      'actor/disclosure': [0, 0],
      'recipient/disclosure': [1, 0], // CRIS 1006
    });
    expect(r.gaps.find((x) => x.gap === 'actor' && x.operation === 'consultation')!.examples).toEqual([{ system: 'CRIS', key: '1011', kind: 'legacyMissing' }]);
    expect(r.byOrigin).toEqual(expect.arrayContaining([{ origin: 'CRIS', count: 10 }, { origin: 'CRIMINT', count: 6 }]));
    expect(r.byOperation).toEqual(expect.arrayContaining([{ operation: 'consultation', count: 7 }, { operation: 'disclosure', count: 4 }]));
  });

  it('a dropped target entry, a blanked justification and a forged extra entry are named', async () => {
    await tamper(target, `DELETE FROM audit.event WHERE origin = 'CRIS' AND legacy_audit_id = '1002'`);
    await tamper(target, `UPDATE audit.event SET justification = NULL WHERE origin = 'CRIMINT' AND legacy_audit_id = 'A0000001'`);
    await tamper(target, `INSERT INTO audit.event (occurred_at, actor, operation, origin, legacy_audit_id) VALUES ('2019-05-01T10:00:00Z', 'ZZ0000', 'consultation', 'CRIS', '5555')`);

    const r = await auditReconcile({ crisSource: cris, crimintSource: crimint, targetUrl });
    expect(r.ok).toBe(false);
    expect(r.missing).toEqual({ count: 1, examples: [{ system: 'CRIS', key: '1002', reason: 'not in audit.event' }] });
    expect(r.altered).toEqual({
      count: 1, byField: { justification: 1 },
      examples: [{ system: 'CRIMINT', key: 'A0000001', field: 'justification', expected: 'Op TRIDENT briefing', actual: null }],
    });
    expect(r.extra).toMatchObject({ count: 1, examples: [{ system: 'CRIS', key: '5555' }] });
    const cell = (system: string, action: string, month: string) => r.perSystemActionMonth.find((c) => c.system === system && c.action === action && c.month === month);
    expect(cell('CRIS', 'VIEW', '2019-03')).toMatchObject({ legacy: 1, target: 0 });
    expect(cell('CRIS', 'VIEW', '2019-05')).toMatchObject({ legacy: 0, target: 1 });

    const c = await auditCompleteness({ targetUrl, crisSource: cris, crimintSource: crimint });
    expect(c.ok).toBe(false);
    const j = c.gaps.find((x) => x.gap === 'justification' && x.operation === 'consultation')!;
    expect(j).toMatchObject({ legacyMissing: 1, lostInMigration: 2 });
    expect(j.examples).toEqual(expect.arrayContaining([
      { system: 'CRIS', key: '1007', kind: 'legacyMissing' },
      { system: 'CRIS', key: '1002', kind: 'lostInMigration', why: 'entry missing in target' },
      { system: 'CRIMINT', key: 'A0000001', kind: 'lostInMigration', why: 'blank in target' },
    ]));
    expect(c.missingInTarget).toBe(1);

    const v = await verifyChain(targetUrl);
    expect(v.ok).toBe(false);
  });
});
