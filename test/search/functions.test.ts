// The SQL search functions (migration 1700000000010_search-indexes) against the JavaScript value
// rules they must equal: tokenise(), nameMatchKey(), soundex(), phoneSearchKey() and the key
// helpers of mappings/search/keys.ts. On awkward strings, and character by character over every
// code point.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { tokenise } from '../../src/transform/text.ts';
import { nameMatchKey, soundex } from '../../src/transform/names.ts';
import { phoneSearchKey } from '../../src/transform/phone.ts';
import { codeKey, fieldKey, refKey } from '../../mappings/search/keys.ts';
import { codePointRanges, pgClass } from '../../mappings/search/unicode.ts';
import { codePointMismatches } from './every-code-point.ts';

let url: string;
let c: pg.Client;

beforeAll(async () => {
  url = await createTestDatabase('search_fn');
  await migrate(url);
  c = new pg.Client(url);
  await c.connect();
});

afterAll(async () => {
  await c?.end();
  if (url) await dropTestDatabase(url);
});

const AWKWARD = [
  '', '   ', 'car-park', "O'Brien's", 'O’Brien', "O' Brien", 'd’Artagnan', 'Smith-Jones', 'Mc-Donald', 'rock‐n‐roll',
  'naïve café', 'CAFÉ', 'e\u0301cole', 'Zoë', 'José', 'Ó Súilleabháin', 'São Paulo',
  // mojibake (UTF-8 read as Windows-1252), kept as it is
  'Ã©tÃ©', 'Â£50', 'CAFÃ‰', 'â€™quoted', 'ðŸ˜€ emoji 😀', 'Å‚ódź',
  'line1\r\nline2\tTab\u000bvt\u000cff', '\u00a0nbsp\u2003em\u3000ideo\ufeffbom\u200bzwsp', ' trailing ', 'tab\tname',
  'ΣΑΣ ΟΔΟΣ. Σ', 'ΣΟΦΟΣ', 'Ὀδυσσεύς', 'ᾈ ᾼ ΐ ǰ ǅungla ǈ', 'İstanbul ı', 'straße STRASSE ẞ ſ',
  'Æsir œuvre Øresund Łódź Þór ðæ Đorđe Ħal ĸ Ŀl ŉ Ŋ Ŧ', 'ﬁnance ﬀ ĳ', 'Ｆｕｌｌｗｉｄｔｈ １２３', 'x²+y³ ½ ⅓ ¼',
  '١٢٣ ٤٥ ۱۲', '日本語テキスト', '한국어 텍스트', 'Ⅻ ①② 𝐀𝐁𝐂 𝟏𝟐', 'K Å Ω', '\u0345 \u0301 \u20dd',
  'a_b a.b a/b a\\b a%b', '4x4 0412345/19 IR/2019/0001234', 'SOCO\\12\\3456', '£100 €5 $3',
  '07700 900123', '+44 (0)20 7946 0018', '0044 7700 900123', '44 7700', 'no digits',
  '0412345/19', '412345/2019', ' 0412345/2019 ', '00412345/19', '12345678/19', 'ir/2019/0001234', '0000000/19',
  ' tx ', '28e', 'İ', 'ß',
];

