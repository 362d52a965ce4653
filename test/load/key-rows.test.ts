// deleteKeysAndItems (src/load/key-rows.ts): a key's orphans and warnings go with it, and so do
// its inline items' (`key/…`), but not those of keys that only share its first characters.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { deleteKeysAndItems, type KeyedTable } from '../../src/load/key-rows.ts';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';

let url: string;
let c: pg.Client;

beforeAll(async () => {
  url = await createTestDatabase('keyrows');
  await migrate(url);
  c = new pg.Client(url);
  await c.connect();
});

afterAll(async () => {
  await c?.end();
  await dropTestDatabase(url);
});

// keys chosen to break a prefix match: LIKE wildcards, characters sorting just before and after
// '/', a longer key with the same start, a key that is itself an item path, another entity
const KEYS = ['N1', 'N1/addresses/0', 'N1/addresses/1/x', 'N1/\u00e9/0', 'N1-2', 'N1.5', 'N1 ', 'N10', 'N1/', 'N10/addresses/0',
  'a_b', 'a_b/phones/0', 'axb/phones/0', 'a%', 'a%/x', 'aZ/x', '0412345/19', '0412345/19/x', '0412345/190'];

async function seed(table: KeyedTable) {
  await c.query(`TRUNCATE ${table}`);
  for (const [entity, keys] of [['nominals.json', KEYS], ['intel_reports.json', ['N1', 'N1/addresses/0']]] as const) {
    for (const k of keys) {
      if (table === 'migration.orphan') {
        await c.query(`INSERT INTO migration.orphan (source_system, source_entity, source_key, link_table, missing_entity, missing_key, run_id) VALUES ('CRIMINT', $1, $2, 'record.event_person', 'nominals.json', 'X', 1)`, [entity, k]);
      } else {
        await c.query(`INSERT INTO migration.dq_warning (source_system, source_entity, source_key, code, run_id) VALUES ('CRIMINT', $1, $2, 'W', 1)`, [entity, k]);
      }
    }
  }
}

// ordered by bytes, as the C collation orders them
const left = async (table: KeyedTable) =>
  (await c.query<{ e: string; k: string }>(`SELECT source_entity AS e, source_key AS k FROM ${table} ORDER BY source_entity, source_key COLLATE "C"`)).rows.map((r) => `${r.e}:${r.k}`);

describe('deleteKeysAndItems', () => {
  for (const table of ['migration.orphan', 'migration.dq_warning'] as const) {
    it(`${table}: removes exactly the keys and their items, in that entity`, async () => {
      await seed(table);
      await deleteKeysAndItems(c, table, 'CRIMINT', 'nominals.json', ['N1', 'a_b', 'a%', '0412345/19', 'absent']);
      const removed = new Set(['N1', 'N1/addresses/0', 'N1/addresses/1/x', 'N1/\u00e9/0', 'N1/', 'a_b', 'a_b/phones/0', 'a%', 'a%/x', '0412345/19', '0412345/19/x']);
      const expected = [
        ...['N1', 'N1/addresses/0'].map((k) => `intel_reports.json:${k}`),
        ...KEYS.filter((k) => !removed.has(k)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))).map((k) => `nominals.json:${k}`),
      ];
      expect(await left(table)).toEqual(expected);
      expect(expected).toContain('nominals.json:N1-2');
      expect(expected).toContain('nominals.json:N10/addresses/0');
      expect(expected).toContain('nominals.json:axb/phones/0');
    });
  }

  it('does nothing for no keys', async () => {
    await seed('migration.orphan');
    const before = await left('migration.orphan');
    await deleteKeysAndItems(c, 'migration.orphan', 'CRIMINT', 'nominals.json', []);
    expect(await left('migration.orphan')).toEqual(before);
  });
});
