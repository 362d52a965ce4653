// Naive local timestamps for the generator: seconds since 1970-01-01 00:00:00 of the local
// (Europe/London) wall clock, with no time zone at all, exactly as the legacy systems store them.
// Formatting is done by hand (civil-from-days), not through Date, so it is fast and cannot pick
// up the process time zone.
import type { Rng } from './random.ts';

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86_400;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month, day] of a day number (civil_from_days). */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export function ts(y: number, m: number, d: number, h = 0, mi = 0, s = 0): number {
  return daysFromCivil(y, m, d) * DAY + h * HOUR + mi * MINUTE + s;
}

const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

function parts(t: number): [number, number, number, number, number, number] {
  const days = Math.floor(t / DAY);
  let r = t - days * DAY;
  const h = Math.floor(r / HOUR);
  r -= h * HOUR;
  const mi = Math.floor(r / MINUTE);
  const [y, m, d] = civilFromDays(days);
  return [y, m, d, h, mi, r - mi * MINUTE];
}

/** CRIS `datetime` as text: `YYYY-MM-DD HH:MM:SS`. */
export function fmtSql(t: number): string {
  const [y, m, d, h, mi, s] = parts(t);
  return `${y}-${p2(m)}-${p2(d)} ${p2(h)}:${p2(mi)}:${p2(s)}`;
}

/** CRIMINT date-time `dd/mm/yyyy HH:MM:SS`. */
export function fmtUk(t: number): string {
  const [y, m, d, h, mi, s] = parts(t);
  return `${p2(d)}/${p2(m)}/${y} ${p2(h)}:${p2(mi)}:${p2(s)}`;
}

/** `dd/mm/yyyy`. */
export function fmtUkDate(t: number): string {
  const [y, m, d] = parts(t);
  return `${p2(d)}/${p2(m)}/${y}`;
}

/** ISO date `YYYY-MM-DD`. */
export function fmtIsoDate(t: number): string {
  const [y, m, d] = parts(t);
  return `${y}-${p2(m)}-${p2(d)}`;
}

export function yearOf(t: number): number {
  return civilFromDays(Math.floor(t / DAY))[0];
}

export function ymdOf(t: number): [number, number, number] {
  return civilFromDays(Math.floor(t / DAY));
}

/** Day number of the last Sunday of a month. */
export function lastSunday(y: number, m: number): number {
  const last = daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - 1;
  const weekday = (((last + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday
  return last - weekday;
}

/** A local time in the hour that occurs twice (last Sunday of October, 01:00–01:59:59). */
export function ambiguousTime(y: number, rng: Rng): number {
  return lastSunday(y, 10) * DAY + HOUR + rng.int(HOUR);
}

/** A local time in the hour that never occurs (last Sunday of March, 01:00–01:59:59). */
export function nonexistentTime(y: number, rng: Rng): number {
  return lastSunday(y, 3) * DAY + HOUR + rng.int(HOUR);
}

/** The legacy data period: 2008-01-01 to 2024-12-31 (both gradings; 5x5x5 ends 2015). */
export const PERIOD_START = ts(2008, 1, 1);
export const PERIOD_END = ts(2025, 1, 1);
export const GRADING_SWITCH = ts(2016, 1, 1);
