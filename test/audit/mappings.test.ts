import { describe, it, expect } from 'vitest';
import type { AuditOut, Mapped, Mapping, Outcome } from '../../src/pipeline/types.ts';
import { mapping as cris } from '../../mappings/cris-audit-trail.ts';
import { mapping as crimint } from '../../mappings/crimint-audit.ts';
import { UNKNOWN_ACTOR } from '../../src/audit/legacy-rules.ts';

const rec = (key: string, raw: Record<string, unknown>) => ({ key, ordinal: 0, raw });
function load(m: Mapping, key: string, raw: Record<string, unknown>): Mapped & { entry: AuditOut } {
  const o: Outcome = m.map(rec(key, raw));
  if (o.kind !== 'loaded') throw new Error(`expected loaded, got ${JSON.stringify(o)}`);
  expect(o.mapped.rows).toEqual([]);
  expect(o.mapped.links).toEqual([]);
  expect(o.mapped.audit).toHaveLength(1);
  return { ...o.mapped, entry: o.mapped.audit[0]! };
}
function quarantined(m: Mapping, key: string, raw: Record<string, unknown>) {
  const o = m.map(rec(key, raw));
  if (o.kind !== 'quarantined') throw new Error(`expected quarantined, got ${JSON.stringify(o)}`);
  return `${o.problems[0]!.code}@${o.problems[0]!.field}`;
}
const warnings = (m: Mapped) => m.warnings.map((w) => `${w.code}@${w.field}`);

const crisRow = (over: Record<string, unknown> = {}) => ({
  audit_id: '1001', table_name: 'CRIME_REPORT', record_key: '0412345/19', action: 'VIEW', user_id: 'CD5678',
  action_dt: '2019-03-04 10:25:13', reason: 'Op TRIDENT briefing', recipient: null, detail: null, ...over,
});

