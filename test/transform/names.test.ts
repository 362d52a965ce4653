import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { cleanName, nameMatchKey, soundex } from '../../src/transform/names.ts';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';

describe('cleanName', () => {
  it('trims, collapses inner whitespace, removes NUL and keeps the recorded case', () => {
    expect(cleanName('  JOHN   PAUL ')).toBe('JOHN PAUL');
    expect(cleanName('Mary\t\r\nJane')).toBe('Mary Jane');
    expect(cleanName('O\u0000BRIEN')).toBe('OBRIEN');
    expect(cleanName('SMITH  \u0000 JONES')).toBe('SMITH JONES');
    expect(cleanName("o'Brien")).toBe("o'Brien");
    expect(cleanName('SMITH-JONES')).toBe('SMITH-JONES');
    expect(cleanName('Ó  Súilleabháin')).toBe('Ó Súilleabháin');
    expect(cleanName('VAN\u00A0DER BERG')).toBe('VAN DER BERG');
    expect(cleanName('ZOË    ')).toBe('ZOË'); // char(n) padding
  });
  it('maps NULL, empty, whitespace-only and NUL-only to null', () => {
    expect(cleanName(null)).toBeNull();
    expect(cleanName(undefined)).toBeNull();
    expect(cleanName('')).toBeNull();
    expect(cleanName('   ')).toBeNull();
    expect(cleanName('\t\r\n')).toBeNull();
    expect(cleanName('\u0000')).toBeNull();
    expect(cleanName(' \u0000 ')).toBeNull();
  });
  it('turns a number into its string form', () => {
    expect(cleanName(123)).toBe('123');
  });
});

describe('nameMatchKey', () => {
  it('equates apostrophe, space and no-space forms', () => {
    expect(nameMatchKey("O'BRIEN")).toBe('OBRIEN');
    expect(nameMatchKey('OBRIEN')).toBe('OBRIEN');
    expect(nameMatchKey('O Brien')).toBe('OBRIEN');
    expect(nameMatchKey('o’brien')).toBe('OBRIEN');
    expect(nameMatchKey(" O ' Brien ")).toBe('OBRIEN');
  });
  it('removes hyphens and inner whitespace', () => {
    expect(nameMatchKey('Smith-Jones')).toBe('SMITHJONES');
    expect(nameMatchKey('SMITH - JONES')).toBe('SMITHJONES');
    expect(nameMatchKey('van der\tBerg')).toBe('VANDERBERG');
    expect(nameMatchKey('JOHN PAUL')).toBe('JOHNPAUL');
  });
  it('folds accents', () => {
    expect(nameMatchKey('Zoë')).toBe('ZOE');
    expect(nameMatchKey('José')).toBe('JOSE');
    expect(nameMatchKey('ÉLODIE')).toBe('ELODIE');
    expect(nameMatchKey('Ó Súilleabháin')).toBe('OSUILLEABHAIN');
    expect(nameMatchKey('Müller')).toBe('MULLER');
    expect(nameMatchKey('Strauß')).toBe('STRAUSS');
    expect(nameMatchKey('Łukasz')).toBe('LUKASZ');
    expect(nameMatchKey('Søren')).toBe('SOREN');
  });
  it('keeps other punctuation and digits; null and blank give the empty key', () => {
    expect(nameMatchKey('St. John')).toBe('ST.JOHN');
    expect(nameMatchKey('Smith2')).toBe('SMITH2');
    expect(nameMatchKey(null)).toBe('');
    expect(nameMatchKey('  ')).toBe('');
    expect(nameMatchKey('O\u0000BRIEN')).toBe('OBRIEN');
  });
});

