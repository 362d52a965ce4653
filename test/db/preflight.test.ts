// `cutover db migrate` checks the server before it writes anything, and refuses (exit 2) naming
// everything that is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { adminUrl, createTestDatabase, dropTestDatabase, urlFor } from '../helpers/db.ts';
import { runCli } from '../helpers/cli.ts';
import { missingFeatures, serverFeatures } from '../../src/db/preflight.ts';

const ascii = `preflight_ascii_${process.pid}`;
let utf8Url: string;

beforeAll(async () => {
  const c = new pg.Client(adminUrl());
  await c.connect();
  await c.query(`CREATE DATABASE ${ascii} ENCODING 'SQL_ASCII' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`);
  await c.end();
  utf8Url = await createTestDatabase('preflight');
});

afterAll(async () => {
  await dropTestDatabase(urlFor(ascii));
  if (utf8Url) await dropTestDatabase(utf8Url);
});

describe('db migrate checks the server first', () => {
  it('the suite server (PostgreSQL 18) has everything', async () => {
    const c = new pg.Client(utf8Url);
    await c.connect();
    try {
      const f = await serverFeatures(c);
      expect(f.major).toBe(18);
      expect(f.caseCollation).toBe('pg_unicode_fast');
      expect(missingFeatures(f)).toEqual([]);
    } finally {
      await c.end();
    }
  });

  it('names each missing feature', () => {
    const f = { major: 14, version: '14.12', missingExtensions: ['unaccent', 'pgcrypto'], caseCollation: null, encoding: 'UTF8' };
    expect(missingFeatures(f)).toEqual([
      'PostgreSQL 15 or later (this is 14.12)',
      'the extensions unaccent, pgcrypto',
      'a collation with full Unicode case mapping (pg_unicode_fast or und-x-icu: PostgreSQL 18, or a server built with ICU)',
    ]);
  });

  it('refuses a database it cannot use with exit 2, before writing anything', async () => {
    const url = urlFor(ascii);
    const r = await runCli(['db', 'migrate', '--database-url', url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot hold Cutover\'s schema: it lacks a UTF8 database (this one is SQL_ASCII)');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const c = new pg.Client(url);
    await c.connect();
    try {
      const { rows } = await c.query(`SELECT (SELECT count(*) FROM pg_namespace WHERE nspname IN ('record', 'audit', 'migration', 'search'))::int AS schemas,
        (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql')::int AS extensions, to_regclass('public.pgmigrations') IS NULL AS no_table`);
      expect(rows[0]).toEqual({ schemas: 0, extensions: 0, no_table: true });
    } finally {
      await c.end();
    }
  });

  it('migrates a good database by URL', async () => {
    const r = await runCli(['db', 'migrate', '--database-url', utf8Url, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
