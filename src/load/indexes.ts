// Indexes and foreign keys deferred on a first load, as pg_restore and pgloader do: maintaining
// the search, GIN and reverse-link indexes row by row costs more than the COPY itself, building
// each once after the data is a sort; and each link row's foreign-key check is a look-up per row
// (at scale 100,000, a million of them into record.person alone), where adding the key after the
// data checks every row in one join. Primary keys and unique indexes stay (the merge's ON
// CONFLICT and the link checks need them). Only tables that are empty when a run starts are
// touched: an incremental run or a delta keeps its indexes and keys live. The loader never relies
// on a key while it is deferred: it checks a link's records itself (orphans) and removes the
// links of a record it takes back (src/load/remove.ts) instead of leaving that to the cascade.
//
// Crash safety: the drop and the record of each definition (migration.deferred_index) commit in
// one transaction; each rebuild and the removal of its record commit in one transaction, under
// a lock on the record, so a killed build leaves the record and the next caller builds it
// again. A row in migration.deferred_index therefore always means "this index (or key) is
// missing". A foreign key added back checks every row: a link to a missing record fails the
// run, and the key stays recorded as missing.
import type pg from 'pg';
import { log } from '../core/log.ts';
import { CutoverError } from '../core/problems.ts';

const FOREIGN_KEY_VIOLATION = '23503';

/** Tables whose secondary indexes and foreign keys a first load may defer (loaded by the pipelines). */
export const DEFERRABLE_TABLES: readonly string[] = [
  'record.location', 'record.object', 'record.person', 'record.person_name', 'record.event',
  'record.event_person', 'record.event_location', 'record.event_object', 'record.person_location', 'record.person_object',
  'audit.event',
];

type Db = pg.Pool | pg.ClientBase;

/** Memory for one index build: GIN builds in fewer, larger runs with more of it. */
const BUILD_MEMORY = '256MB';

/**
 * Drop the secondary indexes of every deferrable table that is empty, recording their
 * definitions, in one transaction. Returns the indexes deferred (none when an earlier run's
 * indexes are still deferred: those are built when this run ends).
 */