describe('soundex (hand-worked)', () => {
  it('computes PostgreSQL-style American Soundex', () => {
    expect(soundex('Robert')).toBe('R163');
    expect(soundex('Rupert')).toBe('R163');
    expect(soundex('Rubin')).toBe('R150');
    // A s=2 h=0 c=2 (h separates in PostgreSQL: code of h is 0, differs from c) r=6
    expect(soundex('Ashcraft')).toBe('A226');
    expect(soundex('Tymczak')).toBe('T522'); // y m=5 c=2 z=2(same, skipped) a k=2
    expect(soundex('Pfister')).toBe('P236'); // P=1 f=1 skipped, s=2 t=3 r=6
    expect(soundex('Lloyd')).toBe('L300');
    expect(soundex("O'Brien")).toBe('O165');
    expect(soundex('OBRIEN')).toBe('O165');
    expect(soundex('Müller')).toBe('M460');
    expect(soundex('Mueller')).toBe('M460');
    expect(soundex('Smith')).toBe('S530');
    expect(soundex('Smyth')).toBe('S530');
    expect(soundex('Lee')).toBe('L000');
    expect(soundex('A')).toBe('A000');
    expect(soundex('Jackson')).toBe('J250'); // c=2 k=2 s=2 collapse
    expect(soundex('Ó Súilleabháin')).toBe('O241');
    expect(soundex('Strauß')).toBe('S362');
    expect(soundex('smith-jones')).toBe('S532');
  });
  it('returns null when there are no letters', () => {
    expect(soundex('')).toBeNull();
    expect(soundex('123')).toBeNull();
    expect(soundex("  '-  ")).toBeNull();
    expect(soundex(null)).toBeNull();
  });
  it('ignores leading non-letters', () => {
    expect(soundex('123Smith')).toBe('S530');
    expect(soundex(' smith')).toBe('S530');
  });
});

// Our soundex() applied to a name must equal PostgreSQL soundex() applied to the same name after
// the same pre-processing (accent-fold, A–Z only, upper-case), which the search-catalog defines.
describe('soundex agrees with PostgreSQL fuzzystrmatch', () => {
  let url: string;
  let client: pg.Client;

  beforeAll(async () => {
    url = await createTestDatabase('transform_soundex');
    client = new pg.Client(url);
    await client.connect();
    await client.query('CREATE EXTENSION IF NOT EXISTS fuzzystrmatch');
  });
  afterAll(async () => {
    await client?.end();
    if (url) await dropTestDatabase(url);
  });

  function names(): string[] {
    const csv = readFileSync(new URL('./fixtures/uk-names-fake-1000.csv', import.meta.url), 'utf8');
    const out = new Set<string>();
    for (const line of csv.split(/\r?\n/).slice(1)) {
      if (line === '') continue;
      const cols = line.split(',');
      out.add(cols[1] ?? '');
      out.add(cols[2] ?? '');
      out.add(`${cols[1] ?? ''} ${cols[2] ?? ''}`);
    }
    const tricky = [
      'Ashcraft', 'Ashcroft', 'Tymczak', 'Pfister', 'Lloyd', "O'Brien", 'Müller', '', '123',
      'Honeyman', 'Schwartz', 'Washington', 'Lee', 'Gutierrez', 'Jackson', 'VanDeusen',
      'Burroughs', 'Burrows', 'Rubin', 'Robert', 'Rupert', 'Ó Súilleabháin', 'Zoë', 'Strauß',
      'Åberg', 'Ng', 'Wu', 'Hwang', 'Yhwh', 'Bbbb', 'Shaw', 'Ashworth', 'Czech', 'Ghosh',
      'MacHattie', 'McHugh', 'Kachwaha', 'A', 'a1b2c3', 'Éric', 'smith-jones', 'D’Arcy',
    ];
    for (const t of tricky) out.add(t);
    return [...out];
  }

  it('on the 1,000-name fixture and tricky names', async () => {
    const list = names();
    expect(list.length).toBeGreaterThan(300);
    const prepared = list.map((n) => n.normalize('NFKD').replace(/\p{M}+/gu, '').replace(/ß/g, 'ss').toUpperCase().replace(/[^A-Z]/g, ''));
    const { rows } = await client.query<{ i: number; s: string | null }>(
      `SELECT i::int AS i, NULLIF(soundex(x), '') AS s
         FROM unnest($1::text[]) WITH ORDINALITY AS t(x, i)`,
      [prepared],
    );
    expect(rows.length).toBe(list.length);
    const expected = new Map(rows.map((r) => [r.i - 1, r.s]));
    const mismatches: string[] = [];
    list.forEach((n, i) => {
      const mine = soundex(n);
      const theirs = expected.get(i) ?? null;
      if (mine !== theirs) mismatches.push(`${JSON.stringify(n)}: ours ${mine}, PostgreSQL ${theirs}`);
    });
    expect(mismatches).toEqual([]);
    // And a few pinned values straight from PostgreSQL.
    const pinned = await client.query<{ a: string; t: string; p: string; l: string; e: string }>(
      `SELECT soundex('ASHCRAFT') a, soundex('TYMCZAK') t, soundex('PFISTER') p, soundex('LLOYD') l, soundex('') e`,
    );
    expect(pinned.rows[0]).toEqual({ a: 'A226', t: 'T522', p: 'P236', l: 'L300', e: '' });
  });
});
