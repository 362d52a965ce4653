// The pure parts of the reconciliation: key order, value equality, HyperLogLog, profiles.
import { describe, expect, it } from 'vitest';
import { compareKeys, compareText, intPart, KeyScheme } from '../../src/reconcile/order.ts';
import { canonical, canonicalDecimal, display, parseTimestampMicros } from '../../src/reconcile/values.ts';
import { HyperLogLog } from '../../src/reconcile/hll.ts';
import { Profile, profileDifferences } from '../../src/reconcile/profile.ts';
import { FIELD_RULES, crisTime } from '../../src/reconcile/field-rules.ts';
import { londonToInstant } from '../../src/transform/index.ts';
import { TARGET_COLUMNS } from '../../src/load/tables.ts';

describe('key order', () => {
  it('compares text by code point (= UTF-8 bytes = COLLATE "C"), not by UTF-16 unit', () => {
    expect(compareText('a', 'b')).toBeLessThan(0);
    expect(compareText('B', 'a')).toBeLessThan(0); // upper case first, as in "C"
    expect(compareText('ab', 'a')).toBeGreaterThan(0);
    // U+FFFD (BMP, UTF-16 0xFFFD) sorts BEFORE U+1F600 (UTF-16 0xD83D…), as its UTF-8 bytes do
    expect(compareText('\uFFFD', '\u{1F600}')).toBeLessThan(0);
    expect(Buffer.compare(Buffer.from('\uFFFD'), Buffer.from('\u{1F600}'))).toBeLessThan(0);
    expect('\uFFFD' < '\u{1F600}').toBe(false); // what plain JS comparison would get wrong
  });

  it('orders int keys numerically, non-numbers first', () => {
    const s = new KeyScheme('int', ['int']);
    const keys = ['10', '9', '-1', 'x'].map((k) => s.groupKey([k]));
    keys.sort(compareKeys);
    expect(keys.map((k) => k[1])).toEqual(['x', '-1', '9', '10']);
    expect(intPart('0012')).toBe(12);
    expect(intPart('123456789012345678')).toBe(123456789012345678n); // beyond 2^53: exact as a bigint
    expect(compareKeys([intPart('9007199254740993')], [intPart('9007199254740992')])).toBeGreaterThan(0);
  });

  it('groups a CRIS link table by its leading key columns, in column order', () => {
    const s = KeyScheme.of('CRIS', { name: 'CRIME_NOMINAL', keyKind: 'composite' });
    expect(s.parts).toEqual(['text', 'int']);
    const a = s.sourceKey({ key: '0000001/19|9|VI', ordinal: 0, raw: {} });
    const b = s.sourceKey({ key: '0000001/19|10|AC', ordinal: 1, raw: {} });
    expect(compareKeys(a, b)).toBeLessThan(0);
    expect(compareKeys(s.sourceKey({ key: '0000001/19|9|SU', ordinal: 2, raw: {} }), a)).toBe(0);
    expect(s.orderSql(['k1', 'k2'])).toContain('COLLATE "C"');
  });
});

