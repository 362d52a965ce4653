/**
 * Dates of birth, full or partial (legacy-data.md NOMINAL.DOB and CRIMINT `dob`;
 * target-schema.md `date_of_birth` + `dob_precision`; search-catalog.md "DOB matching").
 */
import { daysInMonth, formatYmd, isValidHms, isValidYmd } from './calendar.ts';

export type DobPrecision = 'day' | 'month' | 'year' | 'unknown';

/** `date` is `YYYY-MM-DD`, the first day of the period when partial; null when unknown. */
export interface Dob {
  date: string | null;
  precision: DobPrecision;
}

export interface Period {
  from: string;
  to: string;
}

const UNKNOWN: Dob = Object.freeze({ date: null, precision: 'unknown' }) as Dob;

const CRIS_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/**
 * CRIS `DOB` as text (`YYYY-MM-DD HH:MM:SS[.fff]` or `YYYY-MM-DD`) → a day-precision DOB.
 * NULL/blank and the `1900-01-01` "unknown" marker (whatever its time part) → unknown.
 * The time part (00:00:00 in practice) is validated and then ignored.
 */
export function parseCrisDob(v: string | null): Dob | { error: string } {
  if (v === null || v === undefined || String(v).trim() === '') return { ...UNKNOWN };
  const text = String(v).trim();
  const m = CRIS_RE.exec(text);
  if (!m) return { error: `unparseable DOB ${JSON.stringify(text)}` };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isValidYmd(y, mo, d) || !isValidHms(Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0))) {
    return { error: `impossible DOB ${JSON.stringify(text)}` };
  }
  const date = formatYmd(y, mo, d);
  if (date === '1900-01-01') return { ...UNKNOWN };
  return { date, precision: 'day' };
}

const CRIMINT_RE = /^(\d{2})\/(\d{2})\/(\d{4})$/;

/**
 * CRIMINT `dob` `dd/mm/yyyy`: `00/mm/yyyy` → month, `00/00/yyyy` → year, ''/blank/null → unknown.
 * A known day with an unknown month (`15/00/1985`), year 0000, impossible dates
 * (`31/02/1985`, `12/13/1985`) and other shapes → error.
 */
export function parseCrimintDob(v: string | null): Dob | { error: string } {
  if (v === null || v === undefined || String(v).trim() === '') return { ...UNKNOWN };
  const text = String(v).trim();
  const m = CRIMINT_RE.exec(text);
  if (!m) return { error: `unparseable DOB ${JSON.stringify(text)}` };
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (d === 0 && mo === 0) {
    return y >= 1 ? { date: formatYmd(y, 1, 1), precision: 'year' } : { error: `impossible DOB ${JSON.stringify(text)}` };
  }
  if (d === 0) {
    return isValidYmd(y, mo, 1)
      ? { date: formatYmd(y, mo, 1), precision: 'month' }
      : { error: `impossible DOB ${JSON.stringify(text)}` };
  }
  if (!isValidYmd(y, mo, d)) return { error: `impossible DOB ${JSON.stringify(text)}` };
  return { date: formatYmd(y, mo, d), precision: 'day' };
}

/** Inclusive first and last day of the DOB's period; null when unknown. */
export function dobPeriod(dob: Dob): Period | null {
  if (dob.precision === 'unknown' || dob.date === null) return null;
  const y = Number(dob.date.slice(0, 4));
  const mo = Number(dob.date.slice(5, 7));
  switch (dob.precision) {
    case 'day':
      return { from: dob.date, to: dob.date };
    case 'month':
      return { from: formatYmd(y, mo, 1), to: formatYmd(y, mo, daysInMonth(y, mo)) };
    case 'year':
      return { from: formatYmd(y, 1, 1), to: formatYmd(y, 12, 31) };
  }
}

/** True when two inclusive periods share at least one day. A null period overlaps nothing. */
export function periodsOverlap(a: Period | null, b: Period | null): boolean {
  if (a === null || b === null) return false;
  return a.from <= b.to && b.from <= a.to;
}

/** DOB matching (search-catalog): the two DOBs' periods overlap; an unknown DOB matches nothing. */
export function dobsMatch(a: Dob, b: Dob): boolean {
  return periodsOverlap(dobPeriod(a), dobPeriod(b));
}
