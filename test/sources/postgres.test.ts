import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import pg from 'pg';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { CRIS_TABLES, postgresDdl } from '../../src/sources/cris-tables.ts';
import { JS_TRAILING_SPACE, PostgresCrisSource, pgPageSql, pgPartitionSql } from '../../src/sources/postgres.ts';
import { mentionsAny, sourceHash } from '../../src/sources/changes.ts';
import { crisTableOf, rangesFromUpperBounds } from '../../src/sources/keyset.ts';
import { openCrisSource } from '../../src/sources/index.ts';
import { ConfigError, CutoverError } from '../../src/core/problems.ts';
import type { KeyRange, SourceRecord } from '../../src/sources/types.ts';

let url: string;
let emptyUrl: string;
let icu = false;

async function collect(it: AsyncIterable<SourceRecord>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}
const keys = (rs: SourceRecord[]) => rs.map((r) => r.key);

/** A test database holding the CRIS stand-in tables (schema dbo), filled by `fill`. */
async function standIn(prefix: string, fill: (c: pg.Client) => Promise<void>): Promise<string> {
  const dbUrl = await createTestDatabase(prefix);
  const c = new pg.Client(dbUrl);
  await c.connect();
  try {
    await c.query('CREATE SCHEMA dbo');
    for (const t of CRIS_TABLES) await c.query(postgresDdl(t));
    await fill(c);
  } finally {
    await c.end();
  }
  return dbUrl;
}

beforeAll(async () => {
  emptyUrl = await createTestDatabase('src_pg_empty');
  url = await standIn('src_pg', async (c) => {
    // a locale collation on one text key, so locale order (a < B) and byte order (B < a) differ
    icu = (await c.query(`SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'`)).rowCount === 1;
    if (icu) await c.query(`ALTER TABLE dbo.crime_report ALTER COLUMN cris_no TYPE varchar(12) COLLATE "und-x-icu"`);
    await c.query(`INSERT INTO dbo.address (address_id, premises, street, locality, town, postcode, easting, northing) VALUES
      (10, '12', 'High Street', NULL, 'London', 'se1 9gf', 532000, 180000),
      (9, 'Flat 1', 'Station Road', 'Walthamstow', 'London', NULL, NULL, NULL),
      (100, '', '   ', NULL, 'London', 'E17 4PP', 1, 2),
      (1, 'a', 'b', 'c', 'd', 'e', 3, 4)`);
    await c.query(`INSERT INTO dbo.crime_report (cris_no, borough, ho_class, class_desc, committed_from, committed_to, reported_dt, location_id, mo_text, status, oic, created_by, created_dt, updated_by, updated_dt, deleted) VALUES
      ('a', 'T ', '28E', 'Burglary', '2019-10-27 01:30:00', NULL, '2019-10-27 01:30:00', 10, 'line1' || chr(13) || chr(10) || chr(9) || 'line2', 'O', NULL, 'AB1234', '2019-03-31 01:30:00.5', NULL, NULL, NULL),
      ('B', 'TX', '8N', 'Assault', NULL, NULL, '2020-01-01 00:00:00', 999, NULL, 'C', 'W123', 'AB1234', NULL, NULL, NULL, 'Y'),
      ('0412345/19', 'KD', '105A', 'x', NULL, NULL, '2019-06-01 12:00:00', NULL, '', 'N', NULL, 'CD5678', NULL, NULL, NULL, 'N'),
      ('b', 'BS', '28E', 'y', NULL, NULL, '2019-06-01 12:00:00', NULL, NULL, 'R', NULL, 'CD5678', NULL, NULL, NULL, NULL),
      ('_x', 'BS', '28E', 'z', NULL, NULL, '2019-06-01 12:00:00', NULL, NULL, 'R', NULL, 'CD5678', NULL, NULL, NULL, NULL)`);
    await c.query(`INSERT INTO dbo.crime_nominal (cris_no, nominal_id, role) VALUES
      ('a', 1, 'VI'), ('B', 10, 'VI'), ('B', 9, 'WI'), ('B', 2, 'SU'), ('0412345/19', 1, 'RP'), ('b', 3, 'AC'), ('B', 9, 'AC')`);
    await c.query(`INSERT INTO dbo.audit_trail (audit_id, table_name, record_key, action, user_id, action_dt) VALUES
      (9007199254740993, 'NOMINAL', '1', 'VIEW', 'AB1234', '2019-10-27 01:30:00'),
      (10, 'SEARCH', NULL, 'SEARCH', 'AB1234', '2019-10-27 01:30:00'),
      (9, 'NOMINAL', '1', 'VIEW', 'AB1234', '2019-10-27 01:30:00')`);
    await c.query(`INSERT INTO dbo.nominal (nominal_id, surname, dob, sex) SELECT g, 'N' || g, '1900-01-01', 'M' FROM generate_series(1, 23) g`);
    await c.query(`INSERT INTO dbo.vehicle (vehicle_id, vrm) SELECT g, 'AB' || g FROM generate_series(1, 20) g`);
  });
});

