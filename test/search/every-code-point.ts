// The character-by-character check of the search functions against the JavaScript rules, shared
// by test/search/functions.test.ts (the default server) and the version matrix (test/matrix).
// Each character sits between letters, so that it can join, split or change the word around it.
// Planes 0–3 and the tags/variation selectors of plane 14 (planes 4–13 are unassigned, 15–16
// private use).
import type pg from 'pg';
import { tokenise } from '../../src/transform/text.ts';
import { nameMatchKey, soundex } from '../../src/transform/names.ts';

/** Code points (as U+XXXX) whose tokens, name key or Soundex key differ from JavaScript's. */
export async function codePointMismatches(c: pg.Client | pg.PoolClient): Promise<{ checked: number; mismatches: string[] }> {
  const { rows } = await c.query<{ cp: number; tokens: string[]; name_key: string; soundex_key: string | null }>(
    `SELECT cp, search.tokens(s) AS tokens, search.name_key(s) AS name_key, search.soundex_key(s) AS soundex_key
       FROM (SELECT cp, 'Ab' || chr(cp) || 'cD' AS s FROM generate_series(1, 917999) AS cp WHERE cp NOT BETWEEN 55296 AND 57343 AND (cp < 262144 OR cp >= 917504)) x`,
  );
  const mismatches: string[] = [];
  for (const r of rows) {
    const s = `Ab${String.fromCodePoint(r.cp)}cD`;
    if (JSON.stringify(tokenise(s)) !== JSON.stringify(r.tokens) || nameMatchKey(s) !== r.name_key || soundex(s) !== r.soundex_key) {
      mismatches.push(`U+${r.cp.toString(16).toUpperCase().padStart(4, '0')}`);
    }
  }
  return { checked: rows.length, mismatches };
}
