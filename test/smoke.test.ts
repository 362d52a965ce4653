import { describe, it, expect } from 'vitest';
import pg from 'pg';
import { createTestDatabase, dropTestDatabase } from './helpers/db.ts';

describe('embedded PostgreSQL', () => {
  it('runs PostgreSQL 18 with the contrib extensions the search needs', async () => {
    const url = await createTestDatabase('smoke');
    const c = new pg.Client(url);
    await c.connect();
    try {
      await c.query('CREATE EXTENSION fuzzystrmatch; CREATE EXTENSION pg_trgm; CREATE EXTENSION unaccent');
      const { rows } = await c.query(`SELECT current_setting('server_version_num')::int AS v, soundex('Robert') AS s`);
      expect(rows[0].v).toBeGreaterThanOrEqual(180000);
      expect(rows[0].s).toBe('R163');
    } finally {
      await c.end();
      await dropTestDatabase(url);
    }
  });
});
