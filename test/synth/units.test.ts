import { describe, expect, it } from 'vitest';
import { copyValue as copyField } from '../../src/load/copy.ts';
import { gappedId, indexOfGapped, CrisNumbers } from '../../src/synth/keys.ts';
import { Rng, seedBase, streamSeed } from '../../src/synth/random.ts';
import { soundexVariant } from '../../src/synth/searches.ts';
import { ambiguousTime, civilFromDays, daysFromCivil, fmtSql, fmtUk, nonexistentTime, ts } from '../../src/synth/time.ts';
import { mojibake } from '../../src/synth/values.ts';
import { soundex } from '../../src/transform/names.ts';
import { hasMojibake } from '../../src/transform/text.ts';

describe('random', () => {
  it('is a pure function of (seed, stream, row)', () => {
    const s = streamSeed(seedBase(42), 'NOMINAL');
    const a = Rng.row(s, 7);
    const b = Rng.row(s, 7);
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(Rng.row(s, 8).u32()).not.toBe(xs[0]);
    expect(seedBase(42)).toBe(seedBase('42'));
    expect(seedBase(42)).not.toBe(seedBase(43));
  });
  it('draws in range', () => {
    const r = Rng.row(1, 1);
    for (let k = 0; k < 1000; k++) {
      const v = r.range(3, 5);
      expect(v >= 3 && v <= 5).toBe(true);
      expect(r.float()).toBeLessThan(1);
    }
  });
});

describe('time', () => {
  it('converts civil dates like Date.UTC', () => {
    for (const [y, m, d] of [[1970, 1, 1], [2000, 2, 29], [2019, 10, 27], [1935, 12, 31], [2024, 3, 31]] as const) {
      const days = daysFromCivil(y, m, d);
      expect(days).toBe(Date.UTC(y, m - 1, d) / 86_400_000);
      expect(civilFromDays(days)).toEqual([y, m, d]);
    }
    expect(fmtSql(ts(2019, 3, 4, 10, 22, 0))).toBe('2019-03-04 10:22:00');
    expect(fmtUk(ts(2019, 3, 4, 10, 22, 0))).toBe('04/03/2019 10:22:00');
  });
  it('puts DST quirks in the right hour (2019: 27 October, 31 March)', () => {
    const r = Rng.row(3, 3);
    expect(fmtSql(ambiguousTime(2019, r))).toMatch(/^2019-10-27 01:/);
    expect(fmtSql(nonexistentTime(2019, r))).toMatch(/^2019-03-31 01:/);
    expect(fmtSql(ambiguousTime(2020, r))).toMatch(/^2020-10-25 01:/);
  });
});

describe('keys', () => {
  it('gapped ids skip every multiple of 51 and invert', () => {
    const ids = Array.from({ length: 500 }, (_, i) => gappedId(i));
    expect(ids.some((id) => id % 51 === 0)).toBe(false);
    ids.forEach((id, i) => expect(indexOfGapped(id)).toBe(i));
    expect(indexOfGapped(51)).toBe(-1);
    for (let k = 1; k < ids.length; k++) expect(ids[k]!).toBeGreaterThan(ids[k - 1]!);
  });
  it('CRIS numbers are strictly increasing 7-digit serials', () => {
    const n = new CrisNumbers(1_000_000, 99);
    let last = -1;
    for (let i = 0; i < 5000; i++) {
      expect(n.serial(i)).toBeGreaterThan(last);
      last = n.serial(i);
    }
    expect(n.crisNo(999_999, 2019)).toMatch(/^\d{7}\/19$/);
  });
});

describe('text', () => {
  it('COPY text escaping', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(12)).toBe('12');
    expect(copyField('a\tb\r\nc\\d')).toBe('a\\tb\\r\\nc\\\\d');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(() => copyField('a\u0000b')).toThrow();
  });
  it('mojibake is UTF-8 read as Windows-1252, and detected as such', () => {
    expect(mojibake('café')).toBe('cafÃ©');
    expect(mojibake('JOSÉ')).toBe('JOSÃ‰');
    expect(mojibake('£5')).toBe('Â£5');
    expect(hasMojibake(mojibake('Zoë'))).toBe(true);
    expect(hasMojibake('Zoë')).toBe(false);
  });
  it('soundex variants keep the key and change the spelling', () => {
    const r = Rng.row(5, 5);
    for (const name of ['Taylor', 'JONES', "O'Brien", 'De La Cruz', 'Thompson']) {
      const v = soundexVariant(name, r);
      expect(soundex(v)).toBe(soundex(name));
      expect(v).not.toBe(name);
    }
  });
});
