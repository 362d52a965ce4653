// Migration 090: a target loaded before inline items' lineage rows held 0 as their read position
// gets them set to 0, so it matches a target loaded now; a record's own position is kept.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';

let url: string;

beforeAll(async () => {
  url = await createTestDatabase('itempos');
  await migrate(url);
});

afterAll(async () => {
  await dropTestDatabase(url);
});

it('sets the read position of inline items\' lineage rows to 0 and keeps the records\' own', async () => {
  const c = new pg.Client(url);
  await c.connect();
  try {
    // lineage as the loader wrote it before: the record's position on its items' rows too
    await c.query(`INSERT INTO migration.lineage (source_system, source_entity, source_key, target_table, target_id, parent_key, source_hash, source_ordinal, run_id, batch_id)
      VALUES ('CRIMINT', 'nominals.json', 'N1', 'record.person', gen_random_uuid(), NULL, 'h', 7, 1, 1),
             ('CRIMINT', 'nominals.json', 'N1#alias:0', 'record.person_name', gen_random_uuid(), 'N1', 'h', 7, 1, 1),
             ('CRIMINT', 'nominals.json', 'N2', 'record.person', gen_random_uuid(), NULL, 'h', 9, 1, 1)`);
    // the two newest migrations undone, one at a time: 100 (a table's comment), then this one
    const undone = [...await migrate(url, 'down'), ...await migrate(url, 'down')];
    expect(undone[1]).toMatch(/lineage-item-position/);
    expect(await migrate(url)).toEqual([...undone].reverse());
    const { rows } = await c.query<{ k: string; o: string }>(`SELECT source_key AS k, source_ordinal::text AS o FROM migration.lineage ORDER BY 1`);
    expect(rows).toEqual([{ k: 'N1', o: '7' }, { k: 'N1#alias:0', o: '0' }, { k: 'N2', o: '9' }]);
  } finally {
    await c.end();
  }
});
