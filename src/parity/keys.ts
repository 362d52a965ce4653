// Comparison keys of the oracle: the catalog's value rules reduced to strings and integers.
// Dates are yyyymmdd integers: numeric order is calendar order, and (year, month, day) tuple
// comparisons (ages, anniversaries) need no day arithmetic.
import { nameMatchKey } from '../transform/names.ts';
import { dobPeriod, type Dob } from '../transform/dob.ts';
import { parseCrimintDateTime } from '../transform/time.ts';
import { tokenise } from '../transform/text.ts';

/** `YYYY-MM-DD` → yyyymmdd. */
export function isoToInt(iso: string): number {
  return Number(iso.slice(0, 4)) * 10000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
}

export function intToIso(v: number): string {
  const y = Math.floor(v / 10000);
  const m = Math.floor(v / 100) % 100;
  const d = v % 100;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Inclusive DOB period as yyyymmdd ints, or null when unknown. */
export function dobRange(dob: Dob): [number, number] | null {
  const p = dobPeriod(dob);
  return p ? [isoToInt(p.from), isoToInt(p.to)] : null;
}

/** The local calendar date of a CRIS `datetime` read as text (`YYYY-MM-DD HH:MM:SS`), or 0. */
export function crisDateInt(v: unknown): number {
  if (v instanceof Date) return v.getUTCFullYear() * 10000 + (v.getUTCMonth() + 1) * 100 + v.getUTCDate();
  if (typeof v !== 'string') return 0;
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})/.exec(v);
  return m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : 0;
}

/** The local calendar date of a CRIMINT `dd/mm/yyyy HH:MM:SS`, or 0. */
export function crimintDateInt(v: unknown): number {
  if (typeof v !== 'string') return 0;
  const local = parseCrimintDateTime(v);
  return local ? isoToInt(local) : 0;
}

/** Text as read: strings as they are, numbers as text, anything else null. */
export function text(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return null;
}

/** Trimmed, case-folded (S08 town, S11 make/model/colour, S15 borough); blank → null. */
export function fieldKey(v: unknown): string | null {
  const t = text(v)?.replace(/\u0000/g, '').trim();
  return t ? t.toLowerCase() : null;
}

/** Trimmed, upper case (HO codes, grading values); blank → null. */
export function codeKey(v: unknown): string | null {
  const t = text(v)?.trim();
  return t ? t.toUpperCase() : null;
}

/**
 * S13 reference key. A CRIS number `NNNNNNN/YY` with the year as 2 or 4 digits and leading zeros
 * optional → `C<serial>/<yy>` (the serial as a number, the year's last two digits); anything
 * else (a CRIMINT URN) → `U<upper case>`: exact, case-insensitive. Surrounding blanks ignored.
 */
export function refKey(v: unknown): string | null {
  const t = text(v)?.trim();
  if (!t) return null;
  const m = /^(\d{1,10})\/(\d{2}|\d{4})$/.exec(t);
  if (m && Number(m[1]) < 10_000_000) return `C${Number(m[1])}/${m[2]!.slice(-2)}`;
  return `U${t.toUpperCase()}`;
}

/** A name's match key, or null when it has none. */
export function nameKey(v: unknown): string | null {
  const t = text(v);
  if (t === null) return null;
  const k = nameMatchKey(t);
  return k === '' ? null : k;
}

function wildcardToRegex(p: string): RegExp {
  const body = p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

/**
 * S03: the pattern is reduced like a name (accents folded, upper case, blanks/apostrophes/hyphens
 * removed, `*` and `?` kept) and matched against the surname's name-match key.
 */
export function surnamePattern(pattern: string): RegExp {
  return wildcardToRegex(nameMatchKey(pattern));
}

/** S10: the pattern is reduced like a VRM (blanks removed, upper case), `*`/`?` kept. */
export function vrmPattern(pattern: string): RegExp {
  return wildcardToRegex(pattern.replace(/\s+/gu, '').toUpperCase());
}

/** Legacy deletion flag: CRIS `DELETED = 'Y'`. */
export function crisDeleted(v: unknown): boolean {
  return text(v)?.trim().toUpperCase() === 'Y';
}

/** CRIMINT `status` DELETED. */
export function crimintDeleted(v: unknown): boolean {
  return text(v)?.trim().toUpperCase() === 'DELETED';
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * tokenise() (S14) with a fast path for ASCII text, where accent folding changes nothing and
 * letters or digits are [a-z0-9] after lower-casing: the same tokens, without NFKD.
 */
export function tokens(s: string | null): string[] {
  if (s === null || s === undefined) return [];
  if (ASCII.test(s)) return s.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return tokenise(s);
}