afterAll(async () => {
  await dropTestDatabase(url);
  await dropTestDatabase(emptyUrl);
});

describe('PostgresCrisSource: entities and counts', () => {
  it('lists the CRIS entities with their key kinds', async () => {
    const src = new PostgresCrisSource(url);
    expect(src.system).toBe('CRIS');
    expect(Object.fromEntries(src.entities().map((e) => [e.name, e.keyKind]))).toEqual({
      ADDRESS: 'int', VEHICLE: 'int', NOMINAL: 'int', CRIME_REPORT: 'text', CRIME_NOMINAL: 'composite', CRIME_VEHICLE: 'composite', AUDIT_TRAIL: 'int',
    });
    expect(await src.count('NOMINAL')).toBe(23);
    expect(await src.count('CRIME_VEHICLE')).toBe(0);
    await src.close();
    await src.close(); // idempotent
  });

  it('masks the password in its identity', () => {
    const src = new PostgresCrisSource(url);
    expect(src.identity).not.toContain(':cutover@');
    expect(src.identity).toContain('****');
    return src.close();
  });
});

describe('PostgresCrisSource: read', () => {
  it('int keys in numeric order with values as stored', async () => {
    const src = new PostgresCrisSource(url);
    const rows = await collect(src.read('ADDRESS'));
    expect(keys(rows)).toEqual(['1', '9', '10', '100']);
    expect(rows.map((r) => r.ordinal)).toEqual([0, 1, 2, 3]);
    expect(rows[1]!.raw).toEqual({ address_id: 9, premises: 'Flat 1', street: 'Station Road', locality: 'Walthamstow', town: 'London', postcode: null, easting: null, northing: null });
    expect(rows[3]!.raw.street).toBe('   ');
    await src.close();
  });

  it('text keys in byte order (B before a), char padding kept, timestamps as text', async () => {
    const src = new PostgresCrisSource(url);
    if (icu) expect(await src.keyCollation('CRIME_REPORT')).toEqual([true]);
    const rows = await collect(src.read('CRIME_REPORT'));
    expect(keys(rows)).toEqual(['0412345/19', 'B', '_x', 'a', 'b']);
    const a = rows.find((r) => r.key === 'a')!.raw;
    expect(Object.keys(a)).toEqual(crisTableOf('CRIME_REPORT').columns.map((c) => c.name));
    expect(a.borough).toBe('T ');
    expect(a.committed_from).toBe('2019-10-27 01:30:00');
    expect(a.reported_dt).toBe('2019-10-27 01:30:00');
    expect(a.created_dt).toBe('2019-03-31 01:30:00.5');
    expect(a.mo_text).toBe('line1\r\n\tline2');
    expect(a.location_id).toBe(10);
    expect(a.deleted).toBeNull();
    expect(rows.find((r) => r.key === 'B')!.raw.deleted).toBe('Y');
    await src.close();
  });

  it('bigint keys as text, in numeric order, above 2^53 exactly', async () => {
    const src = new PostgresCrisSource(url);
    const rows = await collect(src.read('AUDIT_TRAIL'));
    expect(keys(rows)).toEqual(['9', '10', '9007199254740993']);
    expect(rows[2]!.raw.audit_id).toBe('9007199254740993');
    expect(rows[2]!.raw.action_dt).toBe('2019-10-27 01:30:00');
    expect(rows[1]!.raw.record_key).toBeNull();
    await src.close();
  });

  it('composite keys joined by |, ordered column by column (text byte-wise, ints numerically)', async () => {
    const src = new PostgresCrisSource(url);
    expect(await src.keyCollation('CRIME_NOMINAL')).toEqual([false, false, false]); // C database: the index order is already byte order
    const rows = await collect(src.read('CRIME_NOMINAL'));
    expect(keys(rows)).toEqual(['0412345/19|1|RP', 'B|2|SU', 'B|9|AC', 'B|9|WI', 'B|10|VI', 'a|1|VI', 'b|3|AC']);
    expect(rows[1]!.raw).toEqual({ cris_no: 'B', nominal_id: 2, role: 'SU' });
    await src.close();
  });

  it('reads a range: after a checkpoint key, up to a prefix bound', async () => {
    const src = new PostgresCrisSource(url, { pageSize: 2 });
    expect(keys(await collect(src.read('CRIME_NOMINAL', { after: 'B|9|AC', upTo: null })))).toEqual(['B|9|WI', 'B|10|VI', 'a|1|VI', 'b|3|AC']);
    expect(keys(await collect(src.read('CRIME_NOMINAL', { after: null, upTo: 'B' })))).toEqual(['0412345/19|1|RP', 'B|2|SU', 'B|9|AC', 'B|9|WI', 'B|10|VI']);
    expect(keys(await collect(src.read('CRIME_NOMINAL', { after: 'B', upTo: 'a|1|VI' })))).toEqual(['a|1|VI']);
    expect(keys(await collect(src.read('CRIME_NOMINAL', { after: 'B|9', upTo: 'B|10' })))).toEqual(['B|10|VI']);
    expect(keys(await collect(src.read('ADDRESS', { after: '9', upTo: '100' })))).toEqual(['10', '100']);
    expect(keys(await collect(src.read('CRIME_REPORT', { after: 'B', upTo: 'a' })))).toEqual(['_x', 'a']);
    expect(keys(await collect(src.read('AUDIT_TRAIL', { after: '10', upTo: null })))).toEqual(['9007199254740993']);
    await expect(collect(src.read('ADDRESS', { after: 'x', upTo: null }))).rejects.toBeInstanceOf(ConfigError);
    await expect(collect(src.read('CRIME_NOMINAL', { after: 'a|1|VI|x', upTo: null }))).rejects.toBeInstanceOf(ConfigError);
    await src.close();
  });

  it('reads by keys: the same records read() gives for them (int, text, bigint above 2^53, composite), keys it does not hold left out', async () => {
    const src = new PostgresCrisSource(url);
    const cases: [string, string[]][] = [
      ['ADDRESS', ['100', '9', '7']], ['ADDRESS', ['10', 'x']], ['CRIME_REPORT', ['B', '0412345/19', 'nope']],
      ['AUDIT_TRAIL', ['9007199254740993', '9']], ['CRIME_NOMINAL', ['B|9|WI', 'a|1|VI', 'B|9|ZZ']],
    ];
    for (const [entity, wanted] of cases) {
      const all = (await collect(src.read(entity))).filter((r) => wanted.includes(r.key));
      const byKeys = await collect(src.readKeys(entity, wanted));
      const byKey = (rs: SourceRecord[]) => Object.fromEntries(rs.map((r) => [r.key, r.raw]));
      expect(byKeys.length, entity).toBe(all.length);
      expect(byKey(byKeys), entity).toEqual(byKey(all));
    }
    expect(await collect(src.readKeys('NOMINAL', []))).toEqual([]);
    await src.close();
  });

  it('pages smaller than the table: every row once, in order, including an exact multiple of the page', async () => {
    const src = new PostgresCrisSource(url, { pageSize: 5 });
    const nominals = await collect(src.read('NOMINAL'));
    expect(keys(nominals)).toEqual(Array.from({ length: 23 }, (_, i) => String(i + 1)));
    expect(nominals.map((r) => r.ordinal)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(nominals[0]!.raw.dob).toBe('1900-01-01 00:00:00');
    expect(keys(await collect(src.read('VEHICLE')))).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1)));
    const one = new PostgresCrisSource(url, { pageSize: 1 });
    expect(keys(await collect(one.read('CRIME_NOMINAL')))).toEqual(['0412345/19|1|RP', 'B|2|SU', 'B|9|AC', 'B|9|WI', 'B|10|VI', 'a|1|VI', 'b|3|AC']);
    expect(await collect(one.read('CRIME_VEHICLE'))).toEqual([]);
    await Promise.all([src.close(), one.close()]);
  });

  it('releases the client when the consumer breaks early (mid-page, with a prefetch in flight)', async () => {
    const src = new PostgresCrisSource(url, { pageSize: 5, poolSize: 2 });
    let n = 0;
    for await (const r of src.read('NOMINAL')) {
      expect(src.pool.totalCount - src.pool.idleCount).toBe(1); // one client checked out while reading
      if (++n === 7) { expect(r.key).toBe('7'); break; }
    }
    expect(src.pool.totalCount).toBeGreaterThan(0);
    expect(src.pool.idleCount).toBe(src.pool.totalCount);
    expect(src.pool.waitingCount).toBe(0);
    // a consumer that throws releases it too
    await expect((async () => { for await (const _ of src.read('NOMINAL')) throw new Error('consumer failed'); })()).rejects.toThrow('consumer failed');
    expect(src.pool.idleCount).toBe(src.pool.totalCount);
    // and the pool still serves full reads (no leaked or broken client)
    for (let i = 0; i < 3; i++) expect(await collect(src.read('NOMINAL'))).toHaveLength(23);
    expect(src.pool.idleCount).toBe(src.pool.totalCount);
    await src.close();
    expect(src.pool.totalCount).toBe(0);
  });

  it('concurrent reads of several partitions share the pool', async () => {
    const src = new PostgresCrisSource(url, { pageSize: 3, poolSize: 2 });
    const parts = await src.partitions('NOMINAL', 4);
    const results = await Promise.all(parts.map((r) => collect(src.read('NOMINAL', r))));
    expect(results.flat().map((r) => Number(r.key)).sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(src.pool.idleCount).toBe(src.pool.totalCount);
    await src.close();
  });
});

