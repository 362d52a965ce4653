import { describe, it, expect } from 'vitest';
import { targetId } from '../../src/core/ids.ts';
import { mapping as crimeNominal } from '../../mappings/cris-crime-nominal.ts';
import { mapping as crimeVehicle } from '../../mappings/cris-crime-vehicle.ts';
import { load, quarantine, rec } from './helpers.ts';

describe('CRIS CRIME_NOMINAL → record.event_person (link only)', () => {
  it('maps a link exactly: composite key, both ids, refs to CRIME_REPORT and NOMINAL', () => {
    const m = load(crimeNominal, rec('0412345/19|12345|SU', { cris_no: '0412345/19', nominal_id: 12345, role: 'SU' }));
    expect(m).toEqual({
      rows: [],
      links: [{
        table: 'record.event_person', key: '0412345/19|12345|SU',
        row: {
          event_id: targetId('CRIS', 'CRIME_REPORT', '0412345/19'), person_id: targetId('CRIS', 'NOMINAL', '12345'), role: 'suspect',
        },
        refs: [
          { column: 'event_id', entity: 'CRIME_REPORT', key: '0412345/19' },
          { column: 'person_id', entity: 'NOMINAL', key: '12345' },
        ],
      }],
      audit: [], warnings: [],
    });
    expect(crimeNominal.linkOnly).toBe(true);
    expect(crimeNominal.schemas).toEqual({});
  });

  it('maps every role', () => {
    const role = (r: string) => load(crimeNominal, rec(`1|1|${r}`, { cris_no: '0000001/19', nominal_id: 1, role: r })).links[0]!.row.role;
    expect(['VI', 'SU', 'WI', 'AC', 'RP'].map(role)).toEqual(['victim', 'suspect', 'witness', 'accused', 'reporting_person']);
  });

  it('quarantines an unknown role (invalid_value) and missing sides (missing_required)', () => {
    expect(quarantine(crimeNominal, rec('0412345/19|12345|XX', { cris_no: '0412345/19', nominal_id: 12345, role: 'XX' }))).toEqual({
      code: 'invalid_value', field: 'role', sourceKey: '0412345/19|12345|XX', message: 'role "XX" is not one of VI, SU, WI, AC, RP',
    });
    expect(quarantine(crimeNominal, rec('k', { cris_no: ' ', nominal_id: 1, role: 'VI' }))).toMatchObject({ code: 'missing_required', field: 'cris_no' });
    expect(quarantine(crimeNominal, rec('k', { cris_no: '0412345/19', nominal_id: null, role: 'VI' }))).toMatchObject({ code: 'missing_required', field: 'nominal_id' });
    expect(quarantine(crimeNominal, rec('k', { cris_no: '0412345/19', nominal_id: 1, role: '  ' }))).toMatchObject({ code: 'missing_required', field: 'role' });
  });
});

describe('CRIS CRIME_VEHICLE → record.event_object (link only)', () => {
  it('maps a link exactly and every role', () => {
    const m = load(crimeVehicle, rec('0412345/19|77|ST', { cris_no: '0412345/19', vehicle_id: 77, role: 'ST' }));
    expect(m.links).toEqual([{
      table: 'record.event_object', key: '0412345/19|77|ST',
      row: { event_id: targetId('CRIS', 'CRIME_REPORT', '0412345/19'), object_id: targetId('CRIS', 'VEHICLE', '77'), role: 'stolen' },
      refs: [
        { column: 'event_id', entity: 'CRIME_REPORT', key: '0412345/19' },
        { column: 'object_id', entity: 'VEHICLE', key: '77' },
      ],
    }]);
    const role = (r: string) => load(crimeVehicle, rec('k', { cris_no: '0412345/19', vehicle_id: 77, role: r })).links[0]!.row.role;
    expect(['ST', 'US', 'DA'].map(role)).toEqual(['stolen', 'used', 'damaged']);
  });

  it('quarantines an unknown role (invalid_value) and a non-integer vehicle id (invalid_type)', () => {
    expect(quarantine(crimeVehicle, rec('k', { cris_no: '0412345/19', vehicle_id: 77, role: 'VI' }))).toMatchObject({ code: 'invalid_value', field: 'role' });
    expect(quarantine(crimeVehicle, rec('k', { cris_no: '0412345/19', vehicle_id: 'x', role: 'ST' }))).toMatchObject({ code: 'invalid_type', field: 'vehicle_id' });
  });
});
