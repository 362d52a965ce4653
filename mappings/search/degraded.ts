// TEST-ONLY target profile that behaves like the complaints about the new platform, so the
// parity check can be seen to catch them. Never point a real parity run at it.
//
// - S02 phonetic search is missing                   → NotSupportedError (verdict LOST);
// - S04 compares the DOB as one exact date: a partial DOB (stored or typed) is read as the first
//   day of its period, so `00/03/1985` finds only people stored as 1 March 1985 → DEGRADED;
// - S07 matches a district by plain prefix: `SE1` also finds `SE10 …`, `SE19 …` → DEGRADED;
// - S14 splits the narrative on blanks only: `car-park` or `station.` are single tokens, so
//   `car` or `station` miss them → DEGRADED.
// Every other capability is the SQL adapter's.
import type pg from 'pg';
import { normalisePostcodeQuery } from '../../src/transform/postcode.ts';
import { parseCrimintDob } from '../../src/transform/dob.ts';
import { createSqlSearch, type SqlSearch } from './index.ts';
import { escapeLike, ids, type Impl } from './sql.ts';

/** S04 (degraded): exact date equality, precision ignored on both sides. */
const S04: Impl<'S04'> = (p) => {
  const d = parseCrimintDob(p.dob);
  const date = 'error' in d ? null : d.date;
  return ids(
    `SELECT p.id FROM record.person p WHERE p.date_of_birth = $1::date AND NOT p.restricted
     UNION
     SELECT p.id FROM record.person_name n JOIN record.person p ON p.id = n.person_id
      WHERE n.date_of_birth = $1::date AND NOT p.restricted`,
    [date],
  );
};

/** S07 (degraded): a district or sector is a plain prefix of the postcode. */
const S07: Impl<'S07'> = (p) => {
  const q = normalisePostcodeQuery(p.postcode)!;
  if (q.kind === 'full') return ids(`SELECT id FROM record.location WHERE postcode = $1`, [q.value]);
  return ids(`SELECT id FROM record.location WHERE postcode LIKE $1`, [`${escapeLike(q.value)}%`]);
};

/** Blank-split, lower-cased words (the degraded tokeniser). */
function blankWords(s: string | undefined): string[] {
  return (s ?? '').toLowerCase().split(/\s+/u).filter((w) => w !== '');
}

/** S14 (degraded): tokens are blank-separated, lower-cased words; `*` prefix and phrases kept. */
const S14: Impl<'S14'> = (p) => {
  const pieces = blankWords(p.words);
  const words = pieces.filter((w) => !w.endsWith('*'));
  const prefixes = pieces.filter((w) => w.endsWith('*')).map((w) => w.replace(/\*+$/u, '')).filter((w) => w !== '');
  const phrase = blankWords(p.phrase);
  return ids(
    `SELECT e.id FROM record.event e
       CROSS JOIN LATERAL (SELECT array_remove(regexp_split_to_array(lower(coalesce(e.narrative, '')), '\\s+'), '') AS tk OFFSET 0) x
      WHERE NOT e.restricted AND tk @> $1::text[]
        AND NOT EXISTS (SELECT 1 FROM unnest($2::text[]) AS pre WHERE NOT EXISTS (SELECT 1 FROM unnest(tk) AS t WHERE starts_with(t, pre)))
        AND (cardinality($3::text[]) = 0 OR (chr(1) || array_to_string(tk, chr(1)) || chr(1)) LIKE ('%' || chr(1) || $4 || chr(1) || '%'))`,
    [words, prefixes, phrase, escapeLike(phrase.join('\u0001'))],
  );
};

/** The degraded test profile over the record schema at `target`. */
export function createDegradedSearch(target: string | pg.Pool): SqlSearch {
  return createSqlSearch(target, {
    name: 'degraded (test profile)',
    implementations: { S02: undefined, S04, S07, S14 },
  });
}
