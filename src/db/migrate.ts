// Runs the node-pg-migrate migrations under its advisory lock, so concurrent calls are safe.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import { connect } from './pool.ts';
import { CutoverError } from '../core/problems.ts';
import { checkServer } from './preflight.ts';
import { describeUrl } from './connection.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

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
    const applied = await runner({
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
      ignorePattern: '.*\\.(map|d\\.ts)$',
    } as Parameters<typeof runner>[0]);
    // change tracking (migrations/…_change-tracking.ts): every table of record, migration and audit,
    // also those a later migration added, gets its trigger
    if (direction === 'up') await client.query(`SELECT tracking.install() WHERE to_regprocedure('tracking.install()') IS NOT NULL`);
    return applied.map((m) => m.name);
  } catch (err) {
    if (err instanceof CutoverError) throw err;
    throw new CutoverError(`migration failed: ${(err as Error).message}`, 'fix the error above and run `cutover db migrate` again; applied migrations are recorded in public.pgmigrations', { cause: err });
  } finally {
    await client.end();
  }
}
