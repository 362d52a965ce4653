import { describe, it, expect } from 'vitest';
import { targetId } from '../../src/core/ids.ts';
import { mapping } from '../../mappings/cris-nominal.ts';
import { load, quarantine, rec, warnings } from './helpers.ts';

const base = {
  nominal_id: 12345, surname: "  O'BRIEN ", forenames: 'SEAN   PATRICK', dob: '1985-03-12 00:00:00', sex: 'M ',
  ethnic_code: 'IC1', pnc_id: '85/12345L', cro_no: '123456/85V', address_id: 501, deleted: 'N',
};
const id = targetId('CRIS', 'NOMINAL', '12345');

describe('CRIS NOMINAL → record.person (+ person_location resides_at)', () => {
  it('maps a representative nominal exactly, with its home address link', () => {
    const m = load(mapping, rec('12345', base));
    expect(m).toEqual({
      rows: [{
        table: 'record.person', key: '12345',
        row: {
          id, surname: "O'BRIEN", forenames: 'SEAN PATRICK', date_of_birth: '1985-03-12', dob_precision: 'day',
          sex: 'male', ethnicity: 'IC1', pnc_id: '1985/0012345L', cro_no: '123456/85V', restricted: false,
          source_system: 'CRIS', created_at: null, created_by: null, updated_at: null, updated_by: null,
        },
      }],
      links: [{
        table: 'record.person_location', key: '12345',
        row: { person_id: id, location_id: targetId('CRIS', 'ADDRESS', '501'), role: 'resides_at' },
        refs: [{ column: 'location_id', entity: 'ADDRESS', key: '501' }],
      }],
      audit: [], warnings: [],
    });
  });

  it('no address_id → no link; a non-integer address_id → no link + invalid_type', () => {
    expect(load(mapping, rec('12345', { ...base, address_id: null })).links).toEqual([]);
    const m = load(mapping, rec('12345', { ...base, address_id: 'abc' }));
    expect(m.links).toEqual([]);
    expect(warnings(m)).toEqual(['invalid_type@address_id']);
  });

  it('quarantines a blank or missing surname (missing_required) and a non-text one (invalid_type)', () => {
    for (const surname of ['   ', '', null, undefined, '\u0000']) {
      expect(quarantine(mapping, rec('9', { ...base, surname }))).toEqual({
        code: 'missing_required', field: 'surname', sourceKey: '9', message: 'surname is blank or missing',
      });
    }
    expect(quarantine(mapping, rec('9', { ...base, surname: 42 }))).toMatchObject({ code: 'invalid_type', field: 'surname' });
  });

  it('DOB 1900-01-01 and NULL → unknown without warning; an impossible DOB → unknown + invalid_dob', () => {
    for (const dob of ['1900-01-01 00:00:00', null]) {
      const m = load(mapping, rec('1', { ...base, dob }));
      expect(m.rows[0]!.row).toMatchObject({ date_of_birth: null, dob_precision: 'unknown' });
      expect(m.warnings).toEqual([]);
    }
    const bad = load(mapping, rec('1', { ...base, dob: '1985-02-30 00:00:00' }));
    expect(bad.rows[0]!.row).toMatchObject({ date_of_birth: null, dob_precision: 'unknown' });
    expect(warnings(bad)).toEqual(['invalid_dob@dob']);
  });

  it('sex M/F/U, blank → unknown; anything else → unknown + invalid_sex', () => {
    const sexOf = (sex: unknown) => load(mapping, rec('1', { ...base, sex })).rows[0]!.row.sex;
    expect([sexOf('M'), sexOf('f'), sexOf('U'), sexOf(null), sexOf(' ')]).toEqual(['male', 'female', 'unknown', 'unknown', 'unknown']);
    const m = load(mapping, rec('1', { ...base, sex: 'X' }));
    expect(m.rows[0]!.row.sex).toBe('unknown');
    expect(warnings(m)).toEqual(['invalid_sex@sex']);
  });

  it('ethnicity outside IC1–IC6, IC9 → NULL + invalid_ethnicity; blank → NULL', () => {
    const m = load(mapping, rec('1', { ...base, ethnic_code: 'IC7' }));
    expect(m.rows[0]!.row.ethnicity).toBeNull();
    expect(warnings(m)).toEqual(['invalid_ethnicity@ethnic_code']);
    expect(load(mapping, rec('1', { ...base, ethnic_code: 'IC9' })).rows[0]!.row.ethnicity).toBe('IC9');
    expect(load(mapping, rec('1', { ...base, ethnic_code: '   ' })).warnings).toEqual([]);
  });

  it('PNC ID / CRO number with a wrong check letter → NULL + invalid_pnc / invalid_cro', () => {
    const m = load(mapping, rec('1', { ...base, pnc_id: '85/0012345K', cro_no: '123456/85A' }));
    expect(m.rows[0]!.row).toMatchObject({ pnc_id: null, cro_no: null });
    expect(warnings(m)).toEqual(['invalid_pnc@pnc_id', 'invalid_cro@cro_no']);
    expect(load(mapping, rec('1', { ...base, pnc_id: '', cro_no: null })).warnings).toEqual([]);
  });

  it('NUL removed (nul_removed), mojibake kept (mojibake)', () => {
    const m = load(mapping, rec('1', { ...base, surname: 'SMI\u0000TH', forenames: 'JOSÃ©' }));
    expect(m.rows[0]!.row).toMatchObject({ surname: 'SMITH', forenames: 'JOSÃ©' });
    expect(warnings(m)).toEqual(['nul_removed@surname', 'mojibake@forenames']);
  });

  it('excludes DELETED = Y (trimmed, any case) as legacy_deleted', () => {
    expect(mapping.exclude({ ...base, deleted: 'Y' })).toBe('legacy_deleted');
    expect(mapping.exclude({ ...base, deleted: 'y ' })).toBe('legacy_deleted');
    expect(mapping.exclude({ ...base, deleted: 'N' })).toBeNull();
    expect(mapping.exclude({ ...base, deleted: null })).toBeNull();
  });
});
