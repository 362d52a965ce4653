// Pools and clients. Legacy `timestamp` (without time zone) values are Europe/London wall-clock
// times: they are read as text and converted by the time rule, never by the driver.
import pg from 'pg';
import { CutoverError } from '../core/problems.ts';
import { clientConfig, connectionError, type ConnectionRole } from './connection.ts';

pg.types.setTypeParser(1114, (v: string) => v); // timestamp without time zone → text as stored
pg.types.setTypeParser(1082, (v: string) => v); // date → 'YYYY-MM-DD'
pg.types.setTypeParser(20, (v: string) => v); // bigint → text (no precision loss)
pg.types.setTypeParser(1700, (v: string) => v); // numeric → text

export type Pool = pg.Pool;
export type Client = pg.PoolClient | pg.Client;

/** A pool of `max` connections; `settings` are session settings every connection starts with. */
export function createPool(url: string, max = 10, settings: Record<string, string | number> = {}): pg.Pool {
  const options = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`).join(' ');
  const pool = new pg.Pool({ ...clientConfig(url, { options }), max });
  pool.on('error', () => {}); // idle-client errors surface on the next query
  return pool;
}

/**
 * A query that joins link rows to lineage twice (the link-only records' known state, their control
 * total), run with nested loops off. The planner estimates such a join at a few thousand rows when
 * it gives all of them, and then probes lineage once per link row: at scale 100,000 it estimated
 * 5,895 rows for 184,255 and took 1.07 s, against 0.59 s with hash joins. The setting is the
 * session's for this one query (RESET after it; a failure inside a transaction rolls it back).
 */
export async function queryHashJoined<R extends pg.QueryResultRow>(db: pg.Pool | pg.ClientBase, query: string | { text: string; rowMode: 'array' }, values: unknown[] = []): Promise<pg.QueryResult<R>> {
  const client = 'totalCount' in db ? await db.connect() : db;
  let failed = false;
  try {
    await client.query('SET enable_nestloop = off');
    return await client.query<R>(typeof query === 'string' ? { text: query, values } : { ...query, values } as pg.QueryConfig);
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    await client.query('RESET enable_nestloop').catch(() => {});
    if ('totalCount' in db) (client as pg.PoolClient).release(failed);
  }
}

/** Connect one client; a failure is one line naming the connection, its cause and what to do (exit 2). */
export async function connect(url: string, role?: ConnectionRole): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(url));
  try {
    await client.connect();
  } catch (err) {
    throw connectionError(err, url, role);
  }
  client.on('error', () => {});
  return client;
}

/**
 * Check that a PostgreSQL URL connects, and return the URL to use from then on: with
 * sslmode=prefer (libpq: TLS when the server offers it), a server without TLS is tried again
 * with sslmode=disable, and that is what the command's other connections use.
 */
export async function probePostgres(url: string, role: ConnectionRole): Promise<string> {
  try {
    await (await connect(url, role)).end();
    return url;
  } catch (err) {
    const u = new URL(url);
    if (u.searchParams.get('sslmode') === 'prefer' && /does not support SSL/i.test(String((err as Error).cause))) {
      u.searchParams.set('sslmode', 'disable');
      await (await connect(u.toString(), role)).end();
      return u.toString();
    }
    throw err;
  }
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