describe('PostgresCrisSource: readJson (change detection hashes the server\'s JSON text)', () => {
  let jsonUrl: string;
  // every JSON escape and then some: controls, quotes, backslashes, a line separator, astral characters, padding
  const HARD = [
    `chr(1) || chr(8) || chr(9) || chr(10) || chr(12) || chr(13) || chr(31) || chr(127)`,
    `'"quoted" \\back\\ /slash/'`, `'caf' || chr(233) || ' ' || chr(8232) || chr(8233) || ' ' || chr(128512)`, `'  trailing   '`, `''`,
  ];

  beforeAll(async () => {
    jsonUrl = await standIn('src_pg_json', async (c) => {
      await c.query(`INSERT INTO dbo.address (address_id, premises, street, locality, town, postcode, easting, northing) VALUES
        ${HARD.map((h, i) => `(${i + 1}, ${h}, ${h}, NULL, 'x', NULL, ${i - 2}, NULL)`).join(', ')}`);
      await c.query(`INSERT INTO dbo.crime_report (cris_no, borough, reported_dt, committed_from, mo_text, status, location_id) VALUES
        ('A  ', 'T ', '2019-03-31 01:30:00.5', NULL, ${HARD[0]}, 'O', -7), ('0412345/19', NULL, '1900-01-01 00:00:00', '2019-10-27 01:30:00.123456', ${HARD[2]}, NULL, NULL)`);
      await c.query(`INSERT INTO dbo.crime_nominal (cris_no, nominal_id, role) VALUES ('A', 1, 'V'), ('A', 2147483647, 'SU')`);
      await c.query(`INSERT INTO dbo.audit_trail (audit_id, table_name, record_key, action, user_id, action_dt, detail) VALUES
        (9007199254740993, 'NOMINAL', '1 ', 'VIEW', 'AB1234', '2019-10-27 01:30:00', ${HARD[1]}), (-5, 'X', NULL, 'SEARCH', 'U', '2000-02-29 23:59:59.999999', NULL)`);
      await c.query(`INSERT INTO dbo.nominal (nominal_id, surname, forenames, dob, sex) SELECT g, 'N' || g, ${HARD[3]}, '1900-01-01', 'M' FROM generate_series(1, 7) g`);
    });
  });

  afterAll(async () => {
    await dropTestDatabase(jsonUrl);
  });

  /** read() as readJson should give it: key, position and JSON.stringify of the record. */
  async function asRead(src: PostgresCrisSource, entity: string) {
    return (await collect(src.read(entity))).map((r) => ({ key: r.key, ordinal: r.ordinal, json: JSON.stringify(r.raw) }));
  }
  async function asJson(src: PostgresCrisSource, entity: string) {
    const out: Array<{ key: string; ordinal: number; json: string }> = [];
    for await (const r of src.readJson(entity)) out.push(r);
    return out;
  }

  it('gives, for every entity, exactly the text JSON.stringify gives for the record read() yields, in the same order (pages of 2)', async () => {
    const src = new PostgresCrisSource(jsonUrl, { pageSize: 2 });
    for (const t of CRIS_TABLES) {
      const expected = await asRead(src, t.entity);
      expect(await asJson(src, t.entity), t.entity).toEqual(expected);
    }
    // the fixture is what it claims: hard text, a bigint above 2^53, fractional seconds, padding
    const address = await asRead(src, 'ADDRESS');
    expect(address).toHaveLength(HARD.length);
    expect(address[0]!.json).toContain('\\u0001\\b\\t\\n\\f\\r\\u001f');
    expect(JSON.parse(address[2]!.json).premises).toBe('caf\u00e9 \u2028\u2029 \u{1F600}');
    expect((await asRead(src, 'AUDIT_TRAIL')).map((r) => r.key)).toEqual(['-5', '9007199254740993']);
    expect(JSON.parse((await asRead(src, 'CRIME_REPORT'))[1]!.json)).toMatchObject({ cris_no: 'A  ', borough: 'T ', reported_dt: '2019-03-31 01:30:00.5' });
    await src.close();
  });

  /** keyHashes' COPY text as key → hash (null for `\\N`), unescaped as COPY escapes text. */
  async function hashesOf(src: PostgresCrisSource, entity: string): Promise<Map<string, string | null>> {
    const rows = await src.keyHashes(entity);
    if (!rows) throw new Error(`no server hashes for ${entity}`);
    const chunks: Buffer[] = [];
    for await (const c of rows) chunks.push(Buffer.from(c));
    const unescape = (f: string) => f.replace(/\\(.)/g, (_, ch: string) => ({ t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', v: '\v' } as Record<string, string>)[ch] ?? ch);
    const lines = Buffer.concat(chunks).toString('utf8').split('\n').slice(0, -1);
    return new Map(lines.map((l) => {
      const [k, h] = l.split('\t');
      return [unescape(k!), h === '\\N' ? null : h!];
    }));
  }

  it('keyHashes: the server hashes each record as change detection would hash the record read() gives; keysMentioning: the records mentionsAny finds', async () => {
    const c = new pg.Client(jsonUrl);
    await c.connect();
    try {
      // every character String.prototype.trimEnd removes after a value, then one it keeps (a zero-width space is not white space)
      await c.query(`INSERT INTO dbo.vehicle (vehicle_id, vrm, make, model) VALUES (1, 'V1', 'x', 'AB1' || $1), (2, 'V2', 'x', 'AB1' || chr(8203)), (3, 'CD3', 'AB1 ', NULL)`, [JS_TRAILING_SPACE]);
      await c.query(`INSERT INTO dbo.crime_vehicle (cris_no, vehicle_id, role) VALUES ('A', 3, 'OW')`);
    } finally {
      await c.end();
    }
    expect([...JS_TRAILING_SPACE].every((ch) => `a${ch}`.trimEnd() === 'a')).toBe(true);
    // and it is every such character of the BMP (the astral planes have none)
    const spaces = [];
    for (let cp = 0; cp <= 0xffff; cp++) if (`a${String.fromCharCode(cp)}`.trimEnd() === 'a') spaces.push(String.fromCharCode(cp));
    expect(spaces.join('')).toBe([...JS_TRAILING_SPACE].sort().join(''));

    const src = new PostgresCrisSource(jsonUrl);
    for (const t of CRIS_TABLES) {
      const read = await collect(src.read(t.entity));
      expect(read.length, t.entity).toBeGreaterThan(0);
      expect(await hashesOf(src, t.entity), t.entity).toEqual(new Map(read.map((r) => [r.key, sourceHash(r.raw)])));
      // the keys of records that mention one of these (any value, its trailing white space left out)
      const mentions = new Set(['AB1', '  trailing', '2147483647', 'A', '-7', '1900-01-01 00:00:00', "it's", '"quoted" \\back\\ /slash/']);
      expect((await src.keysMentioning(t.entity, mentions)).sort(), t.entity).toEqual(read.filter((r) => mentionsAny(r.raw, mentions)).map((r) => r.key).sort());
    }
    // the fixture mentions what it claims: trailing white space of every kind, a key inside a composite key, an int, a timestamp as text
    const flagged = async (entity: string, ...keys: string[]) => (await src.keysMentioning(entity, new Set(keys))).sort();
    expect(await flagged('VEHICLE', 'AB1')).toEqual(['1', '3']);
    expect(await flagged('ADDRESS', '  trailing')).toEqual(['4']);
    expect(await flagged('NOMINAL', '  trailing')).toHaveLength(7);
    expect(await flagged('CRIME_NOMINAL', '2147483647')).toEqual(['A|2147483647|SU']);
    expect(await flagged('CRIME_REPORT', '-7', '1900-01-01 00:00:00')).toEqual(['0412345/19', 'A']);
    expect(await flagged('AUDIT_TRAIL', '"quoted" \\back\\ /slash/')).toEqual(['9007199254740993']);
    expect(await flagged('AUDIT_TRAIL', "it's")).toEqual([]);
    await src.close();
  });

  it('the other column types it renders (smallint, numeric, date, boolean) give the driver\'s values too', async () => {
    const c = new pg.Client(jsonUrl);
    await c.connect();
    try {
      await c.query(`ALTER TABLE dbo.address ALTER COLUMN easting TYPE smallint, ALTER COLUMN northing TYPE numeric(12,3) USING northing::numeric,
        ALTER COLUMN locality TYPE date USING NULL, ALTER COLUMN town TYPE boolean USING true`);
      await c.query(`UPDATE dbo.address SET northing = -0.5, locality = '2000-02-29', town = false WHERE address_id = 2`);
    } finally {
      await c.end();
    }
    const src = new PostgresCrisSource(jsonUrl, { pageSize: 2 });
    const rows = await asJson(src, 'ADDRESS');
    expect(rows).toEqual(await asRead(src, 'ADDRESS'));
    expect(JSON.parse(rows[1]!.json)).toMatchObject({ easting: -1, northing: '-0.500', locality: '2000-02-29', town: false });
    await src.close();
  });

  it('a column of a type whose server JSON differs from the driver\'s value (timestamptz, real) is read through read() instead', async () => {
    const c = new pg.Client(jsonUrl);
    await c.connect();
    try {
      await c.query(`ALTER TABLE dbo.crime_report ALTER COLUMN committed_from TYPE timestamptz USING committed_from AT TIME ZONE 'UTC'`);
      await c.query(`ALTER TABLE dbo.address ALTER COLUMN easting TYPE real`);
      await c.query(`UPDATE dbo.address SET easting = 0.1 WHERE address_id = 1`);
      // what the server renders for them is not what the driver gives (a Date; a float's shortest text)
      const { rows: [r] } = await c.query(`SELECT row_to_json(x)::text AS j FROM (SELECT committed_from FROM dbo.crime_report WHERE committed_from IS NOT NULL) x`);
      expect(r.j).toContain('+00:00');
    } finally {
      await c.end();
    }
    const src = new PostgresCrisSource(jsonUrl, { pageSize: 2 });
    for (const entity of ['CRIME_REPORT', 'ADDRESS']) expect(await asJson(src, entity), entity).toEqual(await asRead(src, entity));
    expect(JSON.parse((await asJson(src, 'CRIME_REPORT'))[0]!.json).committed_from).toMatch(/Z$/); // the driver's Date
    await src.close();
  });
});

describe('PostgresCrisSource: partitions', () => {
  async function readAll(src: PostgresCrisSource, entity: string, ranges: KeyRange[]) {
    const out: string[] = [];
    for (const r of ranges) out.push(...keys(await collect(src.read(entity, r))));
    return out;
  }

  it('covers every row exactly once, in key order, for int, text, bigint and composite keys', async () => {
    const src = new PostgresCrisSource(url, { pageSize: 4 });
    for (const entity of ['NOMINAL', 'ADDRESS', 'CRIME_REPORT', 'AUDIT_TRAIL', 'CRIME_NOMINAL', 'VEHICLE']) {
      const all = keys(await collect(src.read(entity)));
      for (const n of [1, 2, 3, 4, 7, 50]) {
        const ranges = await src.partitions(entity, n);
        expect(ranges.length).toBeGreaterThanOrEqual(1);
        expect(ranges.length).toBeLessThanOrEqual(n);
        expect(ranges[0]!.after).toBeNull();
        expect(ranges[ranges.length - 1]!.upTo).toBeNull();
        for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.after).toBe(ranges[i - 1]!.upTo);
        expect(await readAll(src, entity, ranges)).toEqual(all);
      }
    }
    expect(await src.partitions('NOMINAL', 4)).toEqual([
      { after: null, upTo: '6' }, { after: '6', upTo: '12' }, { after: '12', upTo: '18' }, { after: '18', upTo: null },
    ]);
    // composite keys partition on the first column: all 'B' links stay in one range
    const links = await src.partitions('CRIME_NOMINAL', 3);
    for (const r of links) {
      const ks = keys(await collect(src.read('CRIME_NOMINAL', r)));
      if (ks.some((k) => k.startsWith('B|'))) expect(ks.filter((k) => k.startsWith('B|'))).toHaveLength(4);
    }
    expect(await src.partitions('CRIME_VEHICLE', 4)).toEqual([{ after: null, upTo: null }]);
    await expect(src.partitions('NOMINAL', 0)).rejects.toBeInstanceOf(ConfigError);
    await src.close();
  });

  it('rangesFromUpperBounds drops repeats and leaves the last range open', () => {
    expect(rangesFromUpperBounds([])).toEqual([{ after: null, upTo: null }]);
    expect(rangesFromUpperBounds(['5'])).toEqual([{ after: null, upTo: null }]);
    expect(rangesFromUpperBounds(['B', 'B', 'B', 'a'])).toEqual([{ after: null, upTo: 'B' }, { after: 'B', upTo: null }]);
  });
});

describe('PostgresCrisSource: SQL and errors', () => {
  it('builds keyset SQL with COLLATE "C" only where needed', () => {
    const cn = crisTableOf('CRIME_NOMINAL');
    expect(pgPageSql(cn, 3, 1)).toBe(
      'SELECT "cris_no", "nominal_id", "role" FROM dbo."crime_nominal" WHERE ("cris_no" COLLATE "C", "nominal_id", "role" COLLATE "C") > ($1::text, $2::integer, $3::bpchar)' +
      ' AND "cris_no" COLLATE "C" <= $4::text ORDER BY "cris_no" COLLATE "C", "nominal_id", "role" COLLATE "C" LIMIT $5');
    expect(pgPageSql(cn, 0, 0, [false, false, false])).toBe('SELECT "cris_no", "nominal_id", "role" FROM dbo."crime_nominal" ORDER BY "cris_no", "nominal_id", "role" LIMIT $1');
    expect(pgPageSql(crisTableOf('AUDIT_TRAIL'), 1, 0)).toContain('WHERE "audit_id" > $1::bigint ORDER BY "audit_id" LIMIT $2');
    expect(pgPartitionSql(crisTableOf('CRIME_REPORT'))).toContain('ntile($1) OVER (ORDER BY "cris_no" COLLATE "C")');
  });

  it('unknown entities and missing tables are clear errors', async () => {
    const src = new PostgresCrisSource(url);
    await expect(collect(src.read('PERSON'))).rejects.toBeInstanceOf(ConfigError);
    await expect(src.count('PERSON')).rejects.toThrow(/unknown CRIS entity 'PERSON'/);
    await src.close();
    const empty = new PostgresCrisSource(emptyUrl);
    const err = await collect(empty.read('NOMINAL')).catch((e: Error) => e);
    expect(err).toBeInstanceOf(CutoverError);
    expect((err as Error).message).toMatch(/reading NOMINAL \(dbo\.nominal\).*does not exist[\s\S]*cutover generate/);
    expect(empty.pool.idleCount).toBe(empty.pool.totalCount);
    await empty.close();
  });

  it('a server that is not there is a CutoverError with advice', async () => {
    const u = new URL(url);
    u.port = '1';
    const src = new PostgresCrisSource(u.toString());
    await expect(src.count('NOMINAL')).rejects.toThrow(/cannot connect to .*\*\*\*\*[\s\S]*check the URL/);
    await src.close();
  });
});

describe('openCrisSource', () => {
  it('chooses the source by URL scheme', async () => {
    const p = openCrisSource(url);
    expect(p).toBeInstanceOf(PostgresCrisSource);
    expect(await p.count('ADDRESS')).toBe(4);
    await p.close();
    expect(openCrisSource(url.replace(/^postgres:/, 'postgresql:'))).toBeInstanceOf(PostgresCrisSource);
    const { MssqlCrisSource } = await import('../../src/sources/mssql.ts');
    const m = openCrisSource('mssql://sa:secret@localhost:1433/CRIS?encrypt=false&trustServerCertificate=true');
    expect(m).toBeInstanceOf(MssqlCrisSource);
    expect(m.identity).not.toContain('secret');
    await m.close();
    expect(openCrisSource('sqlserver://sa:x@db/CRIS')).toBeInstanceOf(MssqlCrisSource);
    expect(() => openCrisSource('mysql://u:secret@h/db')).toThrow(ConfigError);
    expect(() => openCrisSource('mysql://u:secret@h/db')).toThrow(/unknown kind 'mysql'[\s\S]*postgres:\/\/[\s\S]*mssql:\/\//);
    expect(() => openCrisSource('mysql://u:secret@h/db')).not.toThrow(/secret/);
    expect(() => openCrisSource('/some/dir')).toThrow(ConfigError);
  });
});
