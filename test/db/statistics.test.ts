// After a bulk load the planner must not plan on empty-table statistics: `cutover run` and the
// checks analyze what is stale (src/db/statistics.ts). Real PostgreSQL, autovacuum held off.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { freshenStatistics, staleTables, unvacuumedTables } from '../../src/db/statistics.ts';
import { reconcilePool } from '../../src/reconcile/db.ts';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';

let url: string;
let pool: pg.Pool;

beforeAll(async () => {
  url = await createTestDatabase('stats');
  await migrate(url);
  pool = new pg.Pool({ connectionString: url, max: 2 });
  await pool.query('ALTER TABLE record.location SET (autovacuum_enabled = false)');
  await pool.query('ALTER TABLE migration.lineage SET (autovacuum_enabled = false)');
});

afterAll(async () => {
  await pool?.end();
  await dropTestDatabase(url);
});

/** Insert in a connection of its own, closed afterwards: a backend's counters reach the cumulative statistics when it exits. */
async function load(sql: string): Promise<void> {
  const c = new pg.Client(url);
  await c.connect();
  await c.query(sql);
  await c.end();
}

async function plannedRows(): Promise<number> {
  const { rows } = await pool.query(`EXPLAIN (FORMAT JSON) SELECT * FROM record.location`);
  return rows[0]['QUERY PLAN'][0].Plan['Plan Rows'];
}

describe('planner statistics after a bulk load', () => {
  it('finds the freshly loaded tables stale, analyzes exactly those, and then finds nothing to do', async () => {
    await load(`INSERT INTO record.location (id, town, source_system)
                SELECT gen_random_uuid(), 'Town ' || g, 'CRIS' FROM generate_series(1, 20000) g`);
    let stale: string[] = [];
    for (let i = 0; i < 50 && !stale.includes('record.location'); i++) {
      stale = await staleTables(pool);
      if (!stale.includes('record.location')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(stale).toContain('record.location');
    expect(stale).not.toContain('record.person'); // empty and untouched

    expect(await unvacuumedTables(pool)).toContain('record.location');
    const done = await freshenStatistics(pool, { vacuum: true });
    expect(done.vacuumed).toContain('record.location');
    expect(done.analyzed).not.toContain('record.location');
    const { rows } = await pool.query(`SELECT last_analyze IS NOT NULL AS analyzed, last_vacuum IS NOT NULL AS vacuumed FROM pg_stat_user_tables WHERE schemaname = 'record' AND relname = 'location'`);
    expect(rows[0]).toEqual({ analyzed: true, vacuumed: true });
    expect(await plannedRows()).toBeGreaterThan(15000);

    expect(await staleTables(pool)).not.toContain('record.location');
    expect(await unvacuumedTables(pool)).not.toContain('record.location');
    expect(await freshenStatistics(pool, { vacuum: true })).toMatchObject({ vacuumed: [], analyzed: [] });
  });

  it('does the same through a single client (the parity check holds one)', async () => {
    await load(`INSERT INTO migration.lineage (source_system, source_entity, source_key, target_table, target_id, source_hash, run_id)
                SELECT 'CRIS', 'ADDRESS', g::text, 'record.location', gen_random_uuid(), 'h', 1 FROM generate_series(1, 5000) g`);
    const c = new pg.Client(url);
    await c.connect();
    try {
      let stale: string[] = [];
      for (let i = 0; i < 50 && !stale.includes('migration.lineage'); i++) {
        stale = await staleTables(c);
        if (!stale.includes('migration.lineage')) await new Promise((r) => setTimeout(r, 100));
      }
      const done = await freshenStatistics(c); // a check analyzes; it never vacuums
      expect(done.analyzed).toContain('migration.lineage');
      expect(done.vacuumed).toEqual([]);
      expect(await staleTables(c)).toEqual([]);
    } finally {
      await c.end();
    }
  });

  it('reads the flags right through a pool that parses nothing (the reconcile\'s): current tables are left alone', async () => {
    await freshenStatistics(pool, { vacuum: true });
    const text = reconcilePool(url, 2);
    try {
      expect(await staleTables(text)).toEqual([]);
      expect(await unvacuumedTables(text)).toEqual([]);
      expect(await freshenStatistics(text, { vacuum: true })).toMatchObject({ vacuumed: [], analyzed: [] });
    } finally {
      await text.end();
    }
  });
});
