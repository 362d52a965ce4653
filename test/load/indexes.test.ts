// A first load defers the secondary indexes of empty tables and builds them afterwards
// (src/load/indexes.ts); rows are then COPYed straight in, falling back to the merge on a
// conflict (src/load/direct.ts). Real PostgreSQL.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { buildDeferredIndexes, deferIndexes, deferredTables, DEFERRABLE_TABLES } from '../../src/load/indexes.ts';
import { REFERENCING, TARGET_ORDER } from '../../src/load/tables.ts';
import { copyOrMerge } from '../../src/load/direct.ts';
import { freshenStatistics } from '../../src/db/statistics.ts';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';

let url: string;
let pool: pg.Pool;

beforeEach(async () => {
  url = await createTestDatabase('defer');
  await migrate(url);
  pool = new pg.Pool({ connectionString: url, max: 3 });
});

afterEach(async () => {
  await pool?.end();
  await dropTestDatabase(url);
});

/** Every index of the loaded tables, by name, with its definition and per-column statistics targets set. */
async function indexes(): Promise<Record<string, string>> {
  const { rows } = await pool.query<{ name: string; def: string }>(
    `SELECT format('%I.%I', schemaname, indexname) AS name,
            indexdef || coalesce((SELECT string_agg(format(' [column %s statistics %s]', a.attnum, a.attstattarget), '' ORDER BY a.attnum)
                                    FROM pg_attribute a WHERE a.attrelid = format('%I.%I', schemaname, indexname)::regclass AND a.attnum > 0 AND a.attstattarget >= 0), '') AS def
       FROM pg_indexes
      WHERE format('%I.%I', schemaname, tablename) = ANY($1) ORDER BY 1`, [DEFERRABLE_TABLES]);
  return Object.fromEntries(rows.map((r) => [r.name, r.def]));
}

/** Every foreign key of the loaded tables, by `table.name`, with its definition. */
async function foreignKeys(): Promise<Record<string, string>> {
  const { rows } = await pool.query<{ name: string; def: string }>(
    `SELECT format('%s.%I', conrelid::regclass, conname) AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY($1) ORDER BY 1`, [DEFERRABLE_TABLES]);
  return Object.fromEntries(rows.map((r) => [r.name, r.def]));
}

async function defer(): Promise<string[]> {
  const c = await pool.connect();
  try {
    return await deferIndexes(c);
  } finally {
    c.release();
  }
}

const LOCATION = `INSERT INTO record.location (id, street, town, source_system) VALUES ('00000000-0000-5000-8000-000000000001', 'High Street', 'Croydon', 'CRIS')`;