describe('CRIS AUDIT_TRAIL → audit.event', () => {
  it('maps a VIEW of a crime report exactly', () => {
    const m = load(cris, '1001', crisRow());
    expect(m.entry).toEqual({
      occurred_at: new Date('2019-03-04T10:25:13Z'), actor: 'CD5678', operation: 'consultation', justification: 'Op TRIDENT briefing',
      recipient: null, entity_type: 'event', entity_id: null, entity_ref: '0412345/19', detail: null, origin: 'CRIS',
      legacy_audit_id: '1001', lookup: { entity: 'CRIME_REPORT', key: '0412345/19' },
    });
    expect(m.warnings).toEqual([]);
    expect(cris).toMatchObject({ system: 'CRIS', entity: 'AUDIT_TRAIL', audit: true });
  });

  it('maps every action to its s.62 operation', () => {
    const ops = Object.fromEntries(['CREATE', 'UPDATE', 'VIEW', 'SEARCH', 'PRINT', 'DISCLOSE', 'LINK', 'DELETE'].map((a) => [a, load(cris, '1', crisRow({ action: a })).entry.operation]));
    expect(ops).toEqual({
      CREATE: 'collection', UPDATE: 'alteration', VIEW: 'consultation', SEARCH: 'consultation',
      PRINT: 'disclosure', DISCLOSE: 'disclosure', LINK: 'combination', DELETE: 'erasure',
    });
    expect(load(cris, '1', crisRow({ action: ' view ' })).entry.operation).toBe('consultation');
  });

  it('maps each table to its entity type and lineage entity', () => {
    const t = (table: string, key: string | null) => {
      const e = load(cris, '1', crisRow({ table_name: table, record_key: key })).entry;
      return [e.entity_type, e.entity_ref, e.lookup];
    };
    expect(t('NOMINAL', '12345')).toEqual(['person', '12345', { entity: 'NOMINAL', key: '12345' }]);
    expect(t('ADDRESS', '77 ')).toEqual(['location', '77', { entity: 'ADDRESS', key: '77' }]);
    expect(t('VEHICLE', '5')).toEqual(['object', '5', { entity: 'VEHICLE', key: '5' }]);
    expect(t('CRIME_REPORT', '0412345/19')).toEqual(['event', '0412345/19', { entity: 'CRIME_REPORT', key: '0412345/19' }]);
    expect(t('SEARCH', null)).toEqual(['search', null, null]);
  });

  it('keeps an entry about a legacy-deleted record: never excluded, entity_ref kept, entity_id left to lineage', () => {
    const raw = crisRow({ table_name: 'NOMINAL', record_key: '999', action: 'DELETE', reason: 'MoPI review' });
    expect(cris.exclude(raw)).toBeNull();
    expect(cris.exclude({ ...raw, deleted: 'Y' })).toBeNull();
    const e = load(cris, '1002', raw).entry;
    expect(e).toMatchObject({ operation: 'erasure', entity_type: 'person', entity_ref: '999', entity_id: null, lookup: { entity: 'NOMINAL', key: '999' } });
  });

  it('keeps search criteria as an object; unparseable criteria as {raw} with invalid_detail', () => {
    const criteria = { capability: 'S02', params: { surname: 'SMITH', forenameInitial: 'J' } };
    const m = load(cris, '1003', crisRow({ action: 'SEARCH', table_name: 'SEARCH', record_key: null, detail: JSON.stringify(criteria) }));
    expect(m.entry).toMatchObject({ operation: 'consultation', entity_type: 'search', entity_ref: null, lookup: null, detail: criteria });
    const bad = load(cris, '1004', crisRow({ action: 'SEARCH', table_name: 'SEARCH', record_key: null, detail: '{"capability": "S02", params' }));
    expect(bad.entry.detail).toEqual({ raw: '{"capability": "S02", params' });
    expect(warnings(bad)).toEqual(['invalid_detail@detail']);
  });

  it('keeps only the changed field names of an UPDATE, never the old or new values', () => {
    const m = load(cris, '1005', crisRow({ action: 'UPDATE', table_name: 'NOMINAL', record_key: '12345', detail: '{"surname": ["SMITH", "SMYTHE"], "pnc_id": ["85/0012345K", null]}' }));
    expect(m.entry.detail).toEqual({ fields: ['surname', 'pnc_id'] });
    expect(JSON.stringify(m)).not.toMatch(/SMYTHE|0012345K/);
    const bad = load(cris, '1006', crisRow({ action: 'UPDATE', detail: 'surname: SMITH -> SMYTHE' }));
    expect(bad.entry.detail).toBeNull();
    expect(JSON.stringify(bad)).not.toMatch(/SMYTHE/);
    expect(warnings(bad)).toEqual(['invalid_detail@detail']);
    expect(load(cris, '1007', crisRow({ action: 'VIEW', detail: '{"x": 1}' })).entry.detail).toBeNull();
  });

  it('keeps the recipient of a disclosure; blank reason and recipient become NULL', () => {
    expect(load(cris, '1', crisRow({ action: 'DISCLOSE', recipient: 'CPS London ', reason: 'charging file' })).entry)
      .toMatchObject({ operation: 'disclosure', recipient: 'CPS London', justification: 'charging file' });
    expect(load(cris, '1', crisRow({ action: 'PRINT', recipient: '', reason: '   ' })).entry)
      .toMatchObject({ operation: 'disclosure', recipient: null, justification: null });
  });

  it('records a blank user as the unknown actor with a warning', () => {
    const m = load(cris, '1', crisRow({ user_id: '  ' }));
    expect(m.entry.actor).toBe(UNKNOWN_ACTOR);
    expect(warnings(m)).toEqual(['missing_actor@user_id']);
  });

  it('reads ACTION_DT as Europe/London: the repeated October hour is the earlier instant, the skipped March hour moves forward', () => {
    const oct = load(cris, '1', crisRow({ action_dt: '2019-10-27 01:30:00' }));
    expect(oct.entry.occurred_at).toEqual(new Date('2019-10-27T00:30:00Z')); // BST, +01:00
    expect(warnings(oct)).toEqual(['ambiguous_local_time@action_dt']);
    const mar = load(cris, '1', crisRow({ action_dt: '2019-03-31 01:30:00' }));
    expect(mar.entry.occurred_at).toEqual(new Date('2019-03-31T01:30:00Z')); // 02:30 BST
    expect(warnings(mar)).toEqual(['nonexistent_local_time@action_dt']);
    expect(load(cris, '1', crisRow({ action_dt: '2019-07-01 12:00:00.123456' })).entry.occurred_at).toEqual(new Date('2019-07-01T11:00:00.123Z'));
    // mssql hands datetime over as a Date whose UTC fields are the wall clock
    expect(load(cris, '1', crisRow({ action_dt: new Date('2019-07-01T12:00:00.000Z') })).entry.occurred_at).toEqual(new Date('2019-07-01T11:00:00Z'));
  });

  it('quarantines an unknown action and an unparseable or missing time', () => {
    expect(quarantined(cris, '1', crisRow({ action: 'FROB' }))).toBe('invalid_value@action');
    expect(quarantined(cris, '1', crisRow({ action: null }))).toBe('invalid_value@action');
    expect(quarantined(cris, '1', crisRow({ action_dt: '2019-02-30 10:00:00' }))).toBe('invalid_required@action_dt');
    expect(quarantined(cris, '1', crisRow({ action_dt: 'yesterday' }))).toBe('invalid_required@action_dt');
    expect(quarantined(cris, '1', crisRow({ action_dt: null }))).toBe('missing_required@action_dt');
  });
});

