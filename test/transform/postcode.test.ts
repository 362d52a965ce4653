import { describe, it, expect } from 'vitest';
import { normalisePostcode, normalisePostcodeQuery, postcodeMatchesQuery } from '../../src/transform/postcode.ts';

describe('normalisePostcode', () => {
  it('upper-cases, removes spaces and puts one space before the inward code', () => {
    expect(normalisePostcode('se19gf')).toBe('SE1 9GF');
    expect(normalisePostcode('SE1 9GF')).toBe('SE1 9GF');
    expect(normalisePostcode('  se1   9gf ')).toBe('SE1 9GF');
    expect(normalisePostcode('S E 1 9 G F')).toBe('SE1 9GF');
    expect(normalisePostcode('e17\t4pp')).toBe('E17 4PP');
    // spaces carry no meaning: a misplaced one is re-placed before the last 3 characters
    expect(normalisePostcode('SE1 99GF')).toBe('SE19 9GF');
  });
  it('accepts all six outward shapes and GIR 0AA', () => {
    expect(normalisePostcode('M11AE')).toBe('M1 1AE'); // A9
    expect(normalisePostcode('B338TH')).toBe('B33 8TH'); // A99
    expect(normalisePostcode('W1A0AX')).toBe('W1A 0AX'); // A9A
    expect(normalisePostcode('CR26XH')).toBe('CR2 6XH'); // AA9
    expect(normalisePostcode('DN551PT')).toBe('DN55 1PT'); // AA99
    expect(normalisePostcode('EC1A1BB')).toBe('EC1A 1BB'); // AA9A
    expect(normalisePostcode('gir0aa')).toBe('GIR 0AA');
  });
  it('rejects invalid postcodes', () => {
    expect(normalisePostcode('SE1 9CF')).toBeNull(); // C not allowed in the inward code
    expect(normalisePostcode('SE1 9GI')).toBeNull(); // I
    expect(normalisePostcode('SE1 9KA')).toBeNull(); // K
    expect(normalisePostcode('SE1 9MA')).toBeNull(); // M
    expect(normalisePostcode('SE1 9OA')).toBeNull(); // O
    expect(normalisePostcode('SE1 9AV')).toBeNull(); // V
    expect(normalisePostcode('SE1')).toBeNull();
    expect(normalisePostcode('SE1 9G')).toBeNull();
    expect(normalisePostcode('SE1 9GFF')).toBeNull();
    expect(normalisePostcode('SE1 9G1')).toBeNull();
    expect(normalisePostcode('1SE 9GF')).toBeNull();
    expect(normalisePostcode('SEE1 9GF')).toBeNull();
    expect(normalisePostcode('SE1A1 9GF')).toBeNull();
    expect(normalisePostcode('GIR 1AA')).toBeNull();
    expect(normalisePostcode('SE1-9GF')).toBeNull();
    expect(normalisePostcode('UNKNOWN')).toBeNull();
  });
  it('maps blank, NULL and non-strings to null', () => {
    expect(normalisePostcode('')).toBeNull();
    expect(normalisePostcode('   ')).toBeNull();
    expect(normalisePostcode(null)).toBeNull();
    expect(normalisePostcode(undefined)).toBeNull();
    expect(normalisePostcode(12345)).toBeNull();
  });
});

describe('normalisePostcodeQuery', () => {
  it('classifies full, sector and district inputs', () => {
    expect(normalisePostcodeQuery('SE1 9GF')).toEqual({ kind: 'full', value: 'SE1 9GF' });
    expect(normalisePostcodeQuery('se19gf')).toEqual({ kind: 'full', value: 'SE1 9GF' });
    expect(normalisePostcodeQuery('SE1 9')).toEqual({ kind: 'sector', value: 'SE1 9' });
    expect(normalisePostcodeQuery(' se1   9 ')).toEqual({ kind: 'sector', value: 'SE1 9' });
    expect(normalisePostcodeQuery('SE1')).toEqual({ kind: 'district', value: 'SE1' });
    expect(normalisePostcodeQuery('se19')).toEqual({ kind: 'district', value: 'SE19' });
    expect(normalisePostcodeQuery('EC1A')).toEqual({ kind: 'district', value: 'EC1A' });
    expect(normalisePostcodeQuery('EC1A 1')).toEqual({ kind: 'sector', value: 'EC1A 1' });
  });
  it('rejects anything else', () => {
    expect(normalisePostcodeQuery('SE1 9G')).toBeNull();
    expect(normalisePostcodeQuery('SE1 99')).toBeNull();
    expect(normalisePostcodeQuery('SE')).toBeNull();
    expect(normalisePostcodeQuery('SE1 9CF')).toBeNull();
    expect(normalisePostcodeQuery('')).toBeNull();
    expect(normalisePostcodeQuery(null)).toBeNull();
  });
});

describe('postcodeMatchesQuery', () => {
  const q = (s: string) => normalisePostcodeQuery(s)!;
  it('matches full postcodes by equality', () => {
    expect(postcodeMatchesQuery('SE1 9GF', q('se19gf'))).toBe(true);
    expect(postcodeMatchesQuery('SE1 9GG', q('SE1 9GF'))).toBe(false);
  });
  it('matches sectors by prefix', () => {
    expect(postcodeMatchesQuery('SE1 9GF', q('SE1 9'))).toBe(true);
    expect(postcodeMatchesQuery('SE1 8GF', q('SE1 9'))).toBe(false);
    expect(postcodeMatchesQuery('SE19 9GF', q('SE1 9'))).toBe(false);
  });
  it('matches the whole district but not a longer one', () => {
    expect(postcodeMatchesQuery('SE1 9GF', q('SE1'))).toBe(true);
    expect(postcodeMatchesQuery('SE1 1AA', q('SE1'))).toBe(true);
    expect(postcodeMatchesQuery('SE10 9GF', q('SE1'))).toBe(false);
    expect(postcodeMatchesQuery(null, q('SE1'))).toBe(false);
  });
});
