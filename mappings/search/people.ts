// S01–S06: people by name, Soundex, wildcard, DOB, age, name and year (search-catalog.md).
// Every capability matches a person on one of their name records (primary name or an alias,
// the alias taking the person's DOB when it has none); S03 searches primary names only.
// Restricted people are hidden.
import { nameMatchKey, soundex } from '../../src/transform/names.ts';
import { daysInMonth, formatYmd } from '../../src/transform/calendar.ts';
import { dobInputPeriod, dobOverlapSql, dobOverlapValues, ids, personsByDob, personsByNameRecord, wildcardToLike, type Impl } from './sql.ts';

/** S01: surname equal under name matching; forenames (if given) a prefix of the record's forenames. */
export const S01: Impl<'S01'> = (p) => {
  const fore = nameMatchKey(p.forenames ?? null);
  const sql = personsByNameRecord(
    (c) => `search.name_key(${c.surname}) = $1${fore === '' ? '' : ` AND starts_with(search.name_key(${c.forenames}), $2)`}`,
  );
  return ids(sql, fore === '' ? [nameMatchKey(p.surname)] : [nameMatchKey(p.surname), fore]);
};

/** S02: Soundex key of the surname equal; the initial (if given) = first letter of the forenames' name key. */
export const S02: Impl<'S02'> = (p) => {
  const initial = nameMatchKey(p.forenameInitial ?? null).slice(0, 1);
  const sql = personsByNameRecord(
    (c) => `search.soundex_key(${c.surname}) = $1${initial === '' ? '' : ` AND left(search.name_key(${c.forenames}), 1) = $2`}`,
  );
  return ids(sql, initial === '' ? [soundex(p.surname)] : [soundex(p.surname), initial]);
};

/**
 * S03: the surname's name key matches the pattern reduced like a name (accents folded, upper
 * case, blanks/apostrophes/hyphens removed), `*` any run and `?` one character. Primary names only.
 */
export const S03: Impl<'S03'> = (p) =>
  ids(`SELECT p.id FROM record.person p WHERE search.name_key(p.surname) LIKE $1 AND NOT p.restricted`, [
    wildcardToLike(nameMatchKey(p.pattern)),
  ]);

/** S04: DOB matching (periods overlap). */
export const S04: Impl<'S04'> = (p) => ids(personsByDob(), dobOverlapValues(dobInputPeriod(p.dob)));

/**
 * The birth dates b whose age on `onDate` lies in [minAge, maxAge], as an inclusive period.
 * Age = full years: year difference, minus one before the birthday (month/day comparison, so a
 * 29 February birthday falls on 1 March in other years). Null when no date qualifies (years < 1).
 */
export function birthPeriodForAges(minAge: number, maxAge: number, onDate: string): { from: string; to: string } | null {
  const y = Number(onDate.slice(0, 4));
  const m = Number(onDate.slice(5, 7));
  const d = Number(onDate.slice(8, 10));
  // latest b with age ≥ minAge: onDate's month/day in year y − minAge (29 Feb → 28 Feb)
  const hiY = y - minAge;
  if (hiY < 1) return null;
  const to = formatYmd(hiY, m, Math.min(d, daysInMonth(hiY, m)));
  // earliest b with age ≤ maxAge: the day after onDate's month/day in year y − maxAge − 1
  const loY = y - maxAge - 1;
  let from: string;
  if (loY < 1) from = '0001-01-01';
  else {
    const dd = Math.min(d, daysInMonth(loY, m));
    if (dd < daysInMonth(loY, m)) from = formatYmd(loY, m, dd + 1);
    else if (m < 12) from = formatYmd(loY, m + 1, 1);
    else from = formatYmd(loY + 1, 1, 1);
  }
  return { from, to };
}

/** S05: a person whose age on onDate could lie in [minAge, maxAge] given the DOB period; no DOB: no match. */
export const S05: Impl<'S05'> = (p) => {
  const period = birthPeriodForAges(p.minAge, p.maxAge, p.onDate);
  if (period === null) return null;
  return ids(personsByDob(), dobOverlapValues(period));
};

/** S06: Soundex key equal and the DOB period overlaps [birthYear − tolerance, birthYear + tolerance]. */
export const S06: Impl<'S06'> = (p) => {
  const period = { from: formatYmd(p.birthYear - p.tolerance, 1, 1), to: formatYmd(p.birthYear + p.tolerance, 12, 31) };
  const sql = personsByNameRecord((c) => `search.soundex_key(${c.surname}) = $5 AND ${dobOverlapSql(c, ['$1', '$2', '$3', '$4'])}`);
  return ids(sql, [...dobOverlapValues(period), soundex(p.surname)]);
};
