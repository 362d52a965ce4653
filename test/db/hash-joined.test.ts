// queryHashJoined (src/db/pool.ts): nested loops are off for its one query and back on after it,
// on a client or a pooled connection, whether the query succeeds or fails. A setting left off
// would change the plan of every later query on that connection.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryHashJoined } from '../../src/db/pool.ts';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';

let url: string;

beforeAll(async () => {
  url = await createTestDatabase('hashjoined');
});

afterAll(async () => {
  await dropTestDatabase(url);
});

const nestloop = async (db: pg.Pool | pg.ClientBase) => (await db.query<{ enable_nestloop: string }>('SHOW enable_nestloop')).rows[0]!.enable_nestloop;

describe('queryHashJoined', () => {
  it('runs its query with nested loops off and leaves the client as it was, after a success and after a failure', async () => {
    const c = new pg.Client(url);
    await c.connect();
    try {
      expect((await queryHashJoined<{ enable_nestloop: string }>(c, 'SHOW enable_nestloop')).rows[0]!.enable_nestloop).toBe('off');
      expect(await nestloop(c)).toBe('on');
      await expect(queryHashJoined(c, 'SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
      expect(await nestloop(c)).toBe('on');
      // inside a transaction the failure aborts it; the rollback restores the setting
      await c.query('BEGIN');
      await expect(queryHashJoined(c, 'SELECT 1/0')).rejects.toThrow(/division by zero/);
      await c.query('ROLLBACK');
      expect(await nestloop(c)).toBe('on');
    } finally {
      await c.end();
    }
  });

  it('on a pool: the connection goes back with nested loops on, and a failed query does not keep it', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      expect((await queryHashJoined<{ n: number }>(pool, 'SELECT $1::int AS n', [7])).rows[0]!.n).toBe(7);
      expect(await nestloop(pool)).toBe('on');
      await expect(queryHashJoined(pool, 'SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
      expect(await nestloop(pool)).toBe('on'); // the one connection came back (max 1): not leaked
      expect(pool.totalCount).toBeLessThanOrEqual(1);
    } finally {
      await pool.end();
    }
  });
});
