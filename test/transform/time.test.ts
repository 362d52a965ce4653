import { describe, it, expect } from 'vitest';
import { crimintDateTimeByRegex, parseCrimintDateTime, londonToInstant, londonToInstantByOffsets, parseLegacyDate } from '../../src/transform/time.ts';
import { londonOffsetMs, lastSundayAt0100Utc } from '../../src/transform/london.ts';

function iso(local: string): [string, string | null] | null {
  const r = londonToInstant(local);
  return r === null ? null : [r.instant.toISOString(), r.warning];
}

describe('parseCrimintDateTime', () => {
  it('reorders dd/mm/yyyy HH:MM:SS into a local ISO-like string', () => {
    expect(parseCrimintDateTime('04/03/2019 10:22:00')).toBe('2019-03-04 10:22:00');
    expect(parseCrimintDateTime('31/12/1999 23:59:59')).toBe('1999-12-31 23:59:59');
    expect(parseCrimintDateTime(' 29/02/2020 00:00:00 ')).toBe('2020-02-29 00:00:00');
    expect(parseCrimintDateTime('04/03/2019')).toBe('2019-03-04 00:00:00');
  });
  it('rejects impossible dates and times', () => {
    expect(parseCrimintDateTime('31/02/2019 10:00:00')).toBeNull();
    expect(parseCrimintDateTime('29/02/2019')).toBeNull();
    expect(parseCrimintDateTime('29/02/1900')).toBeNull();
    expect(parseCrimintDateTime('00/03/2019')).toBeNull();
    expect(parseCrimintDateTime('12/13/2019')).toBeNull();
    expect(parseCrimintDateTime('04/03/2019 25:00:00')).toBeNull();
    expect(parseCrimintDateTime('04/03/2019 24:00:00')).toBeNull();
    expect(parseCrimintDateTime('04/03/2019 10:60:00')).toBeNull();
    expect(parseCrimintDateTime('04/03/2019 10:00:60')).toBeNull();
  });
  it('gives the general path\'s answer on its fast path, valid or not (every day of 1899–2101 and 30,000 random 19-character texts)', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    let checked = 0;
    for (let y = 1899; y <= 2101; y++) {
      for (let m = 0; m <= 13; m++) {
        for (const d of [0, 1, 28, 29, 30, 31, 32]) {
          const s = `${two(d)}/${two(m)}/${String(y).padStart(4, '0')} ${two((y + d) % 25)}:${two((m * 7) % 61)}:${two((d * 3) % 61)}`;
          const r = parseCrimintDateTime(s);
          expect(r).toBe(crimintDateTimeByRegex(s));
          if (r !== null) checked++;
        }
      }
    }
    const chars = '0123456789/: x\u0661';
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 30_000; i++) {
      const base = `${two(1 + Math.floor(next() * 31))}/${two(1 + Math.floor(next() * 12))}/${1900 + Math.floor(next() * 200)} ${two(Math.floor(next() * 25))}:${two(Math.floor(next() * 61))}:${two(Math.floor(next() * 61))}`;
      const at = Math.floor(next() * 19);
      const s = next() < 0.5 ? base : base.slice(0, at) + chars[Math.floor(next() * chars.length)] + base.slice(at + 1);
      expect(parseCrimintDateTime(s)).toBe(crimintDateTimeByRegex(s));
    }
    expect(checked).toBeGreaterThan(5_000); // valid ones among them, and invalid ones (months 0 and 13, day 32)
  });
  it('rejects other shapes', () => {
    expect(parseCrimintDateTime('')).toBeNull();
    expect(parseCrimintDateTime('2019-03-04 10:22:00')).toBeNull();
    expect(parseCrimintDateTime('4/3/2019')).toBeNull();
    expect(parseCrimintDateTime('04/03/2019 10:22')).toBeNull();
    expect(parseCrimintDateTime('04/03/19 10:22:00')).toBeNull();
    expect(parseCrimintDateTime('04/03/2019T10:22:00')).toBeNull();
  });
});

describe('parseLegacyDate', () => {
  it('converts a valid dd/mm/yyyy', () => {
    expect(parseLegacyDate('04/03/2025')).toBe('2025-03-04');
    expect(parseLegacyDate('29/02/2000')).toBe('2000-02-29');
    expect(parseLegacyDate(' 01/01/1970 ')).toBe('1970-01-01');
  });
  it('rejects invalid or partial dates', () => {
    expect(parseLegacyDate('31/04/2025')).toBeNull();
    expect(parseLegacyDate('29/02/2100')).toBeNull();
    expect(parseLegacyDate('00/03/1985')).toBeNull();
    expect(parseLegacyDate('00/00/1985')).toBeNull();
    expect(parseLegacyDate('')).toBeNull();
    expect(parseLegacyDate('04/03/2025 10:00:00')).toBeNull();
    expect(parseLegacyDate('xx')).toBeNull();
  });
});

