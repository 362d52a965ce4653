import { describe, it, expect } from 'vitest';
import { targetId } from '../../src/core/ids.ts';
import { mapping } from '../../mappings/crimint-nominal.ts';
import { load, quarantine, rec, utc, warnings } from './helpers.ts';

const base = {
  ref: 'N0001234', surname: "O'Brien", forenames: 'Sean  Patrick', dob: '00/03/1985', sex: 'M', ethnicity: 'IC1',
  pnc: '85/0012345L',
  aliases: [{ surname: 'Bryan', forenames: 'Sean', dob: '12/03/1985' }],
  addresses: [{ premises: '12', street: 'High Street', town: 'London', postcode: 'se1 9gf' }],
  phones: ['07700 900123'],
  status: 'ACTIVE', created: '04/03/2019 10:22:00', createdBy: 'AB1234',
};
const C = 'CRIMINT';
const E = 'nominals.json';
const personId = targetId(C, E, 'N0001234');

describe('CRIMINT nominal → person, person_name, location, object (+ links)', () => {
  it('maps a representative nominal exactly, with inline keys and ids', () => {
    const m = load(mapping, rec('N0001234', base));
    const addrId = targetId(C, E, 'N0001234/addresses/0');
    const phoneId = targetId(C, E, 'N0001234/phones/0');
    expect(m).toEqual({
      rows: [
        {
          table: 'record.person', key: 'N0001234',
          row: {
            id: personId, surname: "O'Brien", forenames: 'Sean Patrick', date_of_birth: '1985-03-01', dob_precision: 'month',
            sex: 'male', ethnicity: 'IC1', pnc_id: '1985/0012345L', cro_no: null, restricted: false, source_system: 'CRIMINT',
            created_at: utc('2019-03-04T10:22:00Z'), created_by: 'AB1234', updated_at: null, updated_by: null,
          },
        },
        {
          table: 'record.person_name', key: 'N0001234/aliases/0',
          row: {
            id: targetId(C, E, 'N0001234/aliases/0'), person_id: personId, surname: 'Bryan', forenames: 'Sean',
            date_of_birth: '1985-03-12', dob_precision: 'day', kind: 'alias',
          },
        },
        {
          table: 'record.location', key: 'N0001234/addresses/0',
          row: {
            id: addrId, premises: '12', street: 'High Street', locality: null, town: 'London', postcode: 'SE1 9GF',
            easting: null, northing: null, source_system: 'CRIMINT',
          },
        },
        {
          table: 'record.object', key: 'N0001234/phones/0',
          row: {
            id: phoneId, kind: 'telephone', vrm: null, make: null, model: null, colour: null, telephone: '+447700900123', source_system: 'CRIMINT',
          },
        },
      ],
      links: [
        { table: 'record.person_location', key: 'N0001234/addresses/0', row: { person_id: personId, location_id: addrId, role: 'resides_at' }, refs: [] },
        { table: 'record.person_object', key: 'N0001234/phones/0', row: { person_id: personId, object_id: phoneId, role: 'uses' }, refs: [] },
      ],
      audit: [], warnings: [],
    });
  });

  it('absent or null aliases/addresses/phones → nothing inline', () => {
    const m = load(mapping, rec('N1', { ref: 'N1', surname: 'X', aliases: null }));
    expect(m.rows.map((r) => r.table)).toEqual(['record.person']);
    expect(m.links).toEqual([]);
    expect(m.rows[0]!.row).toMatchObject({ date_of_birth: null, dob_precision: 'unknown', sex: 'unknown', created_at: null });
  });

  it('DOB precisions: day, month, year, empty = unknown; 31/02/1985 → unknown + invalid_dob', () => {
    const dob = (d: unknown) => {
      const r = load(mapping, rec('N1', { ...base, dob: d })).rows[0]!.row;
      return [r.date_of_birth, r.dob_precision];
    };
    expect(dob('12/03/1985')).toEqual(['1985-03-12', 'day']);
    expect(dob('00/03/1985')).toEqual(['1985-03-01', 'month']);
    expect(dob('00/00/1985')).toEqual(['1985-01-01', 'year']);
    expect(dob('')).toEqual([null, 'unknown']);
    const m = load(mapping, rec('N1', { ...base, dob: '31/02/1985' }));
    expect(m.rows[0]!.row).toMatchObject({ date_of_birth: null, dob_precision: 'unknown' });
    expect(warnings(m)).toEqual(['invalid_dob@dob']);
  });

  it('ARCHIVED is migrated; DELETED is excluded (legacy_deleted)', () => {
    expect(mapping.exclude({ ...base, status: 'ARCHIVED' })).toBeNull();
    expect(mapping.exclude({ ...base, status: 'ACTIVE' })).toBeNull();
    expect(mapping.exclude({ ...base, status: 'DELETED' })).toBe('legacy_deleted');
    expect(load(mapping, rec('N0001234', { ...base, status: 'ARCHIVED' })).warnings).toEqual([]);
    expect(warnings(load(mapping, rec('N0001234', { ...base, status: 'GONE' })))).toEqual(['invalid_status@status']);
  });

  it('quarantines a missing or non-string ref (malformed_record)', () => {
    const { ref: _ref, ...noRef } = base;
    expect(quarantine(mapping, rec('#7', noRef))).toEqual({
      code: 'malformed_record', field: 'ref', sourceKey: '#7', message: 'ref must be a non-blank string, found undefined undefined',
    });
    expect(quarantine(mapping, rec('#8', { ...base, ref: 1234 }))).toMatchObject({ code: 'malformed_record', field: 'ref', sourceKey: '#8' });
  });

  it('quarantines a missing surname (missing_required) and a non-string one (invalid_type)', () => {
    expect(quarantine(mapping, rec('N0001234', { ...base, surname: '  ' }))).toMatchObject({ code: 'missing_required', field: 'surname' });
    expect(quarantine(mapping, rec('N0001234', { ...base, surname: undefined }))).toMatchObject({ code: 'missing_required', field: 'surname' });
    expect(quarantine(mapping, rec('N0001234', { ...base, surname: 42 }))).toMatchObject({ code: 'invalid_type', field: 'surname' });
  });

  it('quarantines aliases/addresses/phones that are present but not arrays (malformed_record, field = name)', () => {
    for (const f of ['aliases', 'addresses', 'phones']) {
      expect(quarantine(mapping, rec('N0001234', { ...base, [f]: { 0: 'x' } }))).toMatchObject({ code: 'malformed_record', field: f });
      expect(quarantine(mapping, rec('N0001234', { ...base, [f]: 'x' }))).toMatchObject({ code: 'malformed_record', field: f });
    }
  });

  it('an optional field of the wrong type → NULL + invalid_type', () => {
    const m = load(mapping, rec('N0001234', { ...base, forenames: 7, dob: 1985, sex: 1, ethnicity: true, pnc: 85, createdBy: {} }));
    expect(m.rows[0]!.row).toMatchObject({
      forenames: null, date_of_birth: null, dob_precision: 'unknown', sex: 'unknown', ethnicity: null, pnc_id: null, created_by: null,
    });
    expect(warnings(m)).toEqual([
      'invalid_type@dob', 'invalid_type@forenames', 'invalid_type@sex', 'invalid_type@ethnicity', 'invalid_type@pnc', 'invalid_type@createdBy',
    ]);
  });

  it('an alias without surname is skipped with alias_missing_surname; later aliases keep their index', () => {
    const m = load(mapping, rec('N0001234', { ...base, aliases: [{ forenames: 'Sean' }, { surname: 'Bryant', dob: '' }] }));
    const names = m.rows.filter((r) => r.table === 'record.person_name');
    expect(names.map((r) => r.key)).toEqual(['N0001234/aliases/1']);
    expect(names[0]!.row).toMatchObject({ id: targetId(C, E, 'N0001234/aliases/1'), surname: 'Bryant', date_of_birth: null, dob_precision: 'unknown' });
    expect(warnings(m)).toEqual(['alias_missing_surname@aliases/0/surname']);
  });

  it('an invalid alias DOB → unknown + invalid_dob on the alias path', () => {
    const m = load(mapping, rec('N0001234', { ...base, aliases: [{ surname: 'Bryan', dob: '12/13/1985' }] }));
    expect(m.rows[1]!.row).toMatchObject({ date_of_birth: null, dob_precision: 'unknown' });
    expect(warnings(m)).toEqual(['invalid_dob@aliases/0/dob']);
  });

  it('an invalid phone → object with NULL telephone + invalid_phone; still linked', () => {
    const m = load(mapping, rec('N0001234', { ...base, phones: ['+44 7700 900123', 'call me', '(020) 7946 0018'] }));
    const phones = m.rows.filter((r) => r.table === 'record.object').map((r) => [r.key, r.row.telephone]);
    expect(phones).toEqual([
      ['N0001234/phones/0', '+447700900123'], ['N0001234/phones/1', null], ['N0001234/phones/2', '+442079460018'],
    ]);
    expect(m.links.filter((l) => l.table === 'record.person_object')).toHaveLength(3);
    expect(warnings(m)).toEqual(['invalid_phone@phones/1']);
  });

  it('an invalid address postcode → NULL + invalid_postcode on the address path; a non-object address is skipped', () => {
    const m = load(mapping, rec('N0001234', { ...base, addresses: ['12 High St', { street: 'Station Road', postcode: 'XX' }] }));
    const locs = m.rows.filter((r) => r.table === 'record.location');
    expect(locs.map((r) => [r.key, r.row.street, r.row.postcode])).toEqual([['N0001234/addresses/1', 'Station Road', null]]);
    expect(warnings(m)).toEqual(['invalid_type@addresses/0', 'invalid_postcode@addresses/1/postcode']);
  });

  it('NUL removed and mojibake flagged on names', () => {
    const m = load(mapping, rec('N0001234', { ...base, surname: 'Mu\u0000ller', forenames: 'ZoÃ«' }));
    expect(m.rows[0]!.row).toMatchObject({ surname: 'Muller', forenames: 'ZoÃ«' });
    expect(warnings(m)).toEqual(['nul_removed@surname', 'mojibake@forenames']);
  });

  it('created: DST warnings; an impossible date → NULL + invalid_datetime', () => {
    const amb = load(mapping, rec('N0001234', { ...base, created: '27/10/2019 01:30:00' }));
    expect(amb.rows[0]!.row.created_at).toEqual(utc('2019-10-27T00:30:00Z'));
    expect(warnings(amb)).toEqual(['ambiguous_local_time@created']);
    const bad = load(mapping, rec('N0001234', { ...base, created: '30/02/2019 10:00:00' }));
    expect(bad.rows[0]!.row.created_at).toBeNull();
    expect(warnings(bad)).toEqual(['invalid_datetime@created']);
  });
});
