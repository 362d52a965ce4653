import { describe, it, expect } from 'vitest';
import { targetId } from '../../src/core/ids.ts';
import { mapping } from '../../mappings/crimint-intel-report.ts';
import { load, quarantine, rec, utc, warnings } from './helpers.ts';

const URN = 'IR/2019/0001234';
const base = {
  urn: URN, created: '04/03/2019 10:22:00', createdBy: 'AB1234',
  gradingScheme: '5x5x5', grading: { source: 'B', intel: '2', handling: '1' },
  text: 'Subject seen driving\r\nnear the station.', reviewDate: '04/03/2025', mopiGroup: 3,
  subjects: [{ ref: 'N0001234', role: 'SUBJECT' }],
  vehicles: [{ vrm: 'ab12cde', make: 'Ford', model: 'Focus', colour: 'Blue' }],
  locations: [{ premises: '', street: 'Station Road', town: 'London', postcode: 'E17 4PP' }],
  phones: ['07700900456'],
  status: 'ACTIVE',
};
const C = 'CRIMINT';
const E = 'intel_reports.json';
const eventId = targetId(C, E, URN);

describe('CRIMINT intelligence report → event (+ subjects, vehicles, locations, phones)', () => {
  it('maps a representative report exactly, with inline keys, ids and link refs', () => {
    const m = load(mapping, rec(URN, base));
    const vehId = targetId(C, E, `${URN}/vehicles/0`);
    const locId = targetId(C, E, `${URN}/locations/0`);
    const telId = targetId(C, E, `${URN}/phones/0`);
    expect(m).toEqual({
      rows: [
        {
          table: 'record.event', key: URN,
          row: {
            id: eventId, kind: 'intelligence', reference: URN, occurred_from: null, occurred_to: null,
            reported_at: utc('2019-03-04T10:22:00Z'), classification_code: null, classification_label: null, borough: null,
            status: 'active', narrative: 'Subject seen driving\r\nnear the station.', officer: null,
            grading_source: '1', grading_intel: 'A', grading_handling: 'P', legacy_grading: '5x5x5:B21',
            mopi_group: 3, review_due: '2025-03-04', restricted: false, source_system: 'CRIMINT',
            created_at: utc('2019-03-04T10:22:00Z'), created_by: 'AB1234', updated_at: null, updated_by: null,
          },
        },
        {
          table: 'record.object', key: `${URN}/vehicles/0`,
          row: { id: vehId, kind: 'vehicle', vrm: 'AB12CDE', make: 'Ford', model: 'Focus', colour: 'Blue', telephone: null, source_system: 'CRIMINT' },
        },
        {
          table: 'record.location', key: `${URN}/locations/0`,
          row: {
            id: locId, premises: null, street: 'Station Road', locality: null, town: 'London', postcode: 'E17 4PP',
            easting: null, northing: null, source_system: 'CRIMINT',
          },
        },
        {
          table: 'record.object', key: `${URN}/phones/0`,
          row: { id: telId, kind: 'telephone', vrm: null, make: null, model: null, colour: null, telephone: '+447700900456', source_system: 'CRIMINT' },
        },
      ],
      links: [
        {
          table: 'record.event_person', key: `${URN}/subjects/0`,
          row: { event_id: eventId, person_id: targetId(C, 'nominals.json', 'N0001234'), role: 'subject' },
          refs: [{ column: 'person_id', entity: 'nominals.json', key: 'N0001234' }],
        },
        { table: 'record.event_object', key: `${URN}/vehicles/0`, row: { event_id: eventId, object_id: vehId, role: 'mentioned' }, refs: [] },
        { table: 'record.event_location', key: `${URN}/locations/0`, row: { event_id: eventId, location_id: locId, role: 'mentioned' }, refs: [] },
        { table: 'record.event_object', key: `${URN}/phones/0`, row: { event_id: eventId, object_id: telId, role: 'mentioned' }, refs: [] },
      ],
      audit: [], warnings: [],
    });
  });

  it('maps every subject role', () => {
    const m = load(mapping, rec(URN, {
      ...base, subjects: ['SUBJECT', 'ASSOCIATE', 'VICTIM', 'MENTIONED'].map((role, i) => ({ ref: `N${i}`, role })),
    }));
    expect(m.links.filter((l) => l.table === 'record.event_person').map((l) => l.row.role)).toEqual(['subject', 'associate', 'victim', 'mentioned']);
  });

  it('grading: 3x5x2 stored as recorded; 5x5x5 source C → grading_ambiguous; invalid → NULLs + invalid_grading', () => {
    const g = (o: object) => load(mapping, rec(URN, { ...base, ...o }));
    const three = g({ gradingScheme: '3x5x2', grading: { source: '1', intel: 'A', handling: 'P' } });
    expect(three.rows[0]!.row).toMatchObject({ grading_source: '1', grading_intel: 'A', grading_handling: 'P', legacy_grading: '3x5x2:1AP' });
    const c = g({ grading: { source: 'C', intel: '4', handling: '3' } });
    expect(c.rows[0]!.row).toMatchObject({ grading_source: '2', grading_intel: 'D', grading_handling: 'C', legacy_grading: '5x5x5:C43' });
    expect(warnings(c)).toEqual(['grading_ambiguous@grading']);
    const bad = g({ grading: { source: 'F', intel: '2', handling: '1' } });
    expect(bad.rows[0]!.row).toMatchObject({ grading_source: null, grading_intel: null, grading_handling: null, legacy_grading: null });
    expect(warnings(bad)).toEqual(['invalid_grading@grading']);
    expect(warnings(g({ gradingScheme: '4x4' }))).toEqual(['invalid_grading@grading']);
    expect(warnings(g({ gradingScheme: 5 }))).toEqual(['invalid_grading@gradingScheme']);
    expect(warnings(g({ grading: 'B21' }))).toEqual(['invalid_grading@grading']);
    const none = g({ gradingScheme: undefined, grading: undefined });
    expect(none.rows[0]!.row.legacy_grading).toBeNull();
    expect(none.warnings).toEqual([]);
  });

  it('quarantines a URN that is not IR/YYYY/NNNNNNN (invalid_key) and a missing one (malformed_record)', () => {
    expect(quarantine(mapping, rec('IR/19/1234', { ...base, urn: 'IR/19/1234' }))).toEqual({
      code: 'invalid_key', field: 'urn', sourceKey: 'IR/19/1234', message: 'urn "IR/19/1234" is not IR/YYYY/NNNNNNN',
    });
    expect(quarantine(mapping, rec('#3', { ...base, urn: undefined }))).toMatchObject({ code: 'malformed_record', field: 'urn', sourceKey: '#3' });
  });

  it('created: impossible → invalid_required; missing → missing_required; not a string → invalid_type', () => {
    expect(quarantine(mapping, rec(URN, { ...base, created: '31/02/2019 10:22:00' }))).toMatchObject({ code: 'invalid_required', field: 'created' });
    expect(quarantine(mapping, rec(URN, { ...base, created: '' }))).toMatchObject({ code: 'missing_required', field: 'created' });
    expect(quarantine(mapping, rec(URN, { ...base, created: 20190304 }))).toMatchObject({ code: 'invalid_type', field: 'created' });
  });

  it('created in the skipped hour → moved forward + nonexistent_local_time', () => {
    const m = load(mapping, rec(URN, { ...base, created: '31/03/2019 01:30:00' }));
    expect(m.rows[0]!.row).toMatchObject({ reported_at: utc('2019-03-31T01:30:00Z'), created_at: utc('2019-03-31T01:30:00Z') });
    expect(warnings(m)).toEqual(['nonexistent_local_time@created']);
  });

  it('quarantines subjects/vehicles/locations/phones that are present but not arrays', () => {
    for (const f of ['subjects', 'vehicles', 'locations', 'phones']) {
      expect(quarantine(mapping, rec(URN, { ...base, [f]: {} }))).toMatchObject({ code: 'malformed_record', field: f });
    }
  });

  it('mopiGroup 1–3 kept; other values or types → NULL + invalid_mopi_group; missing → NULL', () => {
    const mopi = (v: unknown) => load(mapping, rec(URN, { ...base, mopiGroup: v }));
    expect(mopi(1).rows[0]!.row.mopi_group).toBe(1);
    expect(mopi(undefined).rows[0]!.row.mopi_group).toBeNull();
    expect(mopi(undefined).warnings).toEqual([]);
    for (const v of [4, 0, '3', 2.5]) {
      const m = mopi(v);
      expect(m.rows[0]!.row.mopi_group).toBeNull();
      expect(warnings(m)).toEqual(['invalid_mopi_group@mopiGroup']);
    }
  });

  it('reviewDate invalid → NULL + invalid_date; status ARCHIVED → archived; DELETED excluded', () => {
    const m = load(mapping, rec(URN, { ...base, reviewDate: '31/06/2025', status: 'ARCHIVED' }));
    expect(m.rows[0]!.row).toMatchObject({ review_due: null, status: 'archived' });
    expect(warnings(m)).toEqual(['invalid_date@reviewDate']);
    expect(mapping.exclude({ ...base, status: 'DELETED' })).toBe('legacy_deleted');
    expect(mapping.exclude(base)).toBeNull();
  });

  it('narrative: NUL removed with nul_removed, mojibake flagged', () => {
    const m = load(mapping, rec(URN, { ...base, text: 'Seen at the cafÃ©\u0000.' }));
    expect(m.rows[0]!.row.narrative).toBe('Seen at the cafÃ©.');
    expect(warnings(m)).toEqual(['nul_removed@text', 'mojibake@text']);
  });

  it('subjects: bad role, missing ref and repeats are not linked, each with a warning', () => {
    const m = load(mapping, rec(URN, {
      ...base,
      subjects: [
        { ref: 'N1', role: 'SUSPECT' }, { role: 'SUBJECT' }, { ref: 'N2', role: 'victim' }, { ref: 'N2', role: 'VICTIM' }, 'N3',
      ],
    }));
    const people = m.links.filter((l) => l.table === 'record.event_person');
    expect(people.map((l) => [l.key, l.row.role, l.refs[0]!.key])).toEqual([[`${URN}/subjects/2`, 'victim', 'N2']]);
    expect(warnings(m)).toEqual([
      'invalid_role@subjects/0/role', 'subject_missing_ref@subjects/1/ref', 'duplicate_link@subjects/3', 'invalid_type@subjects/4',
    ]);
  });

  it('inline items: invalid phone → NULL + invalid_phone, invalid postcode → NULL + invalid_postcode, VRM normalised', () => {
    const m = load(mapping, rec(URN, {
      ...base, phones: ['999'], locations: [{ street: 'Mill Lane', postcode: 'E17 4P' }], vehicles: [{ vrm: ' a1 23 bcd ' }],
    }));
    const byKey = Object.fromEntries(m.rows.map((r) => [r.key, r.row]));
    expect(byKey[`${URN}/phones/0`]).toMatchObject({ kind: 'telephone', telephone: null });
    expect(byKey[`${URN}/locations/0`]).toMatchObject({ street: 'Mill Lane', postcode: null });
    expect(byKey[`${URN}/vehicles/0`]).toMatchObject({ vrm: 'A123BCD', make: null, model: null, colour: null });
    expect(warnings(m)).toEqual(['invalid_postcode@locations/0/postcode', 'invalid_phone@phones/0']);
  });
});
