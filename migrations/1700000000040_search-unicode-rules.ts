// The search functions on PostgreSQL 15 to 18 (src/db/unicode-rules.ts says why and how).
//
// 1700000000010 wrote the case mapping with the builtin collation pg_unicode_fast, which only
// PostgreSQL 18 has. This migration picks the case collation the server has (pg_unicode_fast,
// else ICU's und-x-icu), compares upper(), lower() and normalize(NFKD) with JavaScript's over
// every code point, and recreates the key functions so that each code point the server maps
// differently is first mapped as JavaScript does. It then checks the result over every code
// point again and refuses (nothing applied: the migration's transaction rolls back) if any
// still differs. `cutover db migrate` checks for the collation before it writes anything
// (src/db/preflight.ts).
//
// On a target that already holds data, the indexes over these functions are rebuilt and the
// stored S14 tokens recomputed where they changed.
import type { MigrationBuilder } from 'node-pg-migrate';
import { FOLDS, MARK, SPACE, LETTER_OR_DIGIT } from './1700000000010_search-indexes.ts';
import { caseCollation, fixSql, remainingDifferences, unicodeFixes } from '../src/db/unicode-rules.ts';

export async function up(pgm: MigrationBuilder): Promise<void> {
  const collation = await caseCollation(pgm.db);
  if (!collation) {
    throw new Error('the search functions need a collation with full Unicode case mapping (pg_unicode_fast on PostgreSQL 18, or und-x-icu: PostgreSQL built with ICU)');
  }
  const fixes = await unicodeFixes(pgm.db, collation);
  const coll = `COLLATE pg_catalog."${collation}"`;
  await pgm.db.query(`
    -- String.prototype.toUpperCase / toLowerCase and String.prototype.normalize('NFKD'), on this
    -- server (${collation}; code points fixed first: upper ${fixes.upper.length}, lower ${fixes.lower.length}, NFKD ${fixes.nfkd.length}).
    CREATE OR REPLACE FUNCTION search.js_upper(t text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN upper(${fixSql('t', fixes.upper)} ${coll});
    CREATE OR REPLACE FUNCTION search.js_lower(t text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN lower(${fixSql('t', fixes.lower)} ${coll});
    CREATE OR REPLACE FUNCTION search.js_nfkd(t text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN normalize(${fixSql('t', fixes.nfkd)}, NFKD);
  `);
  const remaining = await remainingDifferences(pgm.db, fixes, {
    upper: (c) => `search.js_upper(${c})`, lower: (c) => `search.js_lower(${c})`, nfkd: (c) => `search.js_nfkd(${c})`,
  });
  if (remaining.length) {
    throw new Error(`this server's Unicode rules (${collation}) still differ from JavaScript's after the fixes, at ${remaining.length} code points: ${remaining.slice(0, 10).join(', ')}`);
  }
  const nfkdChars = fixes.nfkd.map((f) => `\\U${f.from.codePointAt(0)!.toString(16).padStart(8, '0')}`).join('');
  pgm.sql(`
    CREATE OR REPLACE FUNCTION search.fold(t text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN CASE WHEN t !~ '[${FOLDS}${nfkdChars}]' THEN t ELSE
        search.fold_letters(regexp_replace(search.js_nfkd(t), '[${MARK}]+', '', 'g'))
      END;

    CREATE OR REPLACE FUNCTION search.name_key(t text) RETURNS text
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 20
      AS $fn$
      BEGIN
        RETURN regexp_replace(search.js_upper(search.fold(t)), '[${SPACE}''’-]+', '', 'g');
      END
      $fn$;

    CREATE OR REPLACE FUNCTION search.soundex_key(t text) RETURNS text
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 20
      AS $fn$
      BEGIN
        RETURN nullif(search.fuzzy_soundex(regexp_replace(search.js_upper(search.fold(t)) COLLATE pg_catalog."C", '[^A-Z]+', '', 'g')), '');
      END
      $fn$;

    CREATE OR REPLACE FUNCTION search.tokens(t text) RETURNS text[]
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000
      AS $fn$
      BEGIN
        RETURN coalesce(array_remove(regexp_split_to_array(
          search.js_lower(search.fold(search.js_lower(t))),
          '[^${LETTER_OR_DIGIT}]+'), ''), '{}');
      END
      $fn$;

    CREATE OR REPLACE FUNCTION search.ref_key(t text) RETURNS text
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 20
      AS $fn$
      DECLARE
        v text := search.js_trim(t);
      BEGIN
        IF v IS NULL OR v = '' THEN RETURN NULL; END IF;
        IF v ~ '^[0-9]{1,10}/([0-9]{2}|[0-9]{4})$' THEN
          IF split_part(v, '/', 1)::bigint < 10000000 THEN
            RETURN 'C' || split_part(v, '/', 1)::bigint || '/' || right(v, 2);
          END IF;
        END IF;
        RETURN 'U' || search.js_upper(v);
      END
      $fn$;

    CREATE OR REPLACE FUNCTION search.field_key(t text) RETURNS text
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 20
      AS $fn$
      BEGIN
        RETURN nullif(search.js_lower(search.js_trim(t)), '');
      END
      $fn$;

    CREATE OR REPLACE FUNCTION search.code_key(t text) RETURNS text
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 20
      AS $fn$
      BEGIN
        RETURN nullif(search.js_upper(search.js_trim(t)), '');
      END
      $fn$;

    -- A target that already holds data: its keys may have changed (only ever towards JavaScript's).
    DO $refresh$
    DECLARE
      ix record;
    BEGIN
      IF EXISTS (SELECT 1 FROM record.event) THEN
        UPDATE record.event SET narrative = narrative WHERE search_tokens IS DISTINCT FROM search.token_text(narrative);
      END IF;
      FOR ix IN SELECT format('%I.%I', schemaname, indexname) AS name FROM pg_indexes
                 WHERE schemaname IN ('record', 'audit') AND indexdef ~ 'search\\.' LOOP
        EXECUTE 'REINDEX INDEX ' || ix.name;
      END LOOP;
    END
    $refresh$;
  `);
}

export async function down(): Promise<void> {
  // The functions of 1700000000010 come back only with it (they need PostgreSQL 18).
}
