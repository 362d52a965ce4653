import { describe, it, expect } from 'vitest';
import { parseCrisDob, parseCrimintDob, dobPeriod, periodsOverlap, dobsMatch, type Dob } from '../../src/transform/dob.ts';

const U = { date: null, precision: 'unknown' };

describe('parseCrisDob', () => {
  it('reads a timestamp or a date as a day', () => {
    expect(parseCrisDob('1985-03-12 00:00:00')).toEqual({ date: '1985-03-12', precision: 'day' });
    expect(parseCrisDob('1985-03-12 00:00:00.000')).toEqual({ date: '1985-03-12', precision: 'day' });
    expect(parseCrisDob('1985-03-12T00:00:00')).toEqual({ date: '1985-03-12', precision: 'day' });
    expect(parseCrisDob('2000-02-29')).toEqual({ date: '2000-02-29', precision: 'day' });
    expect(parseCrisDob(' 1985-03-12 ')).toEqual({ date: '1985-03-12', precision: 'day' });
  });
  it('treats 1900-01-01, NULL and blank as unknown', () => {
    expect(parseCrisDob('1900-01-01 00:00:00')).toEqual(U);
    expect(parseCrisDob('1900-01-01')).toEqual(U);
    expect(parseCrisDob(null)).toEqual(U);
    expect(parseCrisDob('')).toEqual(U);
    expect(parseCrisDob('   ')).toEqual(U);
  });
  it('keeps 1900-01-02 and 1899-12-31', () => {
    expect(parseCrisDob('1900-01-02 00:00:00')).toEqual({ date: '1900-01-02', precision: 'day' });
    expect(parseCrisDob('1899-12-31')).toEqual({ date: '1899-12-31', precision: 'day' });
  });
  it('rejects impossible or malformed values', () => {
    expect(parseCrisDob('1985-02-30 00:00:00')).toEqual({ error: 'impossible DOB "1985-02-30 00:00:00"' });
    expect(parseCrisDob('1985-03-12 24:00:00')).toEqual({ error: 'impossible DOB "1985-03-12 24:00:00"' });
    expect(parseCrisDob('12/03/1985')).toEqual({ error: 'unparseable DOB "12/03/1985"' });
    expect(parseCrisDob('xx')).toEqual({ error: 'unparseable DOB "xx"' });
  });
});

describe('parseCrimintDob', () => {
  it('reads full, month and year precision', () => {
    expect(parseCrimintDob('12/03/1985')).toEqual({ date: '1985-03-12', precision: 'day' });
    expect(parseCrimintDob('00/03/1985')).toEqual({ date: '1985-03-01', precision: 'month' });
    expect(parseCrimintDob('00/00/1985')).toEqual({ date: '1985-01-01', precision: 'year' });
    expect(parseCrimintDob('29/02/1984')).toEqual({ date: '1984-02-29', precision: 'day' });
    expect(parseCrimintDob('00/02/1985')).toEqual({ date: '1985-02-01', precision: 'month' });
  });
  it('treats empty, whitespace and null as unknown', () => {
    expect(parseCrimintDob('')).toEqual(U);
    expect(parseCrimintDob('  ')).toEqual(U);
    expect(parseCrimintDob(null)).toEqual(U);
  });
  it('rejects impossible and malformed values', () => {
    expect(parseCrimintDob('31/02/1985')).toEqual({ error: 'impossible DOB "31/02/1985"' });
    expect(parseCrimintDob('29/02/1985')).toEqual({ error: 'impossible DOB "29/02/1985"' });
    expect(parseCrimintDob('12/13/1985')).toEqual({ error: 'impossible DOB "12/13/1985"' });
    expect(parseCrimintDob('00/13/1985')).toEqual({ error: 'impossible DOB "00/13/1985"' });
    expect(parseCrimintDob('15/00/1985')).toEqual({ error: 'impossible DOB "15/00/1985"' });
    expect(parseCrimintDob('00/00/0000')).toEqual({ error: 'impossible DOB "00/00/0000"' });
    expect(parseCrimintDob('xx')).toEqual({ error: 'unparseable DOB "xx"' });
    expect(parseCrimintDob('1985-03-12')).toEqual({ error: 'unparseable DOB "1985-03-12"' });
    expect(parseCrimintDob('1/3/1985')).toEqual({ error: 'unparseable DOB "1/3/1985"' });
  });
});

describe('dobPeriod', () => {
  it('gives the inclusive period', () => {
    expect(dobPeriod({ date: '1985-03-12', precision: 'day' })).toEqual({ from: '1985-03-12', to: '1985-03-12' });
    expect(dobPeriod({ date: '1985-03-01', precision: 'month' })).toEqual({ from: '1985-03-01', to: '1985-03-31' });
    expect(dobPeriod({ date: '1984-02-01', precision: 'month' })).toEqual({ from: '1984-02-01', to: '1984-02-29' });
    expect(dobPeriod({ date: '1985-02-01', precision: 'month' })).toEqual({ from: '1985-02-01', to: '1985-02-28' });
    expect(dobPeriod({ date: '1985-04-01', precision: 'month' })).toEqual({ from: '1985-04-01', to: '1985-04-30' });
    expect(dobPeriod({ date: '1985-01-01', precision: 'year' })).toEqual({ from: '1985-01-01', to: '1985-12-31' });
    expect(dobPeriod({ date: null, precision: 'unknown' })).toBeNull();
  });
});

describe('periodsOverlap and dobsMatch', () => {
  const day = (d: string): Dob => ({ date: d, precision: 'day' });
  const month = (d: string): Dob => ({ date: d, precision: 'month' });
  const year = (d: string): Dob => ({ date: d, precision: 'year' });
  it('compares inclusive periods', () => {
    expect(periodsOverlap({ from: '1985-03-01', to: '1985-03-31' }, { from: '1985-03-31', to: '1985-03-31' })).toBe(true);
    expect(periodsOverlap({ from: '1985-03-01', to: '1985-03-31' }, { from: '1985-04-01', to: '1985-04-01' })).toBe(false);
    expect(periodsOverlap({ from: '1985-01-01', to: '1985-12-31' }, { from: '1980-01-01', to: '1990-12-31' })).toBe(true);
    expect(periodsOverlap(null, { from: '1985-01-01', to: '1985-01-01' })).toBe(false);
    expect(periodsOverlap(null, null)).toBe(false);
  });
  it('matches partial DOBs against dates and other partials', () => {
    expect(dobsMatch(month('1985-03-01'), day('1985-03-12'))).toBe(true);
    expect(dobsMatch(month('1985-03-01'), day('1985-04-01'))).toBe(false);
    expect(dobsMatch(year('1985-01-01'), month('1985-12-01'))).toBe(true);
    expect(dobsMatch(year('1985-01-01'), year('1986-01-01'))).toBe(false);
    expect(dobsMatch(day('1985-03-12'), day('1985-03-12'))).toBe(true);
    expect(dobsMatch(day('1985-03-12'), day('1985-03-13'))).toBe(false);
    expect(dobsMatch({ date: null, precision: 'unknown' }, day('1985-03-12'))).toBe(false);
  });
});
