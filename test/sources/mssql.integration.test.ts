// MssqlCrisSource against a real SQL Server. Runs only when MSSQL_URL is set, e.g.
//   MSSQL_URL='mssql://sa:Passw0rd!@localhost:1433/master?encrypt=false&trustServerCertificate=true' npx vitest run test/sources
// The login needs CREATE DATABASE: the suite creates its own scratch database (never touches the
// database in the URL), builds the dbo tables from CRIS_TABLES, and drops it afterwards.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import sql from 'mssql';
import { randomBytes } from 'node:crypto';
import { CRIS_TABLES } from '../../src/sources/cris-tables.ts';
import { mssqlDdl } from '../../src/sources/mssql-ddl.ts';
import { mssqlConfigFromUrl } from '../../src/sources/mssql-sql.ts';
import { MssqlCrisSource } from '../../src/sources/mssql.ts';
import type { KeyRange, SourceRecord } from '../../src/sources/types.ts';

const MSSQL_URL = process.env.MSSQL_URL;

async function collect(it: AsyncIterable<SourceRecord>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}
const keys = (rs: SourceRecord[]) => rs.map((r) => r.key);

describe.skipIf(!MSSQL_URL)('MssqlCrisSource (real SQL Server)', () => {
  const dbName = `CUTOVER_TEST_${randomBytes(4).toString('hex').toUpperCase()}`;
  let admin: sql.ConnectionPool;
  let url: string;

  beforeAll(async () => {
    admin = await new sql.ConnectionPool(mssqlConfigFromUrl(MSSQL_URL!)).connect();
    await admin.request().batch(`CREATE DATABASE [${dbName}] COLLATE Latin1_General_CI_AS`);
    const u = new URL(MSSQL_URL!);
    u.pathname = `/${dbName}`;
    url = u.toString();
    const db = await new sql.ConnectionPool(mssqlConfigFromUrl(url)).connect();
    try {
      for (const t of CRIS_TABLES) await db.request().batch(mssqlDdl(t));
      await db.request().batch(`
        INSERT INTO dbo.CRIME_REPORT (CRIS_NO, BOROUGH, HO_CLASS, CLASS_DESC, COMMITTED_FROM, COMMITTED_TO, REPORTED_DT, LOCATION_ID, MO_TEXT, STATUS, CREATED_BY, CREATED_DT, DELETED) VALUES
          ('a', 'T', '28E', 'Burglary', '2019-10-27T01:30:00', NULL, '2019-10-27T01:30:00', 10, 'caf' + CHAR(233) + CHAR(13) + CHAR(10) + CHAR(9) + 'x  ', 'O', 'AB1234', '2019-03-31T01:30:00.500', NULL),
          ('B', 'TX', '8N', 'Assault', NULL, NULL, '2020-01-01T00:00:00', NULL, NULL, 'C', 'AB1234', NULL, 'Y'),
          ('0412345/19', 'KD', '105A', 'x', NULL, NULL, '2019-06-01T12:00:00', NULL, '', 'N', 'CD5678', NULL, 'N'),
          ('_x', 'BS', '28E', 'z', NULL, NULL, '2019-06-01T12:00:00', NULL, NULL, 'R', 'CD5678', NULL, NULL);
        INSERT INTO dbo.AUDIT_TRAIL (AUDIT_ID, TABLE_NAME, RECORD_KEY, ACTION, USER_ID, ACTION_DT) VALUES
          (9007199254740993, 'NOMINAL', '1', 'VIEW', 'AB1234', '2019-10-27T01:30:00'),
          (10, 'SEARCH', NULL, 'SEARCH', 'AB1234', '2019-10-27T01:59:59.997'),
          (9, 'NOMINAL', '1', 'VIEW', 'AB1234', '2019-10-27T00:59:00');
        INSERT INTO dbo.CRIME_NOMINAL (CRIS_NO, NOMINAL_ID, ROLE) VALUES ('a', 1, 'VI'), ('B', 10, 'VI'), ('B', 9, 'WI'), ('B', 2, 'SU'), ('0412345/19', 1, 'RP'), ('B', 9, 'AC');
        INSERT INTO dbo.ADDRESS (ADDRESS_ID, PREMISES, TOWN) VALUES (10, '12', 'London'), (9, 'Flat 1', 'London'), (100, '', 'London');
        DECLARE @i int = 1;
        WHILE @i <= 23 BEGIN INSERT INTO dbo.NOMINAL (NOMINAL_ID, SURNAME, DOB, SEX) VALUES (@i, 'N' + CAST(@i AS varchar(3)), '1900-01-01T00:00:00', 'M'); SET @i += 1; END;`);
    } finally {
      await db.close();
    }
  });

  afterAll(async () => {
    if (!admin) return;
    await admin.request().batch(`IF DB_ID('${dbName}') IS NOT NULL BEGIN ALTER DATABASE [${dbName}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [${dbName}]; END`);
    await admin.close();
  });

  it('text keys in binary order (B before a, unlike the CI_AS collation), values exactly as stored', async () => {
    const src = new MssqlCrisSource(url);
    const rows = await collect(src.read('CRIME_REPORT'));
    expect(keys(rows)).toEqual(['0412345/19', 'B', '_x', 'a']);
    const a = rows[3]!.raw;
    expect(Object.keys(a)).toEqual(CRIS_TABLES.find((t) => t.entity === 'CRIME_REPORT')!.columns.map((c) => c.name));
    expect(a).toMatchObject({
      cris_no: 'a', borough: 'T ', committed_from: '2019-10-27 01:30:00', committed_to: null, reported_dt: '2019-10-27 01:30:00',
      created_dt: '2019-03-31 01:30:00.5', location_id: 10, mo_text: 'café\r\n\tx  ', deleted: null,
    });
    expect(rows[1]!.raw.deleted).toBe('Y');
    expect(await src.count('CRIME_REPORT')).toBe(4);
    await src.close();
  });

  it('bigint keys above 2^53 as exact text, in numeric order; datetimes never shifted', async () => {
    const src = new MssqlCrisSource(url);
    const rows = await collect(src.read('AUDIT_TRAIL'));
    expect(keys(rows)).toEqual(['9', '10', '9007199254740993']);
    expect(rows.map((r) => r.raw.action_dt)).toEqual(['2019-10-27 00:59:00', '2019-10-27 01:59:59.997', '2019-10-27 01:30:00']);
    expect(rows[2]!.raw.audit_id).toBe('9007199254740993');
    expect(keys(await collect(src.read('AUDIT_TRAIL', { after: '10', upTo: null })))).toEqual(['9007199254740993']);
    await src.close();
  });

  it('composite keys in order, ranges by checkpoint and prefix', async () => {
    const src = new MssqlCrisSource(url, { pageSize: 2 });
    const all = ['0412345/19|1|RP', 'B|2|SU', 'B|9|AC', 'B|9|WI', 'B|10|VI', 'a|1|VI'];
    expect(keys(await collect(src.read('CRIME_NOMINAL')))).toEqual(all);
    expect(keys(await collect(src.read('CRIME_NOMINAL', { after: 'B|9|AC', upTo: 'B' })))).toEqual(['B|9|WI', 'B|10|VI']);
    expect((await collect(src.read('CRIME_NOMINAL')))[0]!.raw).toEqual({ cris_no: '0412345/19', nominal_id: 1, role: 'RP' });
    await src.close();
  });

  it('pages smaller than the table, partitions covering every row once, early break returns the connection', async () => {
    const src = new MssqlCrisSource(url, { pageSize: 5, poolSize: 2 });
    const all = keys(await collect(src.read('NOMINAL')));
    expect(all).toEqual(Array.from({ length: 23 }, (_, i) => String(i + 1)));
    for (const entity of ['NOMINAL', 'CRIME_REPORT', 'CRIME_NOMINAL', 'AUDIT_TRAIL', 'ADDRESS']) {
      const whole = keys(await collect(src.read(entity)));
      for (const n of [1, 2, 3, 7]) {
        const ranges: KeyRange[] = await src.partitions(entity, n);
        expect(ranges.length).toBeLessThanOrEqual(n);
        const got: string[] = [];
        for (const r of ranges) got.push(...keys(await collect(src.read(entity, r))));
        expect(got).toEqual(whole);
      }
    }
    let n = 0;
    for await (const r of src.read('NOMINAL')) if (++n === 7) { expect(r.key).toBe('7'); break; }
    expect(src.connectionPool!.borrowed).toBe(0);
    expect(keys(await collect(src.read('NOMINAL')))).toEqual(all);
    await src.close();
  });
});
