// Control rows kept per legacy key (orphans, data-quality warnings) are taken back with the key:
// the record's own rows and its inline items' (`N0001001/addresses/0` belongs to `N0001001`).
import type pg from 'pg';

export type KeyedTable = 'migration.orphan' | 'migration.dq_warning';

/**
 * Delete the table's rows of these keys and of their inline items. One index range per key on the
 * table's (system, entity, key) primary key: `[key, key || '0')` holds the key and everything
 * that starts `key/` ('0' follows '/' in the C collation of source_key), and the filter drops the
 * keys in that range that merely share the prefix (`key-1`). A `LIKE ANY` of the patterns compared
 * every row of the entity with every pattern instead.
 */
export async function deleteKeysAndItems(client: pg.ClientBase, table: KeyedTable, system: string, entity: string, keys: readonly string[]): Promise<void> {
  if (!keys.length) return;
  await client.query(
    `DELETE FROM ${table} t USING unnest($3::text[]) AS x(k)
     WHERE t.source_system = $1 AND t.source_entity = $2
       AND t.source_key >= x.k COLLATE "C" AND t.source_key < (x.k || '0') COLLATE "C"
       AND (t.source_key = x.k OR substr(t.source_key, length(x.k) + 1, 1) = '/')`,
    [system, entity, keys],
  );
}
