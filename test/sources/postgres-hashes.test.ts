// The CRIS stand-in's own content hashes (PostgresCrisSource.readHashes): the server's sha256 of
// each row's JSON must be sourceHash of the record read() gives, and its mention flag mentionsAny's
// answer, on values chosen to break a hand-written JSON encoder; a wrong hash may only cost a
// re-read in the delta's change detection, never hide or invent a change.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import pg from 'pg';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { CRIS_TABLES, postgresDdl } from '../../src/sources/cris-tables.ts';
import { JS_TRAILING_SPACE, PostgresCrisSource } from '../../src/sources/postgres.ts';
import { CONTENT_IS_KEY, hashedChanges, mentionsAny, sourceHash, universalChanges, type KnownRecord, type SourceChange } from '../../src/sources/changes.ts';
import type { KeyHash, Source } from '../../src/sources/types.ts';

let url: string;

// strings a JSON encoder gets wrong: quotes, backslashes, every escaped control character, DEL,
// the line and paragraph separators, astral characters, trailing spaces of every kind
const NASTY = [
  'plain', 'O\'Brien "the" \\ back\\slash', 'tab\there\nnew\r\nline', `ctl ${String.fromCharCode(1)}${String.fromCharCode(8)}${String.fromCharCode(12)}${String.fromCharCode(31)} del ${String.fromCharCode(127)}`,
  'sep \u2028 \u2029', 'astral 🚓 𝔄', 'nbsp\u00a0', 'ideographic\u3000', 'trailing   ', '', ' ', 'é composed e\u0301', '</script>', '\u00ff\u0100',
];

beforeAll(async () => {
  url = await createTestDatabase('src_pg_hash');
  const c = new pg.Client(url);
  await c.connect();
  try {
    await c.query('CREATE SCHEMA dbo');
    for (const t of CRIS_TABLES) await c.query(postgresDdl(t));
    for (const [i, s] of NASTY.entries()) {
      await c.query(`INSERT INTO dbo.address VALUES ($1, $2, $3, NULL, 'London', $4, $5, NULL)`, [i + 1, s, `${s}!`, i % 2 ? 'SE1 9GF' : null, i - 5]);
      await c.query(`INSERT INTO dbo.nominal VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, $7, $8)`,
        [i + 1, s, i % 3 ? null : 'Ann', i % 2 ? '1970-01-31 00:00:00' : '1999-12-31 23:59:59.123', i % 2 ? 'M' : null, i % 2 ? 'W1' : 'A', i + 1, i % 4 ? null : 'Y']);
      await c.query(`INSERT INTO dbo.crime_report (cris_no, borough, ho_class, reported_dt, location_id, mo_text, status, created_dt) VALUES ($1, 'T ', '28E', '2019-10-27 01:30:00', $2, $3, 'O', $4)`,
        [`${i}/19 `, i + 1, s.repeat(3), i % 2 ? '2019-03-31 01:30:00.5' : null]);
      await c.query(`INSERT INTO dbo.crime_nominal VALUES ($1, $2, 'VI')`, [`${i}/19 `, i + 1]);
      await c.query(`INSERT INTO dbo.audit_trail (audit_id, table_name, record_key, action, user_id, action_dt, reason, detail) VALUES ($1, 'NOMINAL', $2, 'VIEW', 'AB1234', '2019-10-27 01:30:00', $3, $4)`,
        [String(9007199254740993n + BigInt(i)), String(i + 1), s, JSON.stringify({ s })]);
    }
    await c.query(`INSERT INTO dbo.vehicle VALUES (1, 'AB12 CDE', 'Ford', NULL, 'Blue')`);
  } finally {
    await c.end();
  }
});

