import { describe, it, expect } from 'vitest';
import { normaliseVrm, vrmFormat } from '../../src/transform/vrm.ts';

describe('normaliseVrm', () => {
  it('removes all whitespace and upper-cases every format', () => {
    expect(normaliseVrm('AB12 CDE')).toBe('AB12CDE'); // current
    expect(normaliseVrm('ab12cde')).toBe('AB12CDE');
    expect(normaliseVrm(' ab 12 c de ')).toBe('AB12CDE');
    expect(normaliseVrm('A123 BCD')).toBe('A123BCD'); // prefix
    expect(normaliseVrm('a1 bcd')).toBe('A1BCD');
    expect(normaliseVrm('ABC 123A')).toBe('ABC123A'); // suffix
    expect(normaliseVrm('abc\t1a')).toBe('ABC1A');
    expect(normaliseVrm('ABC 123')).toBe('ABC123'); // dateless
    expect(normaliseVrm('1 ABC')).toBe('1ABC');
    expect(normaliseVrm('AIZ 1234')).toBe('AIZ1234'); // Northern Ireland
  });
  it('keeps other characters as recorded', () => {
    expect(normaliseVrm('AB12-CDE')).toBe('AB12-CDE');
  });
  it('maps blank and NULL to null', () => {
    expect(normaliseVrm('')).toBeNull();
    expect(normaliseVrm('   ')).toBeNull();
    expect(normaliseVrm(null)).toBeNull();
    expect(normaliseVrm(undefined)).toBeNull();
  });
});

describe('vrmFormat', () => {
  it('recognises the GB formats', () => {
    expect(vrmFormat('AB12CDE')).toBe('current');
    expect(vrmFormat('A123BCD')).toBe('prefix');
    expect(vrmFormat('A1BCD')).toBe('prefix');
    expect(vrmFormat('ABC123A')).toBe('suffix');
    expect(vrmFormat('ABC1A')).toBe('suffix');
    expect(vrmFormat('ABC123')).toBe('dateless');
    expect(vrmFormat('1ABC')).toBe('dateless');
    expect(vrmFormat('AIZ1234')).toBe('dateless');
    expect(vrmFormat('AB12-CDE')).toBe('other');
    expect(vrmFormat('')).toBe('other');
  });
});