describe('SQL search functions equal the JavaScript rules', () => {
  it('on awkward strings', async () => {
    const { rows } = await c.query<{
      s: string; tokens: string[]; name_key: string | null; soundex_key: string | null; phone_key: string | null;
      ref_key: string | null; field_key: string | null; code_key: string | null; js_trim: string;
    }>(
      `SELECT s, search.tokens(s) AS tokens, search.name_key(s) AS name_key, search.soundex_key(s) AS soundex_key,
              search.phone_key(s) AS phone_key, search.ref_key(s) AS ref_key, search.field_key(s) AS field_key,
              search.code_key(s) AS code_key, search.js_trim(s) AS js_trim
         FROM unnest($1::text[]) AS s`,
      [AWKWARD],
    );
    for (const r of rows) {
      const s = r.s;
      expect({ s, v: r.tokens }).toEqual({ s, v: tokenise(s) });
      expect({ s, v: r.name_key }).toEqual({ s, v: nameMatchKey(s) });
      expect({ s, v: r.soundex_key }).toEqual({ s, v: soundex(s) });
      expect({ s, v: r.phone_key }).toEqual({ s, v: phoneSearchKey(s) === '' ? null : phoneSearchKey(s) });
      expect({ s, v: r.ref_key }).toEqual({ s, v: refKey(s) });
      expect({ s, v: r.field_key }).toEqual({ s, v: fieldKey(s) });
      expect({ s, v: r.code_key }).toEqual({ s, v: codeKey(s) });
      expect({ s, v: r.js_trim }).toEqual({ s, v: s.trim() });
    }
    expect(rows).toHaveLength(AWKWARD.length);
  });

  it('tokens and their index key', async () => {
    const { rows } = await c.query(
      `SELECT search.tokens(NULL) AS a, search.tokens_tsv(search.token_text(NULL))::text AS b,
              search.tokens_tsv(search.token_text('Car-park, car PARK'))::text AS c,
              search.tokens_tsv(repeat('x', 2047) || ' y')::text AS d, search.tokens_tsv(repeat('ab ', 200000))::text AS e,
              search.token_text('') AS f`,
    );
    expect(rows[0]).toEqual({ a: [], b: '', c: "'car' 'car park' 'park' 'park car'", d: "'y'", e: "'~long'", f: '' });
  });

  it('the tuning migration (1700000000031) is applied on top of the search indexes', async () => {
    const { rows } = await c.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'person_search_dob_idx'`);
    expect(rows[0].indexdef).toContain('INCLUDE (id, restricted)');
    const { rows: gin } = await c.query(`SELECT reloptions FROM pg_class WHERE relname = 'event_search_tokens_idx'`);
    expect(gin[0].reloptions).toEqual(['gin_pending_list_limit=1024']);
  });

  it('the generated column holds the narrative’s tokens', async () => {
    await c.query(`INSERT INTO record.event (id, kind, reference, reported_at, narrative, source_system)
      VALUES ('00000000-0000-5000-8000-0000000000e1', 'crime', '0000001/20', now(), 'Car-park: O’Brien’s CAFÉ', 'CRIS')`);
    const { rows } = await c.query(`SELECT search_tokens FROM record.event WHERE reference = '0000001/20'`);
    expect(rows[0].search_tokens).toBe(tokenise('Car-park: O’Brien’s CAFÉ').join(' '));
    await c.query(`UPDATE record.event SET restricted = true WHERE reference = '0000001/20'`);
    await c.query(`DELETE FROM record.event WHERE reference = '0000001/20'`);
  });

  it('character by character, over every code point', async () => {
    // The migration (1700000000040) maps first, as JavaScript does, every code point this
    // server's case mapping or NFKD gives differently: no difference is left, on any version.
    const { checked, mismatches } = await codePointMismatches(c);
    expect(checked).toBe(260_591);
    expect(mismatches).toEqual([]);
  });

  it('the case and NFKD rules of the server were fixed where they differ from JavaScript, and only there', async () => {
    // U+1C90 (Georgian Mtavruli, Unicode 11): ICU 60 (the embedded 15–17) does not map it; U+1CCF0
    // (an outlined digit, Unicode 16): JavaScript's NFKD gives '0', PostgreSQL before 18 keeps it.
    const { rows } = await c.query(`SELECT search.js_lower(chr(7312)) AS l, search.js_upper(chr(4304)) AS u, search.js_upper('straße ǰ') AS s,
      search.js_lower('ΣΟΦΟΣ ΟΔΟΣ. Σ') AS sigma, search.js_nfkd(chr(118000)) AS outlined`);
    expect(rows[0]).toEqual({ l: '\u10D0', u: '\u1C90', s: 'STRASSE J̌', sigma: 'σοφος οδος. σ', outlined: '0' });
  });

  it('unicode.ts reproduces JavaScript classes as PostgreSQL bracket contents', () => {
    expect(codePointRanges(/^\s$/u)).toEqual([
      [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
    ]);
    expect(pgClass(/^[a-c\u{1F600}x]$/u)).toBe('\\u0061-\\u0063\\u0078\\U0001f600');
  });
});
