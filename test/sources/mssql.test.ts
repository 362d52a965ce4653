// The pure half of the SQL Server source, without a server: URL → config, page and partition
// SQL, row → SourceRecord, DDL. (The source itself against a real server: mssql.integration.test.ts.)
import { describe, it, expect } from 'vitest';
import { mssqlConfigFromUrl, mssqlPageSql, mssqlPartitionSql, mssqlRowToRecord, normaliseDatetimeText, keyParams, mssqlSelectExpr } from '../../src/sources/mssql-sql.ts';
import { MssqlCrisSource } from '../../src/sources/mssql.ts';
import { mssqlDdl } from '../../src/sources/mssql-ddl.ts';
import { crisTableOf } from '../../src/sources/keyset.ts';
import { CRIS_TABLES } from '../../src/sources/cris-tables.ts';
import { ConfigError } from '../../src/core/problems.ts';

describe('mssqlConfigFromUrl', () => {
  it('parses user, password, host, port, database and options', () => {
    const c = mssqlConfigFromUrl('mssql://cutover:p%40ss%3Aw0rd@db.example:14330/CRIS?encrypt=false&trustServerCertificate=true');
    expect(c).toMatchObject({
      server: 'db.example', port: 14330, database: 'CRIS', user: 'cutover', password: 'p@ss:w0rd',
      options: { encrypt: false, trustServerCertificate: true, useUTC: false, appName: 'cutover' },
    });
  });
  it('defaults: port 1433, database CRIS, encrypted, certificate checked', () => {
    const c = mssqlConfigFromUrl('sqlserver://sa:x@localhost');
    expect(c).toMatchObject({ server: 'localhost', port: 1433, database: 'CRIS', options: { encrypt: true, trustServerCertificate: false } });
    expect(c.requestTimeout).toBeGreaterThanOrEqual(60_000);
    expect(mssqlConfigFromUrl('mssql://h/').database).toBe('CRIS');
    expect(mssqlConfigFromUrl('mssql://h/Other%20Db').database).toBe('Other Db');
    expect(mssqlConfigFromUrl('mssql://h/CRIS', { poolMax: 8 }).pool?.max).toBe(8);
  });
  it('named instance instead of a port; timeouts; booleans in any spelling', () => {
    const c = mssqlConfigFromUrl('mssql://u:p@h/CRIS?instanceName=LEGACY&connectTimeout=5000&requestTimeout=0&encrypt=No&trustServerCertificate=1');
    expect(c.port).toBeUndefined();
    expect(c).toMatchObject({ connectionTimeout: 5000, requestTimeout: 0, options: { instanceName: 'LEGACY', encrypt: false, trustServerCertificate: true } });
  });
  it('rejects what it cannot use, without printing the password', () => {
    const bad = ['postgres://u:secret@h/db', 'mssql://u:secret@h/CRIS?encrypt=maybe', 'mssql://u:secret@h/CRIS?bogus=1', 'mssql://u:secret@h:1433/CRIS?instanceName=X', 'mssql://u:secret@h/CRIS?connectTimeout=soon', 'not a url'];
    for (const url of bad) {
      expect(() => mssqlConfigFromUrl(url)).toThrow(ConfigError);
      try {
        mssqlConfigFromUrl(url);
      } catch (err) {
        expect((err as Error).message).not.toContain('secret');
      }
    }
  });
});

