// Equality by value, never by text rendering. Each target column has a value kind (from its
// PostgreSQL type); both sides are brought to one canonical value of that kind and compared with
// ===. Timestamps are instants (epoch microseconds), dates are calendar dates, numbers are exact
// decimals, and for text the empty string, whitespace-only and NULL are the same "not recorded".
// Nothing else is normalised: case, inner and surrounding whitespace of real text all count.
//
// The target is read with every value as text (db.ts), in a UTC session with ISO dates.

import { digits } from '../transform/calendar.ts';

export type ValueKind = 'text' | 'instant' | 'date' | 'int' | 'decimal' | 'bool' | 'uuid';

/** A canonical value: text, epoch microseconds, `YYYY-MM-DD`, an integer or decimal as text, a boolean. */
export type Canon = string | number | boolean | null;

/** The value kind of a PostgreSQL `information_schema.columns.data_type`. */
export function kindOfPgType(dataType: string): ValueKind {
  switch (dataType) {
    case 'timestamp with time zone':
    case 'timestamp without time zone':
      return 'instant';
    case 'date':
      return 'date';
    case 'smallint':
    case 'integer':
    case 'bigint':
      return 'int';
    case 'numeric':
    case 'real':
    case 'double precision':
      return 'decimal';
    case 'boolean':
      return 'bool';
    case 'uuid':
      return 'uuid';
    default:
      return 'text';
  }
}

const TS_RE = /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?( BC)?$/;

/** PostgreSQL ISO timestamp text (`2019-03-04 10:22:00.5+00`) → epoch microseconds; null when not one. */
export function parseTimestampMicros(s: string): number | null {
  // fast path: what a UTC session sends for years 1000–9999, `YYYY-MM-DD HH:MM:SS[.ffffff]+00`
  const n = s.length;
  if (n >= 22 && n <= 29 && s.charCodeAt(4) === 45 && s.charCodeAt(10) === 32 && s.endsWith('+00') && s.charCodeAt(0) !== 48) {
    const ms = Date.UTC(digits(s, 0, 4), digits(s, 5, 7) - 1, digits(s, 8, 10), digits(s, 11, 13), digits(s, 14, 16), digits(s, 17, 19));
    const frac = n > 22 && s.charCodeAt(19) === 46 ? digits(s, 20, n - 3) * 10 ** (6 - (n - 23)) : n === 22 ? 0 : NaN;
    if (!Number.isNaN(ms) && !Number.isNaN(frac)) return ms * 1000 + frac;
  }
  const m = TS_RE.exec(s.trim());
  if (!m) return null;
  const d = new Date(0);
  let year = Number(m[1]);
  if (m[9]) year = 1 - year; // 1 BC is year 0
  d.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), 0);
  let offsetSec = 0;
  const z = m[8];
  if (z && z !== 'Z') {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(/:/g, '');
    offsetSec = sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60 + Number(digits.slice(4, 6) || 0));
  }
  const micros = Number((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  return (d.getTime() - offsetSec * 1000) * 1000 + micros;
}

/** Exact decimal text: no sign on zero, no leading zeros, no trailing fractional zeros. */
export function canonicalDecimal(s: string): string | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  let int = m[2]!;
  let frac = m[3] ?? '';
  let exp = Number(m[4] ?? 0);
  // shift the point by the exponent
  while (exp > 0) { int += frac[0] ?? '0'; frac = frac.slice(1); exp--; }
  while (exp < 0) { frac = (int.slice(-1) || '0') + frac; int = int.slice(0, -1); exp++; }
  int = int.replace(/^0+/, '') || '0';
  frac = frac.replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return body === '0' ? '0' : `${m[1] === '-' ? '-' : ''}${body}`;
}

/** An integer in canonical form: no sign but a minus, no leading zeros, no minus zero. */
const CANON_INT_RE = /^(?:0|-?[1-9]\d*)$/;

function invalid(v: unknown): string {
  return `(invalid ${typeof v} ${String(v).slice(0, 40)})`;
}

/** The canonical value of `v` as a value of `kind`. Unreadable values become a tagged text, never equal to a real value. */
export function canonical(kind: ValueKind, v: unknown): Canon {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'text': {
      const s = typeof v === 'string' ? v : String(v);
      return s.trim() === '' ? null : s;
    }
    case 'instant': {
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? invalid(v) : v.getTime() * 1000;
      if (typeof v === 'string') {
        if (v.trim() === '') return null;
        return parseTimestampMicros(v) ?? invalid(v);
      }
      return invalid(v);
    }
    case 'date': {
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? invalid(v) : v.toISOString().slice(0, 10);
      if (typeof v === 'string') {
        const t = v.trim();
        if (t === '') return null;
        return /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : invalid(v);
      }
      return invalid(v);
    }
    case 'int': {
      if (typeof v === 'number') return Number.isInteger(v) ? String(v) : invalid(v);
      if (typeof v === 'bigint') return String(v);
      if (typeof v === 'string') {
        const t = v.trim();
        if (t === '') return null;
        if (CANON_INT_RE.test(t)) return t; // already canonical: no BigInt round trip
        return /^[+-]?\d+$/.test(t) ? String(BigInt(t)) : invalid(v);
      }
      return invalid(v);
    }
    case 'decimal': {
      if (typeof v === 'number' || typeof v === 'bigint') return canonicalDecimal(String(v)) ?? invalid(v);
      if (typeof v === 'string') return v.trim() === '' ? null : canonicalDecimal(v) ?? invalid(v);
      return invalid(v);
    }
    case 'bool': {
      if (typeof v === 'boolean') return v;
      if (v === 't' || v === 'true') return true;
      if (v === 'f' || v === 'false') return false;
      return invalid(v);
    }
    case 'uuid':
      return typeof v === 'string' ? v.trim().toLowerCase() : invalid(v);
  }
}

/** A canonical value as shown in a report: instants as ISO text (microseconds when present). */
export function display(kind: ValueKind, c: Canon): string | number | boolean | null {
  if (kind === 'instant' && typeof c === 'number') {
    const ms = Math.floor(c / 1000);
    const micros = c - ms * 1000;
    const iso = new Date(ms).toISOString();
    return micros ? iso.replace('Z', `${String(micros).padStart(3, '0')}Z`) : iso;
  }
  return c;
}

/** Order of two canonical values of one kind (profiles' min and max). */
export function compareCanon(kind: ValueKind, a: Exclude<Canon, null>, b: Exclude<Canon, null>): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (kind === 'int' || kind === 'decimal') {
    const x = Number(a);
    const y = Number(b);
    if (!Number.isNaN(x) && !Number.isNaN(y) && x !== y) return x - y;
  }
  const s = String(a);
  const t = String(b);
  return s < t ? -1 : s > t ? 1 : 0;
}
