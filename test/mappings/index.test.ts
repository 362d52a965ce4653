import { describe, it, expect } from 'vitest';
import { CRIMINT_MAPPINGS, CRIS_MAPPINGS, mappingFor } from '../../mappings/index.ts';
import { crimintExclude, crisExclude } from '../../mappings/lib.ts';
import type { Mapping } from '../../src/pipeline/types.ts';
import { rec } from './helpers.ts';

describe('mapping registry', () => {
  it('lists the CRIS and CRIMINT mappings in dependency order', () => {
    expect(CRIS_MAPPINGS.map((m) => m.entity)).toEqual(['ADDRESS', 'VEHICLE', 'NOMINAL', 'CRIME_REPORT', 'CRIME_NOMINAL', 'CRIME_VEHICLE']);
    expect(CRIMINT_MAPPINGS.map((m) => m.entity)).toEqual(['nominals.json', 'intel_reports.json']);
    expect(CRIS_MAPPINGS.every((m) => m.system === 'CRIS')).toBe(true);
    expect(CRIMINT_MAPPINGS.every((m) => m.system === 'CRIMINT')).toBe(true);
    expect(CRIS_MAPPINGS.filter((m) => m.linkOnly).map((m) => m.entity)).toEqual(['CRIME_NOMINAL', 'CRIME_VEHICLE']);
  });

  it('finds a mapping by system and entity, and names the known ones otherwise', () => {
    expect(mappingFor('CRIS', 'NOMINAL').entity).toBe('NOMINAL');
    expect(mappingFor('CRIMINT', 'intel_reports.json').entity).toBe('intel_reports.json');
    expect(() => mappingFor('CRIS', 'nominals.json')).toThrow(/no mapping for CRIS entity "nominals.json"/);
  });
});

describe('exclusion rules', () => {
  it('CRIS: DELETED = Y, trimmed and any case', () => {
    expect(['Y', 'y', ' Y '].map((deleted) => crisExclude({ deleted }))).toEqual(['legacy_deleted', 'legacy_deleted', 'legacy_deleted']);
    expect(['N', '', null, undefined, 'YES'].map((deleted) => crisExclude({ deleted }))).toEqual([null, null, null, null, null]);
  });
  it('CRIMINT: status DELETED', () => {
    expect(crimintExclude({ status: 'DELETED' })).toBe('legacy_deleted');
    expect(crimintExclude({ status: ' deleted ' })).toBe('legacy_deleted');
    expect(['ACTIVE', 'ARCHIVED', null, 3].map((status) => crimintExclude({ status }))).toEqual([null, null, null, null]);
  });
});

// map() must never throw: any value in any field, or a record that is not an object at all.
const GARBAGE: unknown[] = [null, undefined, '', '   ', '\u0000', 0, -1, 1.5, 2 ** 40, true, {}, [], [1], { a: 1 }, 'x'.repeat(300), 12n];

describe('map() never throws and is deterministic', () => {
  const all: Mapping[] = [...CRIS_MAPPINGS, ...CRIMINT_MAPPINGS];
  const fields: Record<string, string[]> = {
    ADDRESS: ['premises', 'street', 'locality', 'town', 'postcode', 'easting', 'northing'],
    VEHICLE: ['vrm', 'make', 'model', 'colour'],
    NOMINAL: ['surname', 'forenames', 'dob', 'sex', 'ethnic_code', 'pnc_id', 'cro_no', 'address_id'],
    CRIME_REPORT: ['borough', 'ho_class', 'committed_from', 'committed_to', 'reported_dt', 'location_id', 'mo_text', 'status', 'oic', 'created_dt', 'updated_dt'],
    CRIME_NOMINAL: ['cris_no', 'nominal_id', 'role'],
    CRIME_VEHICLE: ['cris_no', 'vehicle_id', 'role'],
    'nominals.json': ['ref', 'surname', 'forenames', 'dob', 'sex', 'ethnicity', 'pnc', 'aliases', 'addresses', 'phones', 'created', 'createdBy', 'status'],
    'intel_reports.json': ['urn', 'created', 'gradingScheme', 'grading', 'text', 'reviewDate', 'mopiGroup', 'subjects', 'vehicles', 'locations', 'phones', 'status'],
  };
  const valid: Record<string, Record<string, unknown>> = {
    ADDRESS: { address_id: 1, postcode: 'SE1 9GF' },
    VEHICLE: { vehicle_id: 1, vrm: 'AB12CDE' },
    NOMINAL: { nominal_id: 1, surname: 'SMITH' },
    CRIME_REPORT: { cris_no: '0412345/19', reported_dt: '2019-01-01 00:00:00' },
    CRIME_NOMINAL: { cris_no: '0412345/19', nominal_id: 1, role: 'VI' },
    CRIME_VEHICLE: { cris_no: '0412345/19', vehicle_id: 1, role: 'ST' },
    'nominals.json': { ref: 'N1', surname: 'Smith', aliases: [{ surname: 'A' }], addresses: [{}], phones: ['x'] },
    'intel_reports.json': { urn: 'IR/2019/0000001', created: '01/01/2019', subjects: [{ ref: 'N1', role: 'SUBJECT' }], vehicles: [{}], locations: [{}], phones: [1] },
  };
  const keyOf: Record<string, string> = { CRIME_REPORT: '0412345/19', 'intel_reports.json': 'IR/2019/0000001' };

  for (const m of all) {
    it(`${m.system} ${m.entity}`, () => {
      const key = keyOf[m.entity] ?? '1';
      for (const f of fields[m.entity]!) {
        for (const g of GARBAGE) {
          const raw = { ...valid[m.entity], [f]: g };
          const o = m.map(rec(key, raw));
          expect(['loaded', 'quarantined']).toContain(o.kind);
          if (o.kind === 'quarantined') expect(o.problems[0]!.sourceKey).toBe(key);
          expect(m.map(rec(key, raw))).toEqual(o);
        }
      }
      for (const raw of [null, [], 'x', 5]) {
        expect(() => m.map(rec('#0', raw as never))).not.toThrow();
      }
    });
  }
});

describe('defineMapping', () => {
  it('turns an unexpected exception into the quarantine reason mapping_error', async () => {
    const { defineMapping } = await import('../../mappings/lib.ts');
    const m = defineMapping({
      system: 'CRIS', entity: 'X', schemas: {}, exclude: () => null,
      map() {
        throw new Error('boom');
      },
    });
    expect(m.map(rec('1', {}))).toEqual({
      kind: 'quarantined', problems: [{ code: 'mapping_error', field: null, sourceKey: '1', message: 'CRIS X mapping failed: boom' }],
    });
  });

  it('quarantines a JSON value that is not an object (the source wraps it as {$value}) as malformed_record', () => {
    const o = mappingFor('CRIMINT', 'nominals.json').map(rec('#4', { $value: 5 }));
    expect(o).toMatchObject({ kind: 'quarantined', problems: [{ code: 'malformed_record', field: 'ref', sourceKey: '#4' }] });
  });
});
