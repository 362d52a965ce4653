// Test databases on the suite's embedded server: real PostgreSQL, no mocks.
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export function adminUrl(): string {
  const url = process.env.CUTOVER_TEST_ADMIN_URL;
  if (!url) throw new Error('CUTOVER_TEST_ADMIN_URL is not set: run the tests through vitest (global setup)');
  return url;
}

export function urlFor(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

/** Create a fresh, uniquely named database and return its URL. */
export async function createTestDatabase(prefix: string): Promise<string> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client(adminUrl());
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  return urlFor(name);
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const c = new pg.Client(adminUrl());
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await c.end();
  }
}
