import { describe, it, expect } from 'vitest';
import { targetId } from '../../src/core/ids.ts';
import { mapping } from '../../mappings/cris-address.ts';
import { load, rec, warnings } from './helpers.ts';

const base = {
  address_id: 501, premises: '12 ', street: 'High Street', locality: null, town: 'LONDON',
  postcode: 'se19gf', easting: 532100, northing: 180200,
};

describe('CRIS ADDRESS → record.location', () => {
  it('maps a representative address exactly', () => {
    const m = load(mapping, rec('501', base));
    expect(m).toEqual({
      rows: [{
        table: 'record.location', key: '501',
        row: {
          id: targetId('CRIS', 'ADDRESS', '501'), premises: '12', street: 'High Street', locality: null,
          town: 'LONDON', postcode: 'SE1 9GF', easting: 532100, northing: 180200, source_system: 'CRIS',
        },
      }],
      links: [], audit: [], warnings: [],
    });
    expect(m.rows[0]!.row.id).toBe(targetId('CRIS', 'ADDRESS', '501'));
  });

  it('invalid postcode → NULL + invalid_postcode; blank → NULL without warning', () => {
    const m = load(mapping, rec('502', { ...base, postcode: 'NOT A PC' }));
    expect(m.rows[0]!.row.postcode).toBeNull();
    expect(warnings(m)).toEqual(['invalid_postcode@postcode']);
    expect(m.warnings[0]).toMatchObject({ sourceKey: '502', code: 'invalid_postcode' });
    const blank = load(mapping, rec('503', { ...base, postcode: '   ' }));
    expect(blank.rows[0]!.row.postcode).toBeNull();
    expect(blank.warnings).toEqual([]);
  });

  it('blank text → NULL, NUL removed with nul_removed, mojibake kept with mojibake', () => {
    const m = load(mapping, rec('504', { ...base, premises: '  ', street: 'Hi\u0000gh  Street ', town: 'CafÃ© Town', locality: '' }));
    expect(m.rows[0]!.row).toMatchObject({ premises: null, street: 'High  Street', town: 'CafÃ© Town', locality: null });
    expect(warnings(m)).toEqual(['nul_removed@street', 'mojibake@town']);
  });

  it('non-integer easting → NULL + invalid_type; numeric text accepted', () => {
    const m = load(mapping, rec('505', { ...base, easting: 12.5, northing: '180200' }));
    expect(m.rows[0]!.row).toMatchObject({ easting: null, northing: 180200 });
    expect(warnings(m)).toEqual(['invalid_type@easting']);
  });

  it('has no exclusion rule of its own (ADDRESS has no DELETED column)', () => {
    expect(mapping.exclude(base)).toBeNull();
  });
});
