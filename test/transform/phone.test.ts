import { describe, it, expect } from 'vitest';
import { toE164, phoneSearchKey } from '../../src/transform/phone.ts';

describe('toE164', () => {
  it('converts the usual UK forms', () => {
    expect(toE164('07700 900123')).toBe('+447700900123');
    expect(toE164('07700900123')).toBe('+447700900123');
    expect(toE164('+44 7700 900123')).toBe('+447700900123');
    expect(toE164('447700900123')).toBe('+447700900123');
    expect(toE164('0044 7700 900123')).toBe('+447700900123');
    expect(toE164('(020) 7946 0018')).toBe('+442079460018');
    expect(toE164('0044 20 7946 0018')).toBe('+442079460018');
    expect(toE164('+44 (0)20 7946 0018')).toBe('+442079460018');
    expect(toE164('020-7946-0018')).toBe('+442079460018');
    expect(toE164('0161.496.0000')).toBe('+441614960000');
    expect(toE164(' 07700 900 123 ')).toBe('+447700900123');
  });
  it('accepts the 9-digit national numbers (some 01 areas, 0800)', () => {
    expect(toE164('016977 2345')).toBe('+44169772345');
    expect(toE164('0800 123456')).toBe('+44800123456');
  });
  it('rejects wrong lengths, letters, other countries and blanks', () => {
    expect(toE164('07700 90012')).toBeNull(); // 10 digits
    expect(toE164('07700 9001234')).toBeNull(); // 12 digits
    expect(toE164('+44 7700 90012')).toBeNull();
    expect(toE164('44770090012')).toBeNull();
    expect(toE164('07700 9OO123')).toBeNull(); // letter O
    expect(toE164('07700 900123 ext 12')).toBeNull();
    expect(toE164('+33 1 23 45 67 89')).toBeNull();
    expect(toE164('7700900123')).toBeNull(); // no trunk prefix
    expect(toE164('00 7700 900123')).toBeNull();
    expect(toE164('0 0770 090 012')).toBeNull(); // national number starting with 0
    expect(toE164('07700+900123')).toBeNull();
    expect(toE164('')).toBeNull();
    expect(toE164('   ')).toBeNull();
    expect(toE164(null)).toBeNull();
  });
});

describe('phoneSearchKey', () => {
  it('keeps digits and reads 0044/44 as 0', () => {
    expect(phoneSearchKey('+44 7700 900123')).toBe('07700900123');
    expect(phoneSearchKey('07700 900123')).toBe('07700900123');
    expect(phoneSearchKey('447700900123')).toBe('07700900123');
    expect(phoneSearchKey('0044 20 7946 0018')).toBe('02079460018');
    expect(phoneSearchKey('(020) 7946 0018')).toBe('02079460018');
    expect(phoneSearchKey('+447700900123')).toBe('07700900123');
  });
  it('is literal: no validation, no trunk handling', () => {
    expect(phoneSearchKey('+44 (0)20 7946 0018')).toBe('002079460018');
    expect(phoneSearchKey('12345')).toBe('12345');
    expect(phoneSearchKey('abc')).toBe('');
    expect(phoneSearchKey('')).toBe('');
  });
});
