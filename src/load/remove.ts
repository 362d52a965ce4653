// Removing target records a run wrote (a superseded copy, a retracted key): the rows that point
// at them go first (a person's names, the links to either side), then the records, one statement
// per table. The record schema's foreign keys would cascade the same deletes row by row, but a
// first load runs with them deferred (src/load/indexes.ts), so nothing here relies on them.
import type pg from 'pg';
import { REFERENCING } from './tables.ts';
import type { TargetTable } from '../pipeline/types.ts';

export async function removeRecords(client: pg.ClientBase, rows: Iterable<{ table: string; id: string }>): Promise<void> {
  const byTable = new Map<string, string[]>();
  for (const r of rows) {
    let ids = byTable.get(r.table);
    if (!ids) byTable.set(r.table, (ids = []));
    ids.push(r.id);
  }
  for (const [table, ids] of byTable) {
    for (const ref of REFERENCING[table as TargetTable] ?? []) await client.query(`DELETE FROM ${ref.table} WHERE ${ref.column} = ANY($1::uuid[])`, [ids]);
    await client.query(`DELETE FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
  }
}