afterAll(async () => {
  await dropTestDatabase(url);
});

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('PostgresCrisSource.readHashes', () => {
  it('gives, for every row of every table, sourceHash of the record read() gives, in the same order', async () => {
    const src = new PostgresCrisSource(url, { pageSize: 4 });
    try {
      for (const t of CRIS_TABLES) {
        const records = await all(src.read(t.entity));
        const hashes = await all(src.readHashes(t.entity, []));
        expect(hashes.map((h) => h.key), t.entity).toEqual(records.map((r) => r.key));
        expect(hashes.map((h) => h.hash), t.entity).toEqual(records.map((r) => sourceHash(r.raw)));
        expect(hashes.every((h) => !h.mentions), t.entity).toBe(true);
      }
    } finally {
      await src.close();
    }
  });

  it('flags the rows that mention a key exactly as mentionsAny does (trailing spaces of every kind, numbers, padded chars)', async () => {
    const src = new PostgresCrisSource(url, { pageSize: 5 });
    const mentions = ['London', 'nbsp', 'ideographic', 'trailing', '3', '-2', 'W1', '0/19', '9007199254740995', 'Ann', 'é composed e\u0301'];
    try {
      let flagged = 0;
      for (const t of CRIS_TABLES) {
        const want = (await all(src.read(t.entity))).map((r) => mentionsAny(r.raw, new Set(mentions)));
        const got = (await all(src.readHashes(t.entity, mentions))).map((h) => h.mentions);
        expect(got, t.entity).toEqual(want);
        flagged += got.filter(Boolean).length;
      }
      expect(flagged).toBeGreaterThan(20);
    } finally {
      await src.close();
    }
  });

  it('trims exactly the characters String.prototype.trimEnd trims', () => {
    const trimmed: string[] = [];
    for (let c = 0; c <= 0xffff; c++) if (`x${String.fromCharCode(c)}`.trimEnd() === 'x') trimmed.push(String.fromCharCode(c));
    expect([...JS_TRAILING_SPACE].sort()).toEqual(trimmed.sort());
  });
});

describe('hashedChanges', () => {
  /** What the target would know after loading every row of the entity as it is now, then these edits. */
  async function knownOf(src: Source, entity: string, edit: (k: Map<string, KnownRecord>) => void): Promise<Map<string, KnownRecord>> {
    const known = new Map<string, KnownRecord>();
    for await (const r of src.read(entity)) known.set(r.key, { hash: sourceHash(r.raw), ordinal: r.ordinal, state: 'loaded' });
    edit(known);
    return known;
  }
  const summary = (cs: SourceChange[]) => cs.map((c) => `${c.kind} ${c.key} ${c.records.map((r) => JSON.stringify(r.raw)).join()}`).sort();

  it('finds the same changes as reading every record, and a wrong hash from the source costs a re-read, never a missed or invented change', async () => {
    const src = new PostgresCrisSource(url);
    try {
      const edit = (k: Map<string, KnownRecord>) => {
        k.get('3')!.hash = 'f'.repeat(64); // updated since the load
        k.delete('5'); // inserted since
        k.set('99', { hash: 'a'.repeat(64), ordinal: 0, state: 'loaded' }); // deleted since
        k.set('7', { hash: null, ordinal: 0, state: 'legacy_deleted' }); // excluded at the load, live now
      };
      const scan = async (mentions: Set<string>) => ({ known: await knownOf(src, 'NOMINAL', edit), mentions, exclude: (raw: Record<string, unknown>) => (raw.deleted === 'Y' ? 'legacy_deleted' : null) });
      for (const mentions of [new Set<string>(), new Set(['4'])]) {
        const expected = summary(await all(universalChanges(src, 'NOMINAL', await scan(mentions))));
        expect(expected.length).toBeGreaterThanOrEqual(4);
        const hashed = summary(await all(hashedChanges(src, 'NOMINAL', await scan(mentions), src.readHashes('NOMINAL', [...mentions]))));
        expect(hashed).toEqual(expected);
        // a source whose hashes are all wrong: every record is read whole, the answer is the same
        let reread = 0;
        const wrong: Source = Object.assign(Object.create(src) as Source, {
          readKeys: (e: string, keys: readonly string[]) => { reread += keys.length; return src.readKeys(e, keys); },
        });
        const garbled = (async function* (): AsyncGenerator<KeyHash> { for await (const h of src.readHashes('NOMINAL', [...mentions])) yield { ...h, hash: sourceHash(h.hash) }; })();
        expect(summary(await all(hashedChanges(wrong, 'NOMINAL', await scan(mentions), garbled)))).toEqual(expected);
        expect(reread).toBe(NASTY.length);
      }
    } finally {
      await src.close();
    }
  });

  it('a link-only record (its content is its key) is read whole only when it mentions a changed key', async () => {
    const src = new PostgresCrisSource(url);
    try {
      const known = await knownOf(src, 'CRIME_NOMINAL', (k) => { for (const v of k.values()) v.hash = CONTENT_IS_KEY; });
      const changes = await all(hashedChanges(src, 'CRIME_NOMINAL', { known, mentions: new Set(['2']) }, src.readHashes('CRIME_NOMINAL', ['2'])));
      expect(changes.map((c) => `${c.kind} ${c.key}`)).toEqual(['touch 1/19|2|VI']);
    } finally {
      await src.close();
    }
  });
});
