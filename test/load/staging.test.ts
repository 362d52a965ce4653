// The loader's staging tables are temporary tables of the session, created by its first batch.
// A batch that fails rolls back everything it did, its CREATE TEMP TABLE too: the next batch on
// the same connection (a distributed worker's next job) must create them again, not assume them.
// Real PostgreSQL.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { writeBatch } from '../../src/load/batch.ts';
import { outcomeOf } from '../../src/pipeline/runner.ts';
import { mapping } from '../../mappings/cris-vehicle.ts';
import type { StepRef, PendingRecord } from '../../src/load/types.ts';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';

let url: string;
let c: pg.Client;

beforeAll(async () => {
  url = await createTestDatabase('staging');
  await migrate(url);
  c = new pg.Client({ connectionString: url });
  await c.connect();
});

afterAll(async () => {
  await c?.end();
  await dropTestDatabase(url);
});

const vehicles = (from: number, n: number): PendingRecord[] => Array.from({ length: n }, (_, i) => {
  const rec = { key: String(from + i), ordinal: 0, raw: { vehicle_id: from + i, vrm: `AB${from + i}CDE`, make: 'Ford', model: 'Focus', colour: 'Blue' } };
  return { rec, outcome: outcomeOf(mapping, rec) };
});

it('a batch after a failed first batch on the same connection creates the staging tables again', async () => {
  const { rows: [run] } = await c.query<{ id: string }>(`INSERT INTO migration.run (pipeline, status, options, source_identity) VALUES ('cris', 'running', '{}', 'test') RETURNING run_id::text AS id`);
  const step: StepRef = { runId: run!.id, pipeline: 'cris', step: 'CRIS:VEHICLE', partition: 0, system: 'CRIS', mapping, keysMayRepeat: false };
  const write = async (records: PendingRecord[]) => {
    await c.query('BEGIN');
    try {
      const r = await writeBatch(c, step, records, { lastKey: records.at(-1)!.rec.key, lastOrdinal: null, keyFrom: records[0]!.rec.key }, new Date());
      await c.query('COMMIT');
      return r;
    } catch (err) {
      await c.query('ROLLBACK');
      throw err;
    }
  };
  // the first batch of this connection is refused after its staging tables were made
  await c.query(`CREATE FUNCTION public.refuse_batch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
    CREATE TRIGGER refuse_batch BEFORE INSERT ON migration.batch FOR EACH ROW EXECUTE FUNCTION public.refuse_batch()`);
  await expect(write(vehicles(1, 3))).rejects.toThrow(/refused by the test/);
  expect((await c.query(`SELECT to_regclass('pg_temp.stage_lineage') AS t`)).rows[0].t).toBeNull();
  await c.query('DROP TRIGGER refuse_batch ON migration.batch');
  // the next batch on the same connection
  expect(await write(vehicles(1, 3))).toMatchObject({ read: 3, loaded: 3 });
  expect(await write(vehicles(4, 2))).toMatchObject({ read: 2, loaded: 2 });
  expect((await c.query('SELECT count(*)::int AS n FROM record.object')).rows[0].n).toBe(5);
});
