// Change Tracking against a real SQL Server. Runs only when MSSQL_URL is set (see
// mssql.integration.test.ts); the login needs CREATE DATABASE and ALTER DATABASE on its scratch database.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import sql from 'mssql';
import { randomBytes } from 'node:crypto';
import { CRIS_TABLES } from '../../src/sources/cris-tables.ts';
import { mssqlDdl } from '../../src/sources/mssql-ddl.ts';
import { mssqlConfigFromUrl } from '../../src/sources/mssql-sql.ts';
import { MssqlCrisSource } from '../../src/sources/mssql.ts';
import { feedChanges, sourceHash, type KnownRecord } from '../../src/sources/changes.ts';

const MSSQL_URL = process.env.MSSQL_URL;

describe.skipIf(!MSSQL_URL)('MssqlCrisSource Change Tracking (real SQL Server)', () => {
  const dbName = `CUTOVER_CT_${randomBytes(4).toString('hex').toUpperCase()}`;
  let admin: sql.ConnectionPool;
  let db: sql.ConnectionPool;
  let url: string;

  beforeAll(async () => {
    admin = await new sql.ConnectionPool(mssqlConfigFromUrl(MSSQL_URL!)).connect();
    await admin.request().batch(`CREATE DATABASE [${dbName}]; ALTER DATABASE [${dbName}] SET CHANGE_TRACKING = ON (CHANGE_RETENTION = 2 DAYS, AUTO_CLEANUP = ON)`);
    const u = new URL(MSSQL_URL!);
    u.pathname = `/${dbName}`;
    url = u.toString();
    db = await new sql.ConnectionPool(mssqlConfigFromUrl(url)).connect();
    for (const t of CRIS_TABLES) await db.request().batch(mssqlDdl(t));
    await db.request().batch(`ALTER TABLE dbo.NOMINAL ENABLE CHANGE_TRACKING;
      INSERT INTO dbo.NOMINAL (NOMINAL_ID, SURNAME, SEX) VALUES (1, 'ONE', 'M'), (2, 'TWO', 'F'), (3, 'THREE', 'M');`);
  });

  afterAll(async () => {
    await db?.close();
    if (!admin) return;
    await admin.request().batch(`IF DB_ID('${dbName}') IS NOT NULL BEGIN ALTER DATABASE [${dbName}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [${dbName}]; END`);
    await admin.close();
  });

  it('reports inserts, updates and deletions since a stored version; an identical re-save is no change', async () => {
    const src = new MssqlCrisSource(url);
    try {
      const known = new Map<string, KnownRecord>();
      for await (const r of src.read('NOMINAL')) known.set(r.key, { hash: sourceHash(r.raw), ordinal: 0, state: 'loaded' });
      const since = await src.changeVersion();
      expect(since).not.toBeNull();
      await db.request().batch(`UPDATE dbo.NOMINAL SET SURNAME = 'TWO' WHERE NOMINAL_ID = 2;
        UPDATE dbo.NOMINAL SET SURNAME = 'THREE-B' WHERE NOMINAL_ID = 3;
        DELETE FROM dbo.NOMINAL WHERE NOMINAL_ID = 1;
        INSERT INTO dbo.NOMINAL (NOMINAL_ID, SURNAME) VALUES (4, 'FOUR');`);
      const feed = await src.changeFeed('NOMINAL', since);
      expect(feed).not.toBeNull();
      const out: string[] = [];
      for await (const c of feedChanges(feed!, { known })) out.push(`${c.kind}:${c.key}`);
      expect(out.sort()).toEqual(['delete:1', 'insert:4', 'update:3']);
    } finally {
      await src.close();
    }
  });

  it('falls back (null) when the stored version is older than the minimum valid version, or tracking is off for the table', async () => {
    const src = new MssqlCrisSource(url);
    try {
      expect(await src.changeFeed('NOMINAL', '-1')).toBeNull();
      expect(await src.changeFeed('NOMINAL', null)).toBeNull();
      expect(await src.changeFeed('ADDRESS', await src.changeVersion())).toBeNull();
    } finally {
      await src.close();
    }
  });
});
