// Take back what earlier runs wrote for some source keys, before their new outcome is written:
// target rows the new version no longer produces (and their lineage), the links the record owns,
// and its quarantine, exclusion, orphan, warning and supersession rows. Rows the new version
// produces again are left in place and merged over, so links that other records hold to them
// (and restriction decisions taken in the target) survive an update.
import type pg from 'pg';
import { targetId } from '../core/ids.ts';
import { deleteKeysAndItems } from '../load/key-rows.ts';
import { removeRecords } from '../load/remove.ts';
import { LINK_COLUMNS } from '../load/tables.ts';
import { linkRowsOfKeys } from './link-only.ts';
import type { LinkTable, Mapping } from '../pipeline/types.ts';

/** Link rows a record owns: those whose owner column holds the record's own id (its main row). */
export const OWNED_LINKS: Record<string, Array<{ table: LinkTable; column: string }>> = {
  'CRIS:NOMINAL': [{ table: 'record.person_location', column: 'person_id' }],
  'CRIS:CRIME_REPORT': [{ table: 'record.event_location', column: 'event_id' }],
  'CRIMINT:nominals.json': [{ table: 'record.person_location', column: 'person_id' }, { table: 'record.person_object', column: 'person_id' }],
  'CRIMINT:intel_reports.json': [
    { table: 'record.event_person', column: 'event_id' },
    { table: 'record.event_location', column: 'event_id' },
    { table: 'record.event_object', column: 'event_id' },
  ],
};

export interface Removed {
  key: string;
  table: string;
  id: string;
}

/**
 * Retract the keys' earlier effects in the caller's transaction. `keep` holds the target ids the
 * new versions produce. Returns the main rows removed from the target (each is logged by the caller).
 */
export async function retract(client: pg.ClientBase, mapping: Mapping, keys: string[], keep: ReadonlySet<string>): Promise<Removed[]> {
  if (!keys.length) return [];
  const { system, entity } = mapping;
  const args = [system, entity, keys];
  const { rows: gone } = await client.query<{ key: string; parent: string | null; table: string; id: string }>(
    `DELETE FROM migration.lineage WHERE source_system = $1 AND source_entity = $2 AND (source_key = ANY($3) OR parent_key = ANY($3))
       AND NOT (target_id = ANY($4::uuid[]))
     RETURNING source_key AS key, parent_key AS parent, target_table AS table, target_id::text AS id`,
    [...args, [...keep]],
  );
  await removeRecords(client, gone);

  // links the records own: the new versions write theirs again
  const ids = keys.map((k) => targetId(system, entity, k));
  for (const o of OWNED_LINKS[`${system}:${entity}`] ?? []) await client.query(`DELETE FROM ${o.table} WHERE ${o.column} = ANY($1::uuid[])`, [ids]);
  if (mapping.linkOnly) await retractLinkRows(client, mapping, keys);

  await client.query(`DELETE FROM migration.quarantine WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3)`, args);
  await client.query(`DELETE FROM migration.exclusion WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3) AND reason <> 'erased'`, args);
  await client.query(`DELETE FROM migration.superseded WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3)`, args);
  await deleteKeysAndItems(client, 'migration.orphan', system, entity, keys);
  await deleteKeysAndItems(client, 'migration.dq_warning', system, entity, keys);
  return gone.filter((g) => g.parent === null).map(({ key, table, id }) => ({ key, table, id }));
}

/** The link row each link-only key stands for. */
async function retractLinkRows(client: pg.ClientBase, mapping: Mapping, keys: string[]) {
  for (const [table, g] of linkRowsOfKeys(mapping, keys)) {
    const [a, b, r] = LINK_COLUMNS[table];
    await client.query(
      `DELETE FROM ${table} t USING unnest($1::uuid[], $2::uuid[], $3::text[]) AS x(a, b, r) WHERE t.${a} = x.a AND t.${b} = x.b AND t.${r} = x.r`,
      [g.a, g.b, g.r],
    );
  }
}
