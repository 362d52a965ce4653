// Writing rows into a table whose secondary indexes a first load deferred (src/load/indexes.ts):
// there the rows are new, so they are COPYed straight into the table, without the staging table
// and the merge's conflict check per row. If any row turns out to be there already (a re-export
// repeating a key, a restarted run), the COPY is undone to its savepoint and the batch goes
// through staging and the merge as always: the result is the same either way.
import type pg from 'pg';
import { copyRows } from './copy.ts';

const UNIQUE_VIOLATION = '23505';
/** Below this many rows the savepoint's round trips cost more than the merge saves. */
const DIRECT_MIN_ROWS = 500;

/**
 * Write `rows` into `table`: straight in when `direct`, else (or on a conflict) COPY into
 * `stage` and run `merge`. Returns the rows inserted or changed.
 */
export async function copyOrMerge(
  client: pg.ClientBase,
  target: { table: string; stage: string; columns: readonly string[]; merge: string; direct: boolean },
  rows: ReadonlyArray<readonly unknown[]>,
): Promise<number> {
  if (target.direct && rows.length >= DIRECT_MIN_ROWS) {
    await client.query('SAVEPOINT cutover_direct');
    try {
      const n = await copyRows(client, target.table, target.columns, rows);
      await client.query('RELEASE SAVEPOINT cutover_direct');
      return n;
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      await client.query('ROLLBACK TO SAVEPOINT cutover_direct');
    }
  }
  await copyRows(client, target.stage, target.columns, rows);
  const res = await client.query(target.merge);
  return res.rowCount ?? 0;
}