describe('indexes deferred on a first load', () => {
  it('drops only secondary indexes of empty tables, records them, and builds them back identical', async () => {
    const before = await indexes();
    // the S14 expression's statistics are not taken (migration 0080): rebuilt, it must stay so
    expect(before['record.event_search_tokens_idx']).toContain('[column 1 statistics 0]');
    const deferred = await defer();
    expect(deferred).toContain('record.event_search_tokens_idx');
    expect(deferred).toContain('record.person_name_person_idx');
    expect(deferred).toContain('audit.audit_event_entity_idx');
    const during = await indexes();
    // primary keys and unique indexes stay: the merge's ON CONFLICT needs them
    expect(Object.keys(during).sort()).toEqual(Object.keys(before).filter((n) => !deferred.includes(n)).sort());
    expect(during['record.event_pkey']).toBeDefined();
    expect(during['record.event_reference_key']).toBeDefined();
    expect([...await deferredTables(pool)].sort()).toContain('record.event');
    // a second call while they are deferred finds the tables' indexes already recorded
    expect(await defer()).toEqual([]);

    expect((await buildDeferredIndexes(pool)).sort()).toEqual([...deferred].sort());
    expect(await indexes()).toEqual(before);
    expect((await pool.query('SELECT count(*)::int AS n FROM migration.deferred_index')).rows[0].n).toBe(0);
    expect(await buildDeferredIndexes(pool)).toEqual([]);
  });

  it('defers the foreign keys of empty tables too, and adds them back as they were', async () => {
    const before = await foreignKeys();
    expect(before['record.event_person.event_person_person_id_fkey']).toBe('FOREIGN KEY (person_id) REFERENCES record.person(id) ON DELETE CASCADE');
    const deferred = await defer();
    expect(deferred).toEqual(expect.arrayContaining(Object.keys(before)));
    expect(await foreignKeys()).toEqual({});
    await buildDeferredIndexes(pool);
    expect(await foreignKeys()).toEqual(before);
  });

  it('a foreign key added back checks every row: a link to a missing record fails the build, and the key stays deferred', async () => {
    await defer();
    // a link row to a person and an event the target does not hold (the loader would have reported an orphan)
    await pool.query(`INSERT INTO record.event_person (event_id, person_id, role) VALUES ('00000000-0000-5000-8000-00000000e001', '00000000-0000-5000-8000-00000000b001', 'suspect')`);
    await expect(buildDeferredIndexes(pool)).rejects.toThrow(/foreign key record\.event_person\.event_person_\w+_fkey, deferred for the first load, could not be added back/);
    // every index was built before the keys; the failed keys are still recorded as missing
    const { rows } = await pool.query<{ index_name: string }>('SELECT index_name FROM migration.deferred_index ORDER BY 1');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.index_name.endsWith('_fkey'))).toBe(true);
    expect(rows.map((r) => r.index_name)).toContain('record.event_person.event_person_event_id_fkey');
    // the bad row removed, the next caller adds them
    await pool.query('DELETE FROM record.event_person');
    await buildDeferredIndexes(pool);
    expect((await pool.query('SELECT count(*)::int AS n FROM migration.deferred_index')).rows[0].n).toBe(0);
    expect(Object.keys(await foreignKeys())).toContain('record.event_person.event_person_event_id_fkey');
  });

  it('the loader removes what points at a record itself, as the schema\'s foreign keys would cascade', async () => {
    // REFERENCING (src/load/remove.ts) against the schema: every foreign key into a record table, and only those
    const { rows } = await pool.query<{ target: string; table: string; column: string }>(
      `SELECT c.confrelid::regclass::text AS target, c.conrelid::regclass::text AS table, a.attname AS column
         FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY($1) AND c.confdeltype = 'c' ORDER BY 1, 2, 3`, [TARGET_ORDER]);
    const fromSchema = rows.map((r) => `${r.target} <- ${r.table}.${r.column}`);
    const ours = TARGET_ORDER.flatMap((t) => REFERENCING[t].map((r) => `${t} <- ${r.table}.${r.column}`)).sort();
    expect(ours).toEqual(fromSchema);
  });

  it('keeps the indexes of a table that already holds rows (an incremental run)', async () => {
    await pool.query(LOCATION);
    const deferred = await defer();
    expect(deferred.some((n) => n.startsWith('record.location'))).toBe(false);
    expect(deferred).toContain('record.person_name_person_idx');
    expect(await deferredTables(pool)).not.toContain('record.location');
  });

  it('any check builds what a killed run left deferred before it queries', async () => {
    const before = await indexes();
    await defer();
    // a builder killed after its CREATE INDEX committed elsewhere, before its record went: still built once
    const { rows: [one] } = await pool.query<{ definition: string }>(`SELECT definition FROM migration.deferred_index WHERE index_name = 'record.person_search_name_idx'`);
    await pool.query(one!.definition);
    await freshenStatistics(pool);
    expect(await indexes()).toEqual(before);
    expect((await pool.query('SELECT count(*)::int AS n FROM migration.deferred_index')).rows[0].n).toBe(0);
  });
});

describe('rows written straight into a table being first loaded', () => {
  const cols = ['id', 'street', 'town', 'source_system'];
  const merge = `INSERT INTO record.location AS t (id, street, town, source_system) SELECT id, street, town, source_system FROM stage_location
    ON CONFLICT (id) DO UPDATE SET (street, town, source_system) = ROW(EXCLUDED.street, EXCLUDED.town, EXCLUDED.source_system)
    WHERE (t.street, t.town, t.source_system) IS DISTINCT FROM (EXCLUDED.street, EXCLUDED.town, EXCLUDED.source_system)`;

  async function write(rows: unknown[][], direct: boolean): Promise<number> {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('CREATE TEMP TABLE IF NOT EXISTS stage_location (LIKE record.location) ON COMMIT DELETE ROWS');
      const n = await copyOrMerge(c, { table: 'record.location', stage: 'stage_location', columns: cols, merge, direct }, rows);
      await c.query('COMMIT');
      return n;
    } finally {
      c.release();
    }
  }

  const id = (i: number) => `00000000-0000-5000-8000-${String(i).padStart(12, '0')}`;
  /** Enough rows to take the direct path (small batches always merge). */
  const many = (from: number, town: string) => Array.from({ length: 600 }, (_, i) => [id(from + i), 'High Street', town, 'CRIS']);

  it('COPYs new rows in, and on a key already there falls back to the merge with the same result', async () => {
    expect(await write(many(0, 'Croydon'), true)).toBe(600);
    // 300 are there already and changed, 300 are new: the direct COPY conflicts and is undone, the merge writes all
    expect(await write(many(300, 'Bromley'), true)).toBe(600);
    const { rows } = await pool.query<{ town: string; n: number }>('SELECT town, count(*)::int AS n FROM record.location GROUP BY 1 ORDER BY 1');
    expect(rows).toEqual([{ town: 'Bromley', n: 600 }, { town: 'Croydon', n: 300 }]);
    // unchanged rows: the merge writes nothing, as it always did
    expect(await write(many(300, 'Bromley'), true)).toBe(0);
  });

  it('does not swallow other errors', async () => {
    await expect(write([...many(0, 'Croydon'), ['not-a-uuid', 'x', 'y', 'CRIS']], true)).rejects.toThrow(/uuid/);
  });
});
