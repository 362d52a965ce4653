import { describe, it, expect } from 'vitest';
import { targetId } from '../../src/core/ids.ts';
import { mapping } from '../../mappings/cris-vehicle.ts';
import { load, rec, warnings } from './helpers.ts';

describe('CRIS VEHICLE → record.object (vehicle)', () => {
  it('maps a representative vehicle exactly', () => {
    const m = load(mapping, rec('77', { vehicle_id: 77, vrm: 'ab12 cde', make: 'FORD ', model: 'Focus', colour: '' }));
    expect(m).toEqual({
      rows: [{
        table: 'record.object', key: '77',
        row: {
          id: targetId('CRIS', 'VEHICLE', '77'), kind: 'vehicle', vrm: 'AB12CDE', make: 'FORD', model: 'Focus',
          colour: null, telephone: null, source_system: 'CRIS',
        },
      }],
      links: [], audit: [], warnings: [],
    });
  });

  it('keeps any VRM format, upper case without spaces; NUL removed with a warning', () => {
    expect(load(mapping, rec('1', { vehicle_id: 1, vrm: ' a 123  bcd ' })).rows[0]!.row.vrm).toBe('A123BCD');
    const m = load(mapping, rec('2', { vehicle_id: 2, vrm: 'ABC\u0000 123A', make: null, model: null, colour: null }));
    expect(m.rows[0]!.row.vrm).toBe('ABC123A');
    expect(warnings(m)).toEqual(['nul_removed@vrm']);
    expect(load(mapping, rec('3', { vehicle_id: 3, vrm: '  ' })).rows[0]!.row.vrm).toBeNull();
  });
});