export async function deferIndexes(client: pg.ClientBase): Promise<string[]> {
  await client.query('BEGIN');
  try {
    // one deferral at a time: a second run starting now waits, then finds the tables' state
    await client.query('LOCK TABLE migration.deferred_index IN EXCLUSIVE MODE');
    const { rows: empty } = await client.query<{ t: string }>(
      `SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NOT NULL`, [DEFERRABLE_TABLES],
    );
    const candidates: string[] = [];
    for (const { t } of empty) {
      const { rows: [r] } = await client.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM ${t}) AS empty`);
      if (r!.empty) candidates.push(t);
    }
    if (!candidates.length) {
      await client.query('COMMIT');
      return [];
    }
    // pg_get_indexdef leaves out per-column statistics targets (ALTER INDEX … SET STATISTICS):
    // they are recorded beside the definition and set again when the index is built
    const { rows } = await client.query<{ name: string; table_name: string; definition: string; after_build: string }>(
      `SELECT i.indexrelid::regclass::text AS name, i.indrelid::regclass::text AS table_name, pg_get_indexdef(i.indexrelid) AS definition,
              coalesce((SELECT string_agg(format('ALTER INDEX %s ALTER COLUMN %s SET STATISTICS %s', i.indexrelid::regclass, a.attnum, a.attstattarget), '; ' ORDER BY a.attnum)
                          FROM pg_attribute a WHERE a.attrelid = i.indexrelid AND a.attnum > 0 AND a.attstattarget >= 0), '') AS after_build
         FROM pg_index i
        WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique AND i.indisvalid
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1`,
      [candidates],
    );
    // foreign keys of the empty tables, named `table.constraint`, added back as they were
    const { rows: keys } = await client.query<{ name: string; table_name: string; definition: string; drop: string }>(
      `SELECT format('%s.%I', conrelid::regclass, conname) AS name, conrelid::regclass::text AS table_name,
              format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) AS definition,
              format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname) AS drop
         FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY($1::regclass[]) ORDER BY 1`,
      [candidates],
    );
    const deferred = [...rows, ...keys.map((k) => ({ ...k, after_build: '' }))];
    if (deferred.length) {
      await client.query(
        `INSERT INTO migration.deferred_index (index_name, table_name, definition, after_build)
         SELECT x.name, x.table_name, x.definition, x.after_build FROM jsonb_to_recordset($1::jsonb) AS x(name text, table_name text, definition text, after_build text)`,
        [JSON.stringify(deferred)],
      );
      await client.query([...keys.map((k) => k.drop), ...rows.map((r) => `DROP INDEX ${r.name}`)].join(';\n'));
    }
    await client.query('COMMIT');
    if (deferred.length) log.info(`indexes: ${rows.length} secondary indexes and ${keys.length} foreign keys of ${candidates.length} empty tables deferred until the data is loaded`);
    return deferred.map((r) => r.name);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/** Tables whose secondary indexes are deferred: a first load is filling them. */
export async function deferredTables(db: Db): Promise<Set<string>> {
  const { rows } = await db.query<{ t: string }>(`SELECT DISTINCT table_name AS t FROM migration.deferred_index`);
  return new Set(rows.map((r) => r.t));
}

/** A deferred foreign key's definition (an index's is a CREATE INDEX). */
const isForeignKey = (definition: string) => definition.startsWith('ALTER TABLE ');

/**
 * Indexes (and foreign keys) still deferred (missing): GIN indexes first (the longest builds),
 * then the largest table's first. buildDeferredIndexes adds the keys after every index.
 */
export async function deferredIndexes(db: Db): Promise<Array<{ name: string; definition: string }>> {
  const { rows } = await db.query<{ name: string; definition: string }>(
    `SELECT index_name AS name, definition FROM migration.deferred_index
      ORDER BY definition ~ ' USING gin ' DESC, pg_total_relation_size(to_regclass(table_name)) DESC NULLS LAST, index_name`,
  ).catch((err: { code?: string }) => {
    if (err.code === '42P01') return { rows: [] }; // a target migrated before deferral existed
    throw err;
  });
  return rows;
}

/** Build one deferred index (or add back one foreign key) and forget its record, atomically; false when another caller did. */
async function buildOne(client: pg.ClientBase, name: string): Promise<boolean> {
  await client.query('BEGIN');
  let definition = '';
  try {
    // the record's lock: a second builder (or the backend of a killed one) finishes first
    const { rows } = await client.query<{ definition: string; after_build: string }>(`SELECT definition, after_build FROM migration.deferred_index WHERE index_name = $1 FOR UPDATE`, [name]);
    if (!rows.length) {
      await client.query('COMMIT');
      return false;
    }
    // one parallel worker: the S14 GIN index (PostgreSQL 18 builds GIN in parallel) is most of the
    // phase, and its worker takes the core the other connection leaves once the short builds end
    await client.query(`SET LOCAL maintenance_work_mem = '${BUILD_MEMORY}'; SET LOCAL max_parallel_maintenance_workers = 1`);
    definition = rows[0]!.definition;
    await client.query(definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS '));
    if (rows[0]!.after_build) await client.query(rows[0]!.after_build);
    await client.query(`DELETE FROM migration.deferred_index WHERE index_name = $1`, [name]);
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    if (isForeignKey(definition) && (err as { code?: string }).code === FOREIGN_KEY_VIOLATION) {
      throw new CutoverError(
        `the foreign key ${name}, deferred for the first load, could not be added back: ${(err as Error).message}${(err as { detail?: string }).detail ? ` (${(err as { detail?: string }).detail})` : ''}`,
        'a link row points at a record the target does not hold, which the loader should have reported as an orphan: report it as a defect. Every row loaded is kept; the key stays deferred (migration.deferred_index) and is checked again by the next run or check',
        { cause: err },
      );
    }
    throw err;
  }
}

/**
 * Build every deferred index. From a pool, as many side by side as it has connections (two
 * builds keep two cores busy); from a client, one after another. Returns the indexes built.
 */
export async function buildDeferredIndexes(db: Db): Promise<string[]> {
  const pending = await deferredIndexes(db);
  if (!pending.length) return [];
  const t0 = Date.now();
  const keys = pending.filter((p) => isForeignKey(p.definition));
  const indexes = pending.filter((p) => !isForeignKey(p.definition));
  log.info(`indexes: building ${indexes.length} deferred indexes${keys.length ? `, then adding back ${keys.length} foreign keys` : ''}`);
  const built: string[] = [];
  const run = async (queue: Array<{ name: string }>) => {
    const worker = async (client: pg.ClientBase) => {
      for (let next = queue.shift(); next; next = queue.shift()) if (await buildOne(client, next.name)) built.push(next.name);
    };
    if (!('totalCount' in db)) return worker(db);
    const lanes = Math.max(1, Math.min(2, db.options.max ?? 2, queue.length));
    await Promise.all(Array.from({ length: lanes }, async () => {
      const client = await db.connect();
      try {
        await worker(client);
      } finally {
        client.release();
      }
    }));
  };
  // the keys once every index is built: adding one locks both its tables against a build
  await run([...indexes]);
  const indexesBuilt = built.length;
  if (keys.length) log.info(`indexes: adding ${keys.length} deferred foreign keys`);
  await run([...keys]);
  log.info(`indexes: built ${indexesBuilt} deferred indexes${keys.length ? ` and added ${built.length - indexesBuilt} foreign keys` : ''} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return built;
}