describe('mssqlPageSql', () => {
  it('single int key: TOP (@page), key parameter cast back to int, ordered by the qualified column', () => {
    const q = mssqlPageSql(crisTableOf('ADDRESS'), 1, 0);
    expect(q.after).toEqual(['a0']);
    expect(q.upTo).toEqual([]);
    expect(q.text).toBe('SELECT TOP (@page) t.[ADDRESS_ID] AS [ADDRESS_ID], t.[PREMISES] AS [PREMISES], t.[STREET] AS [STREET], t.[LOCALITY] AS [LOCALITY], ' +
      't.[TOWN] AS [TOWN], t.[POSTCODE] AS [POSTCODE], t.[EASTING] AS [EASTING], t.[NORTHING] AS [NORTHING] FROM [dbo].[ADDRESS] AS t ' +
      'WHERE (t.[ADDRESS_ID] > CAST(@a0 AS int)) ORDER BY t.[ADDRESS_ID]');
    expect(mssqlPageSql(crisTableOf('ADDRESS'), 0, 0).text).not.toContain('WHERE');
  });

  it('text key: binary collation in the comparison and the order', () => {
    const q = mssqlPageSql(crisTableOf('CRIME_REPORT'), 1, 1);
    expect(q.text).toContain('WHERE (t.[CRIS_NO] COLLATE Latin1_General_BIN2 > @a0) AND (t.[CRIS_NO] COLLATE Latin1_General_BIN2 <= @u0)');
    expect(q.text).toMatch(/ORDER BY t\.\[CRIS_NO\] COLLATE Latin1_General_BIN2$/);
    expect(mssqlPageSql(crisTableOf('CRIME_REPORT'), 1, 0, [false]).text).toContain('WHERE (t.[CRIS_NO] > @a0) ORDER BY t.[CRIS_NO]');
  });

  it('datetimes as wall-clock text (style 121) and bigints as varchar, never through a JS Date or number', () => {
    const cr = mssqlPageSql(crisTableOf('CRIME_REPORT'), 0, 0).text;
    expect(cr).toContain('CONVERT(varchar(23), t.[REPORTED_DT], 121) AS [REPORTED_DT]');
    expect(cr).toContain('CONVERT(varchar(23), t.[COMMITTED_FROM], 121) AS [COMMITTED_FROM]');
    expect(cr).toContain('t.[MO_TEXT] AS [MO_TEXT]');
    const at = mssqlPageSql(crisTableOf('AUDIT_TRAIL'), 1, 1).text;
    expect(at).toContain('SELECT TOP (@page) CAST(t.[AUDIT_ID] AS varchar(20)) AS [AUDIT_ID]');
    // the WHERE and ORDER BY see the bigint column (t.), not the varchar alias of the same name
    expect(at).toContain('WHERE (t.[AUDIT_ID] > CAST(@a0 AS bigint)) AND (t.[AUDIT_ID] <= CAST(@u0 AS bigint)) ORDER BY t.[AUDIT_ID]');
    for (const t of CRIS_TABLES) {
      for (const c of t.columns) {
        const expr = mssqlSelectExpr(c);
        expect(expr.endsWith(`AS [${c.name.toUpperCase()}]`)).toBe(true);
        if (c.type === 'datetime') expect(expr).toMatch(/^CONVERT\(varchar\(23\), /);
      }
    }
  });

  it('composite key: the row comparison spelled out, with a seekable bound on the first column', () => {
    const cn = crisTableOf('CRIME_NOMINAL');
    const k1 = 't.[CRIS_NO] COLLATE Latin1_General_BIN2';
    const k2 = 't.[NOMINAL_ID]';
    const k3 = 't.[ROLE] COLLATE Latin1_General_BIN2';
    const q = mssqlPageSql(cn, 3, 2);
    expect(q.after).toEqual(['a0', 'a1', 'a2']);
    expect(q.upTo).toEqual(['u0', 'u1']);
    expect(q.text).toContain(
      `WHERE (${k1} >= @a0 AND ((${k1} > @a0) OR (${k1} = @a0 AND ${k2} > CAST(@a1 AS int)) OR (${k1} = @a0 AND ${k2} = CAST(@a1 AS int) AND ${k3} > @a2)))` +
      ` AND (${k1} <= @u0 AND ((${k1} < @u0) OR (${k1} = @u0 AND ${k2} <= CAST(@u1 AS int))))` +
      ` ORDER BY ${k1}, ${k2}, ${k3}`);
    // a prefix bound (a partition boundary) compares the first column only
    expect(mssqlPageSql(cn, 1, 1).text).toContain(`WHERE (${k1} > @a0) AND (${k1} <= @u0) ORDER BY`);
  });

  it('partition SQL: NTILE over the first key column in binary order', () => {
    expect(mssqlPartitionSql(crisTableOf('CRIME_NOMINAL'))).toBe(
      'SELECT CAST(MAX(s.k) AS varchar(100)) AS upto FROM (SELECT t.[CRIS_NO] COLLATE Latin1_General_BIN2 AS k, NTILE(@n) OVER (ORDER BY t.[CRIS_NO] COLLATE Latin1_General_BIN2) AS tile ' +
      'FROM [dbo].[CRIME_NOMINAL] AS t) AS s GROUP BY s.tile ORDER BY s.tile');
    expect(mssqlPartitionSql(crisTableOf('AUDIT_TRAIL'))).toContain('SELECT t.[AUDIT_ID] AS k, NTILE(@n) OVER (ORDER BY t.[AUDIT_ID])');
  });
});

describe('mssqlRowToRecord', () => {
  it('lower-cases names, keeps char padding, turns style-121 text into the PostgreSQL rendering', () => {
    const t = crisTableOf('CRIME_REPORT');
    const row = {
      CRIS_NO: '0412345/19', BOROUGH: 'T ', HO_CLASS: '28E', CLASS_DESC: 'Burglary', COMMITTED_FROM: '2019-10-27 01:30:00.000', COMMITTED_TO: null,
      REPORTED_DT: '2019-10-27 01:30:00.123', LOCATION_ID: 10, MO_TEXT: 'a\r\n\tb\u0000', STATUS: 'O', OIC: null, CREATED_BY: 'AB1234',
      CREATED_DT: '2019-03-31 01:30:00.500', UPDATED_BY: null, UPDATED_DT: null, DELETED: null,
    };
    const rec = mssqlRowToRecord(t, row, 7);
    expect(rec.key).toBe('0412345/19');
    expect(rec.ordinal).toBe(7);
    expect(Object.keys(rec.raw)).toEqual(t.columns.map((c) => c.name));
    expect(rec.raw).toMatchObject({ borough: 'T ', committed_from: '2019-10-27 01:30:00', reported_dt: '2019-10-27 01:30:00.123', created_dt: '2019-03-31 01:30:00.5', location_id: 10, mo_text: 'a\r\n\tb\u0000', committed_to: null });
  });

  it('composite keys joined by | with char padding trimmed in the key only; bigints stay text', () => {
    const rec = mssqlRowToRecord(crisTableOf('CRIME_NOMINAL'), { CRIS_NO: 'a', NOMINAL_ID: 1, ROLE: 'V ' }, 0);
    expect(rec).toEqual({ key: 'a|1|V', ordinal: 0, raw: { cris_no: 'a', nominal_id: 1, role: 'V ' } });
    expect(keyParams(crisTableOf('CRIME_NOMINAL'), rec.raw)).toEqual(['a', '1', 'V ']);
    const audit = mssqlRowToRecord(crisTableOf('AUDIT_TRAIL'), { AUDIT_ID: '9007199254740993', ACTION_DT: '2019-10-27 01:30:00.000' }, 0);
    expect(audit.key).toBe('9007199254740993');
    expect(audit.raw).toMatchObject({ audit_id: '9007199254740993', action_dt: '2019-10-27 01:30:00', reason: null });
  });

  it('normaliseDatetimeText', () => {
    expect(normaliseDatetimeText('2019-10-27 01:30:00.000')).toBe('2019-10-27 01:30:00');
    expect(normaliseDatetimeText('2019-10-27 01:30:00.120')).toBe('2019-10-27 01:30:00.12');
    expect(normaliseDatetimeText('2019-10-27 01:30:00.003')).toBe('2019-10-27 01:30:00.003');
    expect(normaliseDatetimeText('1900-01-01 00:00:00')).toBe('1900-01-01 00:00:00');
    expect(normaliseDatetimeText('garbage')).toBe('garbage');
  });
});

describe('mssqlDdl', () => {
  it('upper-case names, varchar(max) for long text, legacy collation on text, the primary key', () => {
    expect(mssqlDdl(crisTableOf('CRIME_NOMINAL'))).toBe(
      'CREATE TABLE [dbo].[CRIME_NOMINAL] (\n' +
      '  [CRIS_NO] varchar(12) COLLATE Latin1_General_CI_AS NOT NULL,\n' +
      '  [NOMINAL_ID] int NOT NULL,\n' +
      '  [ROLE] char(2) COLLATE Latin1_General_CI_AS NOT NULL,\n' +
      '  CONSTRAINT [PK_CRIME_NOMINAL] PRIMARY KEY ([CRIS_NO], [NOMINAL_ID], [ROLE])\n)');
    const cr = mssqlDdl(crisTableOf('CRIME_REPORT'));
    expect(cr).toContain('[MO_TEXT] varchar(max) COLLATE Latin1_General_CI_AS NULL');
    expect(cr).toContain('[REPORTED_DT] datetime NOT NULL');
    expect(mssqlDdl(crisTableOf('AUDIT_TRAIL'))).toContain('[AUDIT_ID] bigint NOT NULL');
  });
});

describe('MssqlCrisSource without a server', () => {
  it('builds from a URL without connecting, masks the password, lists the entities', async () => {
    const src = new MssqlCrisSource('mssql://sa:Secret123@127.0.0.1:1/CRIS?encrypt=false&connectTimeout=1000');
    expect(src.identity).not.toContain('Secret123');
    expect(src.entities().map((e) => e.keyKind)).toEqual(['int', 'int', 'int', 'text', 'composite', 'composite', 'int']);
    await src.close();
  });
  it('a server that is not there is a CutoverError with advice, and the range is checked first', async () => {
    const src = new MssqlCrisSource('mssql://sa:Secret123@127.0.0.1:1/CRIS?encrypt=false&connectTimeout=2000');
    const err = await src.count('NOMINAL').catch((e: Error) => e);
    expect((err as Error).message).toMatch(/cannot connect to mssql:\/\/sa:\*\*\*\*@127\.0\.0\.1:1\/CRIS[\s\S]*→/);
    expect((err as Error).message).not.toContain('Secret123');
    const it = src.read('NOMINAL', { after: 'twelve', upTo: null })[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toBeInstanceOf(ConfigError);
    await src.close();
  });
});
