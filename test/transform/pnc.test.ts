import { describe, it, expect } from 'vitest';
import { CHECK_LETTERS, pncCheckLetter, croCheckLetter, canonicalPnc, canonicalCro } from '../../src/transform/pnc.ts';

// Worked by hand (PNC): 85/0012345?
//   85·10⁷ + 12345 = 850 012 345; 850 012 345 = 23 × 36 957 058 + 11; CHECK_LETTERS[11] = 'L'
//   (Z0 A1 B2 C3 D4 E5 F6 G7 H8 J9 K10 L11). So 85/0012345L is valid, 85/0012345K
//   (the example in legacy-data.md) is NOT.
// Worked by hand (CRO): 012345/85?
//   85·10⁶ + 12345 = 85 012 345 = 23 × 3 696 188 + 21; CHECK_LETTERS[21] = 'X'.

describe('CHECK_LETTERS', () => {
  it('is the 23-letter table without I, O, S', () => {
    expect(CHECK_LETTERS).toBe('ZABCDEFGHJKLMNPQRTUVWXY');
    expect(CHECK_LETTERS.length).toBe(23);
  });
});

describe('pncCheckLetter', () => {
  it('computes (yy·10⁷ + serial) mod 23', () => {
    expect(pncCheckLetter(85, 12345)).toBe('L');
    expect(pncCheckLetter(19, 412345)).toBe('P'); // 190412345 mod 23 = 14
    expect(pncCheckLetter(0, 1)).toBe('A');
    expect(pncCheckLetter(0, 0)).toBe('Z');
    expect(pncCheckLetter(99, 9999999)).toBe('V'); // 999999999 mod 23 = 19
    expect(pncCheckLetter(70, 1)).toBe('Q'); // 700000001 mod 23 = 15
    expect(pncCheckLetter(69, 1)).toBe('A'); // 690000001 mod 23 = 1
  });
});

describe('croCheckLetter', () => {
  it('computes (yy·10⁶ + serial) mod 23', () => {
    expect(croCheckLetter(85, 12345)).toBe('X');
    expect(croCheckLetter(19, 123456)).toBe('P'); // 19123456 mod 23 = 14
    expect(croCheckLetter(0, 0)).toBe('Z');
  });
});

describe('canonicalPnc', () => {
  it('expands a 2-digit year 70–99 to 19YY and 00–69 to 20YY', () => {
    expect(canonicalPnc('85/0012345L')).toBe('1985/0012345L');
    expect(canonicalPnc('19/0412345P')).toBe('2019/0412345P');
    expect(canonicalPnc('70/0000001Q')).toBe('1970/0000001Q');
    expect(canonicalPnc('69/0000001A')).toBe('2069/0000001A');
    expect(canonicalPnc('00/0000001A')).toBe('2000/0000001A');
  });
  it('accepts a 4-digit year, lower case, surrounding whitespace and a short serial', () => {
    expect(canonicalPnc('1985/0012345L')).toBe('1985/0012345L');
    expect(canonicalPnc('  85/0012345l ')).toBe('1985/0012345L');
    expect(canonicalPnc('85/12345L')).toBe('1985/0012345L');
    expect(canonicalPnc('2000/1A')).toBe('2000/0000001A');
    expect(canonicalPnc('2019/412345p')).toBe('2019/0412345P');
  });
  it('rejects a wrong check letter', () => {
    expect(canonicalPnc('85/0012345K')).toBeNull();
    expect(canonicalPnc('1985/0012345K')).toBeNull();
    expect(canonicalPnc('19/0412345Q')).toBeNull();
  });
  it('rejects malformed input', () => {
    expect(canonicalPnc('')).toBeNull();
    expect(canonicalPnc('   ')).toBeNull();
    expect(canonicalPnc(null)).toBeNull();
    expect(canonicalPnc(undefined)).toBeNull();
    expect(canonicalPnc(850012345)).toBeNull();
    expect(canonicalPnc('85/00123456L')).toBeNull(); // 8-digit serial
    expect(canonicalPnc('985/0012345L')).toBeNull(); // 3-digit year
    expect(canonicalPnc('85/L')).toBeNull();
    expect(canonicalPnc('85-0012345L')).toBeNull();
    expect(canonicalPnc('85/0012345')).toBeNull();
    expect(canonicalPnc('85/0012345LL')).toBeNull();
    expect(canonicalPnc('85 /0012345L')).toBeNull();
    expect(canonicalPnc('1885/0012345L')).toBeNull(); // 4-digit year outside 1900–2099
  });
});

describe('canonicalCro', () => {
  it('zero-pads the serial to 6 digits and upper-cases the letter', () => {
    expect(canonicalCro('012345/85X')).toBe('012345/85X');
    expect(canonicalCro('12345/85x')).toBe('012345/85X');
    expect(canonicalCro(' 123456/19P ')).toBe('123456/19P');
    expect(canonicalCro('0/00Z')).toBe('000000/00Z');
  });
  it('rejects a wrong check letter', () => {
    expect(canonicalCro('012345/85W')).toBeNull();
    expect(canonicalCro('123456/19Q')).toBeNull();
  });
  it('rejects malformed input', () => {
    expect(canonicalCro('')).toBeNull();
    expect(canonicalCro(null)).toBeNull();
    expect(canonicalCro('1234567/19P')).toBeNull(); // 7-digit serial
    expect(canonicalCro('123456/2019P')).toBeNull(); // 4-digit year
    expect(canonicalCro('123456/19')).toBeNull();
    expect(canonicalCro('123456-19P')).toBeNull();
  });
});