describe('values: equality by value', () => {
  it('timestamps are instants', () => {
    const d = new Date('2019-03-04T10:22:00Z');
    expect(canonical('instant', d)).toBe(canonical('instant', '2019-03-04 10:22:00+00'));
    expect(canonical('instant', '2019-03-04 11:22:00+01')).toBe(canonical('instant', d));
    expect(canonical('instant', '2019-03-04 10:22:00.000001+00')).not.toBe(canonical('instant', d));
    expect(parseTimestampMicros('0044-03-15 12:00:00+00 BC')).toBeLessThan(0);
    expect(display('instant', canonical('instant', '2019-03-04 10:22:00.5+00'))).toBe('2019-03-04T10:22:00.500Z');
  });

  it('dates are dates; numbers are exact decimals', () => {
    expect(canonical('date', '1985-03-01')).toBe('1985-03-01');
    expect(canonical('int', 7)).toBe(canonical('int', '7'));
    expect(canonical('int', '9007199254740993')).toBe('9007199254740993');
    expect(['007', '+7', '7', ' 7 '].map((v) => canonical('int', v))).toEqual(['7', '7', '7', '7']);
    expect(['-0', '0', '000'].map((v) => canonical('int', v))).toEqual(['0', '0', '0']);
    expect(canonical('int', '-012')).toBe('-12');
    expect(canonicalDecimal('1.50')).toBe('1.5');
    expect(canonicalDecimal('-0.0')).toBe('0');
    expect(canonicalDecimal('1.5e2')).toBe('150');
    expect(canonical('decimal', 0.1)).not.toBe(canonical('decimal', '0.10000000000000001'));
  });

  it('empty, whitespace and NULL are equal; nothing else is normalised', () => {
    expect(canonical('text', '')).toBeNull();
    expect(canonical('text', ' \t\r\n')).toBeNull();
    expect(canonical('text', null)).toBeNull();
    expect(canonical('text', 'Smith')).not.toBe(canonical('text', 'SMITH'));
    expect(canonical('text', 'Smith ')).not.toBe(canonical('text', 'Smith'));
    expect(canonical('bool', 't')).toBe(canonical('bool', true));
  });
});

describe('HyperLogLog and profiles', () => {
  it('estimates distinct counts within a few per cent, identically for equal sets', () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    for (let i = 0; i < 50_000; i++) a.add(`value-${i}`);
    for (let i = 49_999; i >= 0; i--) b.add(`value-${i % 50_000}`);
    expect(Math.abs(a.estimate() - 50_000) / 50_000).toBeLessThan(0.08);
    expect(a.estimate()).toBe(b.estimate());
    const small = new HyperLogLog();
    for (const v of ['x', 'y', 'z', 'x']) small.add(v);
    expect(small.estimate()).toBe(3);
  });

  it('profiles nulls, distinct, min, max and text lengths; differences are named', () => {
    const e = new Profile('text');
    const a = new Profile('text');
    for (const v of ['abc', null, 'de']) e.add(canonical('text', v));
    for (const v of ['abc', null, 'DE']) a.add(canonical('text', v));
    expect(e.summary()).toMatchObject({ rows: 3, nulls: 1, distinct: 2, min: 'abc', max: 'de', lengths: { '2-3': 2 } });
    expect(profileDifferences(e.summary(), a.summary())).toEqual(expect.arrayContaining(['min', 'max']));
  });

  it('takes min and max of instants in any order of arrival, and of mixed-kind values by the general comparison', () => {
    const p = new Profile('instant');
    for (const v of ['2019-03-04 10:00:00+00', '2019-01-01 00:00:00+00', null, '2020-12-31 23:59:59+00', '2019-06-01 12:00:00+00']) p.add(canonical('instant', v));
    expect(p.summary()).toMatchObject({ rows: 5, nulls: 1, min: '2019-01-01T00:00:00.000Z', max: '2020-12-31T23:59:59.000Z' });
    const d = new Profile('decimal');
    for (const v of ['10', '9.5', '-2', '100']) d.add(canonical('decimal', v));
    expect(d.summary()).toMatchObject({ min: '-2', max: '100' }); // numerically, not as text
  });
});

describe('declared field rules', () => {
  it('read local times exactly as src/transform does, across DST changes', () => {
    const pad = (x: number) => String(x).padStart(2, '0');
    let n = 0;
    for (let y = 1900; y <= 2030; y += 3) {
      for (const mo of [3, 4, 9, 10]) {
        for (let d = 22; d <= 31; d++) {
          for (let h = 0; h < 24; h++) {
            const s = `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad((h * 7) % 60)}:${pad((d * 11) % 60)}`;
            expect(crisTime(s)?.getTime() ?? null, s).toBe(londonToInstant(s)?.instant.getTime() ?? null);
            n++;
          }
        }
      }
    }
    expect(n).toBeGreaterThan(40_000);
  });

  it('name real target columns only', () => {
    for (const [step, tables] of Object.entries(FIELD_RULES)) {
      for (const t of tables) {
        for (const c of t.columns) expect(TARGET_COLUMNS[t.table], `${step} ${t.table}.${c.column}`).toContain(c.column);
      }
    }
  });
});