describe('londonToInstant', () => {
  it('reads winter times as GMT and summer times as BST', () => {
    expect(iso('2019-01-15 12:00:00')).toEqual(['2019-01-15T12:00:00.000Z', null]);
    expect(iso('2019-07-01 12:00:00')).toEqual(['2019-07-01T11:00:00.000Z', null]);
    expect(iso('2019-07-01T12:00:00')).toEqual(['2019-07-01T11:00:00.000Z', null]);
    expect(iso('2019-07-01 00:30:00')).toEqual(['2019-06-30T23:30:00.000Z', null]);
  });
  it('accepts fractions (truncated to ms), a date alone and no seconds', () => {
    expect(iso('2019-07-01 12:00:00.123456')).toEqual(['2019-07-01T11:00:00.123Z', null]);
    expect(iso('2019-01-01 00:00:00.5')).toEqual(['2019-01-01T00:00:00.500Z', null]);
    expect(iso('2019-07-01')).toEqual(['2019-06-30T23:00:00.000Z', null]);
    expect(iso('2019-01-01 08:15')).toEqual(['2019-01-01T08:15:00.000Z', null]);
  });

  // 2019: BST began Sunday 31 March at 01:00 GMT, ended Sunday 27 October at 01:00 GMT.
  it('moves the skipped March 2019 hour forward', () => {
    expect(iso('2019-03-31 00:59:59')).toEqual(['2019-03-31T00:59:59.000Z', null]);
    expect(iso('2019-03-31 01:00:00')).toEqual(['2019-03-31T01:00:00.000Z', 'nonexistent_local_time']);
    expect(iso('2019-03-31 01:30:00')).toEqual(['2019-03-31T01:30:00.000Z', 'nonexistent_local_time']);
    expect(iso('2019-03-31 01:59:59')).toEqual(['2019-03-31T01:59:59.000Z', 'nonexistent_local_time']);
    expect(iso('2019-03-31 02:00:00')).toEqual(['2019-03-31T01:00:00.000Z', null]);
    expect(iso('2019-03-31 02:30:00')).toEqual(['2019-03-31T01:30:00.000Z', null]);
  });
  it('reads the repeated October 2019 hour as the earlier (BST) instant', () => {
    expect(iso('2019-10-27 00:59:59')).toEqual(['2019-10-26T23:59:59.000Z', null]);
    expect(iso('2019-10-27 01:00:00')).toEqual(['2019-10-27T00:00:00.000Z', 'ambiguous_local_time']);
    expect(iso('2019-10-27 01:30:00')).toEqual(['2019-10-27T00:30:00.000Z', 'ambiguous_local_time']);
    expect(iso('2019-10-27 01:59:59')).toEqual(['2019-10-27T00:59:59.000Z', 'ambiguous_local_time']);
    expect(iso('2019-10-27 02:00:00')).toEqual(['2019-10-27T02:00:00.000Z', null]);
  });
  // 2021: BST began Sunday 28 March, ended Sunday 31 October.
  it('handles the 2021 transitions', () => {
    expect(iso('2021-03-28 00:30:00')).toEqual(['2021-03-28T00:30:00.000Z', null]);
    expect(iso('2021-03-28 01:30:00')).toEqual(['2021-03-28T01:30:00.000Z', 'nonexistent_local_time']);
    expect(iso('2021-03-28 02:00:00')).toEqual(['2021-03-28T01:00:00.000Z', null]);
    expect(iso('2021-03-21 01:30:00')).toEqual(['2021-03-21T01:30:00.000Z', null]); // a week earlier: GMT
    expect(iso('2021-10-31 00:30:00')).toEqual(['2021-10-30T23:30:00.000Z', null]);
    expect(iso('2021-10-31 01:30:00')).toEqual(['2021-10-31T00:30:00.000Z', 'ambiguous_local_time']);
    expect(iso('2021-10-31 02:00:00')).toEqual(['2021-10-31T02:00:00.000Z', null]);
    expect(iso('2021-10-24 01:30:00')).toEqual(['2021-10-24T00:30:00.000Z', null]); // a week earlier: BST
  });
  it('uses the real UK rules before 1996 (October change on 22 October 1995, not the last Sunday)', () => {
    expect(iso('1995-10-22 01:30:00')).toEqual(['1995-10-22T00:30:00.000Z', 'ambiguous_local_time']);
    expect(iso('1995-10-29 01:30:00')).toEqual(['1995-10-29T01:30:00.000Z', null]);
    expect(iso('1970-01-01 00:00:00')).toEqual(['1969-12-31T23:00:00.000Z', null]); // British Standard Time
  });
  it('rejects unparseable and impossible values', () => {
    expect(londonToInstant('')).toBeNull();
    expect(londonToInstant('2019-02-29 10:00:00')).toBeNull();
    expect(londonToInstant('2019-13-01 10:00:00')).toBeNull();
    expect(londonToInstant('2019-01-01 25:00:00')).toBeNull();
    expect(londonToInstant('2019-01-01 10:00:00+01')).toBeNull();
    expect(londonToInstant('01/01/2019 10:00:00')).toBeNull();
    expect(londonToInstant('garbage')).toBeNull();
  });
  it('does not depend on the process time zone', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'America/New_York';
      expect(iso('2019-10-27 01:30:00')).toEqual(['2019-10-27T00:30:00.000Z', 'ambiguous_local_time']);
      expect(iso('2019-07-01 12:00:00')).toEqual(['2019-07-01T11:00:00.000Z', null]);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('londonOffsetMs', () => {
  it('finds the last Sundays', () => {
    expect(new Date(lastSundayAt0100Utc(2019, 2)).toISOString()).toBe('2019-03-31T01:00:00.000Z');
    expect(new Date(lastSundayAt0100Utc(2019, 9)).toISOString()).toBe('2019-10-27T01:00:00.000Z');
    expect(new Date(lastSundayAt0100Utc(2021, 2)).toISOString()).toBe('2021-03-28T01:00:00.000Z');
    expect(new Date(lastSundayAt0100Utc(2021, 9)).toISOString()).toBe('2021-10-31T01:00:00.000Z');
  });
  it('agrees with the IANA database (Intl) around every transition 1996–2040', () => {
    const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'longOffset' });
    const intl = (t: number) => (fmt.format(new Date(t)).endsWith('+01:00') ? 3_600_000 : 0);
    const diffs: string[] = [];
    for (let y = 1996; y <= 2040; y++) {
      for (const t0 of [lastSundayAt0100Utc(y, 2), lastSundayAt0100Utc(y, 9), Date.UTC(y, 0, 1), Date.UTC(y, 6, 1)]) {
        for (const t of [t0 - 1, t0, t0 + 1]) {
          if (londonOffsetMs(t) !== intl(t)) diffs.push(new Date(t).toISOString());
        }
      }
    }
    expect(diffs).toEqual([]);
  });
});

describe('ids', () => {
  it('UUIDv5 of SYSTEM:ENTITY:KEY is stable (a changed id would change every target row)', async () => {
    const { targetId, uuidv5 } = await import('../../src/core/ids.ts');
    expect(targetId('CRIS', 'NOMINAL', '12345')).toBe('2bb08c93-e8ee-5861-bd20-99cb1bb6ce2c');
    // RFC 4122 appendix example: v5 of "www.example.com" in the DNS namespace
    expect(uuidv5('www.example.com', Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex'))).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

describe('londonToInstant fast path (1997 onwards, `YYYY-MM-DD HH:MM:SS`)', () => {
  const wall = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  const same = (local: string) => {
    const fast = londonToInstant(local);
    const general = londonToInstantByOffsets(local);
    expect({ instant: fast?.instant.getTime(), warning: fast?.warning }, local).toEqual({ instant: general?.instant.getTime(), warning: general?.warning });
  };

  it('agrees with the general rule at every quarter hour of both transition weekends, 1996–2040', () => {
    for (let y = 1996; y <= 2040; y++) {
      for (const month of [2, 9]) {
        const lastSunday = (() => { const d = new Date(Date.UTC(y, month + 1, 0)); return d.getUTCDate() - d.getUTCDay(); })();
        const from = Date.UTC(y, month, lastSunday - 1);
        for (let t = from; t < from + 3 * 86_400_000; t += 900_000) same(wall(t));
        same(wall(Date.UTC(y, month, lastSunday, 1, 59, 59)));
        same(wall(Date.UTC(y, month, lastSunday, 0, 59, 59)));
      }
    }
  });

  it('agrees with the general rule on 20,000 random wall-clock times, 1990–2100', () => {
    let seed = 42;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const lo = Date.UTC(1990, 0, 1);
    const hi = Date.UTC(2100, 0, 1);
    for (let i = 0; i < 20_000; i++) same(wall(lo + Math.floor(next() * (hi - lo) / 1000) * 1000));
  });

  it('leaves other shapes and invalid values to the general rule', () => {
    for (const s of ['2019-03-31 01:30', '2019-03-31T01:30:00', ' 2019-03-31 01:30:00', '2019-03-31 01:30:00.250', '2019-02-29 10:00:00', '2019-01-01 24:00:00', '1980-06-01 12:00:00', '0099-06-01 12:00:00']) same(s);
  });
});
