// Runs the node-pg-migrate migrations under its advisory lock, so concurrent calls are safe. A
// target whose applied migrations are exactly the files here needs nothing, and node-pg-migrate
// is not even loaded (every command checks the schema first: 0.14 s of start-up saved).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { connect } from './pool.ts';
import { CutoverError } from '../core/problems.ts';
import { checkServer } from './preflight.ts';
import { describeUrl } from './connection.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

/** Files node-pg-migrate leaves out of MIGRATIONS_DIR (source maps, declarations). */
const IGNORED = '.*\\.(map|d\\.ts)$';

/** The migrations of MIGRATIONS_DIR by name, as node-pg-migrate records them (the file name without its extension). */
export function migrationNames(): string[] {
  const ignored = new RegExp(IGNORED);
  return readdirSync(MIGRATIONS_DIR).filter((f) => !ignored.test(f)).map((f) => f.replace(/\.[^.]+$/, '')).sort();
}

/** Whether the target's applied migrations are exactly those of MIGRATIONS_DIR. */
async function upToDate(client: pg.ClientBase): Promise<boolean> {
  const { rows: [t] } = await client.query<{ present: boolean }>(`SELECT to_regclass('public.pgmigrations') IS NOT NULL AS present`);
  if (!t?.present) return false;
  const { rows } = await client.query<{ name: string }>('SELECT name FROM public.pgmigrations');
  const applied = rows.map((r) => r.name).sort();
  const files = migrationNames();
  return applied.length === files.length && applied.every((n, i) => n === files[i]);
}

async function runMigrations(client: pg.ClientBase, direction: 'up' | 'down') {
  const { runner } = await import('node-pg-migrate');
  return runner({
    dbClient: client,
    dir: MIGRATIONS_DIR,
    direction,
    migrationsTable: 'pgmigrations',
    migrationsSchema: 'public',
    count: direction === 'up' ? Infinity : 1,
    checkOrder: true,
    // a second concurrent `db migrate` waits for the first, then finds nothing left to do
    advisoryLockMode: 'wait',
    log: () => {},
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    ignorePattern: IGNORED,
  } as Parameters<typeof runner>[0]);
}

export async function migrate(databaseUrl: string, direction: 'up' | 'down' = 'up'): Promise<string[]> {
  const client = await connect(databaseUrl, 'target');
  try {
    // what the server lacks is said before anything is written
    const d = describeUrl(databaseUrl);
    await checkServer(client, `(${d.host}:${d.port}, database ${d.database})`);
    // extensions first: the migrations and search indexes rely on them
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS fuzzystrmatch; CREATE EXTENSION IF NOT EXISTS unaccent; CREATE EXTENSION IF NOT EXISTS pgcrypto').catch((err) => {
      if (err.code !== '23505' && err.code !== '42710') throw err; // concurrent create
    });
    const applied = direction === 'up' && await upToDate(client) ? [] : (await runMigrations(client, direction)).map((m) => m.name);
    // change tracking (migrations/…_change-tracking.ts): every table of record, migration and audit,
    // also those a later migration added, gets its trigger
    if (direction === 'up') await client.query(`SELECT tracking.install() WHERE to_regprocedure('tracking.install()') IS NOT NULL`);
    return applied;
  } catch (err) {
    if (err instanceof CutoverError) throw err;
    throw new CutoverError(`migration failed: ${(err as Error).message}`, 'fix the error above and run `cutover db migrate` again; applied migrations are recorded in public.pgmigrations', { cause: err });
  } finally {
    await client.end();
  }
}
