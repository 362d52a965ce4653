// A connection that fails answers in one line (exit 2, no stack): which connection, host:port,
// database, user, the password masked, the cause and what to do. Each cause is produced for
// real: a closed port, a wrong password, a missing database, a server that refuses unencrypted
// connections for a user (pg_hba.conf), a server without TLS asked for TLS, and a listener that
// never answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { adminUrl, createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { embeddedPaths } from '../../src/db/embedded.ts';

const PORT = Number(process.env.CUTOVER_TEST_PORT ?? 54339);
const ROLE = `tls_only_${process.pid}`;
let url: string;
let silent: net.Server;
let silentPort: number;
const held: net.Socket[] = [];

function withUser(u: string, user: string, password: string, database?: string, query = ''): string {
  const x = new URL(u);
  x.username = user;
  x.password = password;
  if (database) x.pathname = `/${database}`;
  return x.toString() + query;
}

function expectOneLine(r: CliResult, ...parts: string[]) {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^cutover: cannot connect to /);
  for (const p of parts) expect(lines[0]).toContain(p);
  expect(lines[0]).not.toContain('s3cret');
}

beforeAll(async () => {
  url = await createTestDatabase('connect_errors');
  silent = net.createServer((s) => held.push(s)); // accepts, never answers
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => silent.close(r));
  if (url) await dropTestDatabase(url);
});

describe('connection errors', () => {
  it('refused: the target, on a port where nothing listens', async () => {
    const r = await runCli(['reconcile', '--database-url', 'postgres://u:s3cret@127.0.0.1:1/x', '--cris-url', url]);
    expectOneLine(r, 'the target database (PostgreSQL 127.0.0.1:1, database x, user u, password ****): connection refused', 'start the server', '--database-url');
  });

  it('refused: the CRIS source, PostgreSQL and SQL Server', async () => {
    const pgR = await runCli(['generate', '--scale', '10', '--cris-url', 'postgres://legacy:s3cret@127.0.0.1:1/cris']);
    expectOneLine(pgR, 'the CRIS source (PostgreSQL 127.0.0.1:1, database cris, user legacy, password ****): connection refused', '--cris-url');
    const ms = await runCli(['reconcile', '--database-url', url, '--cris-url', 'mssql://sa:s3cret@127.0.0.1:1/CRIS?encrypt=false']);
    expectOneLine(ms, 'the CRIS source (SQL Server 127.0.0.1:1, database CRIS, user sa, password ****): connection refused');
  });

  it('authentication failed', async () => {
    const r = await runCli(['status', '--database-url', withUser(url, 'cutover', 's3cret')]);
    expectOneLine(r, `127.0.0.1:${PORT}`, 'user cutover, password ****): authentication failed', 'check the user name and password');
  });

  it('database missing', async () => {
    const r = await runCli(['audit', 'verify', '--database-url', withUser(url, 'cutover', 'cutover', 'no_such_db')]);
    expectOneLine(r, 'database no_such_db', 'database "no_such_db" does not exist', 'CREATE DATABASE no_such_db');
  });

  it('timed out: a listener that never answers, connect_timeout honoured', async () => {
    const t0 = Date.now();
    const r = await runCli(['db', 'migrate', '--database-url', `postgres://u:s3cret@127.0.0.1:${silentPort}/x?connect_timeout=2`]);
    expectOneLine(r, `127.0.0.1:${silentPort}`, 'timed out after 2 s', 'connect_timeout');
    expect(Date.now() - t0).toBeLessThan(60_000);
  });

  it('sslmode is honoured: require against a server without TLS is refused; prefer falls back', async () => {
    const req = await runCli(['status', '--database-url', `${url}?sslmode=require`]);
    expectOneLine(req, 'the server does not offer TLS', 'sslmode');
    const pref = await runCli(['db', 'migrate', '--database-url', `${url}?sslmode=prefer`]);
    expect(pref.stderr).toBe('');
    expect(pref.code).toBe(0);
  });

  it('TLS required: the server refuses unencrypted connections for this user', async () => {
    const hba = path.join(embeddedPaths({ home: process.env.CUTOVER_TEST_HOME ?? '.cutover/test', port: PORT }).dataDir, 'pg_hba.conf');
    expect(existsSync(hba)).toBe(true);
    const before = readFileSync(hba, 'utf8');
    const admin = new pg.Client(adminUrl());
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD 's3cret'`);
      writeFileSync(hba, `hostnossl all ${ROLE} all reject\n${before}`);
      await admin.query('SELECT pg_reload_conf()');
      const r = await runCli(['status', '--database-url', withUser(url, ROLE, 's3cret')]);
      expectOneLine(r, `user ${ROLE}, password ****): TLS required by the server`, 'sslmode=require');
    } finally {
      writeFileSync(hba, before);
      await admin.query('SELECT pg_reload_conf()');
      await admin.query(`DROP ROLE IF EXISTS ${ROLE}`);
      await admin.end();
    }
  });
});
