/**
 * Legacy date-times: Europe/London wall-clock without offset (legacy-data.md "General quirks").
 */
import { digits, formatYmd, isValidHms, isValidYmd, pad } from './calendar.ts';
import { bstRange, londonOffsetMs } from './london.ts';

export type LocalTimeWarning = 'ambiguous_local_time' | 'nonexistent_local_time';

const CRIMINT_RE = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2}):(\d{2}))?$/;

/**
 * CRIMINT `dd/mm/yyyy HH:MM:SS` or `dd/mm/yyyy` (surrounding whitespace ignored) →
 * local `YYYY-MM-DD HH:MM:SS` (midnight for a date alone). Impossible dates or times → null.
 */
export function parseCrimintDateTime(s: string): string | null {
  if (typeof s !== 'string') return null;
  // the common shape, exactly `dd/mm/yyyy HH:MM:SS`: the same answer without a regular
  // expression, arrays or padding (held to the general path in the tests)
  if (s.length === 19 && s.charCodeAt(2) === 47 && s.charCodeAt(5) === 47 && s.charCodeAt(10) === 32 && s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58) {
    const y = digits(s, 6, 10);
    if (isValidYmd(y, digits(s, 3, 5), digits(s, 0, 2)) && isValidHms(digits(s, 11, 13), digits(s, 14, 16), digits(s, 17, 19))) {
      return `${s.slice(6, 10)}-${s.slice(3, 5)}-${s.slice(0, 2)} ${s.slice(11, 19)}`;
    }
  }
  return crimintDateTimeByRegex(s);
}

/** The general path of parseCrimintDateTime (exported for the tests that hold the fast path to it). */
export function crimintDateTimeByRegex(s: string): string | null {
  const m = CRIMINT_RE.exec(s.trim());
  if (!m) return null;
  const [d, mo, y, h, mi, se] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [
    number, number, number, number, number, number,
  ];
  if (!isValidYmd(y, mo, d) || !isValidHms(h, mi, se)) return null;
  return `${formatYmd(y, mo, d)} ${pad(h)}:${pad(mi)}:${pad(se)}`;
}

const DATE_RE = /^(\d{2})\/(\d{2})\/(\d{4})$/;

/** `dd/mm/yyyy` (whitespace-trimmed) → `YYYY-MM-DD`; impossible dates and zero parts → null. */
export function parseLegacyDate(s: string): string | null {
  if (typeof s !== 'string') return null;
  const m = DATE_RE.exec(s.trim());
  if (!m) return null;
  const d = Number(m[1]);
  const mo = Number(m[2]);
  const y = Number(m[3]);
  return isValidYmd(y, mo, d) ? formatYmd(y, mo, d) : null;
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;
const DAY = 86_400_000;

/**
 * Local Europe/London wall-clock `YYYY-MM-DD HH:MM:SS[.fff…]` (also with `T`, without seconds,
 * or a date alone = midnight) → the instant it denotes. Fractions beyond milliseconds are
 * truncated (JavaScript Date precision). Unparseable or impossible values → null.
 *
 * - A time that occurs twice (October repeated hour) → the earlier instant (BST),
 *   warning `ambiguous_local_time`.
 * - A time that never occurs (March skipped hour) → moved forward by the gap (01:30 → 02:30 BST,
 *   i.e. read with the offset in force before the change), warning `nonexistent_local_time`.
 */
export function londonToInstant(
  local: string,
): { instant: Date; warning: null | LocalTimeWarning } | null {
  if (typeof local !== 'string') return null;
  return londonFast(local) ?? londonToInstantByOffsets(local);
}

const HOUR = 3_600_000;

/**
 * The common case without a regular expression or a search over offsets: exactly
 * `YYYY-MM-DD HH:MM:SS` in 1997–9999, where Europe/London follows the EU rule (london.ts).
 * Anything else (other shapes, earlier years, invalid values) → undefined: the general rule
 * decides. Held to the general rule hour by hour across the transitions in the tests.
 */
function londonFast(s: string): { instant: Date; warning: null | LocalTimeWarning } | null | undefined {
  if (s.length !== 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 7);
  const d = digits(s, 8, 10);
  const h = digits(s, 11, 13);
  const mi = digits(s, 14, 16);
  const se = digits(s, 17, 19);
  if (!(y >= 1997) || !isValidYmd(y, mo, d) || !isValidHms(h, mi, se)) return undefined;
  const w = Date.UTC(y, mo - 1, d, h, mi, se); // the wall-clock reading as if it were UTC
  const [start, end] = bstRange(y); // 01:00 UTC on the last Sundays of March and October
  if (w < start) return { instant: new Date(w), warning: null };
  if (w < start + HOUR) return { instant: new Date(w), warning: 'nonexistent_local_time' }; // 01:xx skipped: read as GMT
  if (w < end) return { instant: new Date(w - HOUR), warning: null };
  if (w < end + HOUR) return { instant: new Date(w - HOUR), warning: 'ambiguous_local_time' }; // 01:xx twice: the BST one
  return { instant: new Date(w), warning: null };
}

/** The general rule: the offsets in force around the wall-clock time, tried one by one. */
export function londonToInstantByOffsets(
  local: string,
): { instant: Date; warning: null | LocalTimeWarning } | null {
  if (typeof local !== 'string') return null;
  const m = LOCAL_RE.exec(local.trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4] ?? 0);
  const mi = Number(m[5] ?? 0);
  const se = Number(m[6] ?? 0);
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (!isValidYmd(y, mo, d) || !isValidHms(h, mi, se)) return null;

  const wall = new Date(0);
  wall.setUTCFullYear(y, mo - 1, d); // setUTCFullYear keeps years < 100 as written
  wall.setUTCHours(h, mi, se, ms);
  const w = wall.getTime();

  const offsets = [...new Set([londonOffsetMs(w - DAY), londonOffsetMs(w), londonOffsetMs(w + DAY)])];
  const valid = offsets.filter((o) => londonOffsetMs(w - o) === o).map((o) => w - o);
  if (valid.length === 1) return { instant: new Date(valid[0]!), warning: null };
  if (valid.length > 1) return { instant: new Date(Math.min(...valid)), warning: 'ambiguous_local_time' };
  return { instant: new Date(w - Math.min(...offsets)), warning: 'nonexistent_local_time' };
}
