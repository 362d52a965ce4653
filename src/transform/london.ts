/**
 * UTC offset of Europe/London at an instant, independent of the process time zone.
 *
 * From 1996 the UK follows the EU rule, computed directly: BST (+01:00) from 01:00 UTC on the
 * last Sunday of March to 01:00 UTC on the last Sunday of October. Before 1996 the UK rules
 * differed (e.g. October changes on the 4th Sunday until 1995, British Standard Time 1968–71,
 * double summer time in the 1940s), so earlier instants use the IANA tz database through
 * Intl with an explicit time zone (what PostgreSQL's `AT TIME ZONE 'Europe/London'` also uses).
 * If Intl has no time-zone data, the EU rule is used from 1972 and GMT before.
 */

const HOUR = 3_600_000;

/** UTC milliseconds of 01:00 UTC on the last Sunday of `month0` (0-based) in `year`. */
export function lastSundayAt0100Utc(year: number, month0: number): number {
  const lastDay = new Date(Date.UTC(year, month0 + 1, 0));
  const day = lastDay.getUTCDate() - lastDay.getUTCDay(); // getUTCDay: 0 = Sunday
  return Date.UTC(year, month0, day, 1, 0, 0);
}

// BST start and end per year, computed once (this runs for every legacy timestamp).
const bstByYear = new Map<number, readonly [number, number]>();

/** Start and end of BST in `year` under the EU rule (UTC milliseconds), cached per year. */
export function bstRange(year: number): readonly [number, number] {
  let range = bstByYear.get(year);
  if (!range) bstByYear.set(year, (range = [lastSundayAt0100Utc(year, 2), lastSundayAt0100Utc(year, 9)]));
  return range;
}

function euRuleOffset(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  if (year < 1972) return 0;
  const range = bstRange(year);
  return utcMs >= range[0] && utcMs < range[1] ? HOUR : 0;
}

let formatter: Intl.DateTimeFormat | null | undefined;

function intlOffset(utcMs: number): number | null {
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'longOffset' });
    } catch {
      formatter = null;
    }
  }
  if (formatter === null) return null;
  const name = formatter.formatToParts(new Date(utcMs)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name);
  if (!m) return null;
  if (!m[1]) return 0;
  const ms = (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === '-' ? -ms : ms;
}

/** Offset of Europe/London local time from UTC at `utcMs`, in milliseconds (0 or 3 600 000 today). */
export function londonOffsetMs(utcMs: number): number {
  if (new Date(utcMs).getUTCFullYear() >= 1996) return euRuleOffset(utcMs);
  return intlOffset(utcMs) ?? euRuleOffset(utcMs);
}
