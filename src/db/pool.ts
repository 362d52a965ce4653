// Pools and clients. Legacy `timestamp` (without time zone) values are Europe/London wall-clock
// times: they are read as text and converted by the time rule, never by the driver.
import pg from 'pg';
import { CutoverError } from '../core/problems.ts';
import { maskUrl } from '../core/log.ts';

pg.types.setTypeParser(1114, (v: string) => v); // timestamp without time zone → text as stored
pg.types.setTypeParser(1082, (v: string) => v); // date → 'YYYY-MM-DD'
pg.types.setTypeParser(20, (v: string) => v); // bigint → text (no precision loss)
pg.types.setTypeParser(1700, (v: string) => v); // numeric → text

export type Pool = pg.Pool;
export type Client = pg.PoolClient | pg.Client;

export function createPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'cutover' });
  pool.on('error', () => {}); // idle-client errors surface on the next query
  return pool;
}

/** Connect one client with a message that says what to do when the server is not there. */
export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'cutover' });
  try {
    await client.connect();
  } catch (err) {
    throw new CutoverError(`cannot connect to ${maskUrl(url)}: ${(err as Error).message}`, 'check the URL, that the server is running, and the credentials', { cause: err });
  }
  client.on('error', () => {});
  return client;
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await connect(url);
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Drop and create a database again (the demo starts from an empty target). */
export async function recreateDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new CutoverError(`will not recreate a database named "${name}"`);
  u.pathname = '/postgres';
  await withClient(u.toString(), async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
}