const cn = (over: Record<string, unknown> = {}) => ({
  id: 'A000000001', at: '04/03/2019 10:25:13', user: 'CD5678', action: 'VIEW', entity: 'intel_report', key: 'IR/2019/0001234',
  reason: 'Op TRIDENT briefing', recipient: null, criteria: null, ...over,
});

describe('CRIMINT audit.json → audit.event', () => {
  it('maps the documented example exactly', () => {
    const m = load(crimint, 'A000000001', cn());
    expect(m.entry).toEqual({
      occurred_at: new Date('2019-03-04T10:25:13Z'), actor: 'CD5678', operation: 'consultation', justification: 'Op TRIDENT briefing',
      recipient: null, entity_type: 'event', entity_id: null, entity_ref: 'IR/2019/0001234', detail: null, origin: 'CRIMINT',
      legacy_audit_id: 'A000000001', lookup: { entity: 'intel_reports.json', key: 'IR/2019/0001234' },
    });
    expect(m.warnings).toEqual([]);
    expect(crimint).toMatchObject({ system: 'CRIMINT', entity: 'audit.json', audit: true });
    expect(crimint.exclude({ ...cn(), status: 'DELETED' })).toBeNull();
  });

  it('maps every action, nominals and searches', () => {
    const ops = Object.fromEntries(['CREATE', 'UPDATE', 'VIEW', 'SEARCH', 'PRINT', 'DISCLOSE', 'LINK', 'DELETE'].map((a) => [a, load(crimint, 'A1', cn({ action: a })).entry.operation]));
    expect(ops).toEqual({
      CREATE: 'collection', UPDATE: 'alteration', VIEW: 'consultation', SEARCH: 'consultation',
      PRINT: 'disclosure', DISCLOSE: 'disclosure', LINK: 'combination', DELETE: 'erasure',
    });
    expect(load(crimint, 'A2', cn({ entity: 'nominal', key: 'N0001234' })).entry)
      .toMatchObject({ entity_type: 'person', entity_ref: 'N0001234', lookup: { entity: 'nominals.json', key: 'N0001234' } });
    const criteria = { capability: 'S04', params: { dob: '00/03/1985' } };
    expect(load(crimint, 'A3', cn({ action: 'SEARCH', entity: 'search', key: null, criteria })).entry)
      .toMatchObject({ operation: 'consultation', entity_type: 'search', entity_ref: null, lookup: null, detail: criteria });
    expect(load(crimint, 'A4', cn({ action: 'DISCLOSE', recipient: 'NCA', reason: '' })).entry)
      .toMatchObject({ operation: 'disclosure', recipient: 'NCA', justification: null });
  });

  it('keeps an entry about a deleted nominal (lineage leaves entity_id NULL)', () => {
    expect(load(crimint, 'A5', cn({ action: 'DELETE', entity: 'nominal', key: 'N0009999' })).entry)
      .toMatchObject({ operation: 'erasure', entity_id: null, entity_ref: 'N0009999', lookup: { entity: 'nominals.json', key: 'N0009999' } });
  });

  it('reads the ambiguous October hour as BST with a warning', () => {
    const m = load(crimint, 'A6', cn({ at: '27/10/2019 01:30:00' }));
    expect(m.entry.occurred_at).toEqual(new Date('2019-10-27T00:30:00Z'));
    expect(warnings(m)).toEqual(['ambiguous_local_time@at']);
  });

  it('quarantines an unknown action, an unparseable time and a missing id', () => {
    expect(quarantined(crimint, 'A7', cn({ action: 'EXPORT' }))).toBe('invalid_value@action');
    expect(quarantined(crimint, 'A7', cn({ at: '31/02/2019 10:00:00' }))).toBe('invalid_required@at');
    expect(quarantined(crimint, 'A7', cn({ at: 20190304 }))).toBe('invalid_required@at');
    expect(quarantined(crimint, '#7', cn({ id: null }))).toBe('missing_required@id');
  });
});
