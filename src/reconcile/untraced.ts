// Target rows the merge-joins cannot see because nothing traces them to a source record: rows of
// a migrated system with no lineage at all, lineage of an entity or table no step writes, and
// link rows whose owner is not a migrated record. Each is unexpected in the target.
import type pg from 'pg';
import { LINK_COLUMNS, TARGET_ORDER } from '../load/tables.ts';
import { LINK_PLAN } from './link-plan.ts';
import type { UntracedResult } from './types.ts';
import { MAX_EXAMPLES } from './found.ts';
import { streamBatches } from './db.ts';
import type { DifferenceSink } from './differences.ts';

/** Every unmatched row of `parts`, streamed: (tbl, ex) → the sink. */
async function everyUntraced(pool: pg.Pool, parts: string[], unmatched: string, example: string, values: unknown[], write: (table: string, ex: string) => void): Promise<void> {
  for await (const batch of streamBatches(pool, `SELECT tbl, ${example} AS ex FROM (${parts.join('\n UNION ALL ')}) u WHERE ${unmatched} ORDER BY 1, 2`, values)) {
    for (const r of batch) write(r[0]!, r[1]!);
  }
}

/**
 * Several anti-joins in one query, so lineage is read and hashed once, not once per table: `parts`
 * are SELECTs of (tbl, …) with the same columns, `unmatched` the condition on their row `u`, and
 * `example` the text of an unmatched row (made only for those). Per table: the count and up to
 * MAX_EXAMPLES examples.
 */
async function untracedBy(pool: pg.Pool, parts: string[], unmatched: string, example: string, values: unknown[]): Promise<Map<string, { count: number; examples: string[] }>> {
  const { rows } = await pool.query<{ tbl: string; ex: string; n: string }>(
    `SELECT tbl, ex, n FROM (
       SELECT tbl, ${example} AS ex, count(*) OVER w AS n, row_number() OVER w AS i
       FROM (${parts.join('\n UNION ALL ')}) u WHERE ${unmatched} WINDOW w AS (PARTITION BY tbl)
     ) s WHERE i <= ${MAX_EXAMPLES} ORDER BY tbl, i`,
    values,
  );
  const out = new Map<string, { count: number; examples: string[] }>();
  for (const r of rows) {
    const t = out.get(r.tbl) ?? { count: Number(r.n), examples: [] };
    t.examples.push(r.ex);
    out.set(r.tbl, t);
  }
  return out;
}

/**
 * @param systems the migrated systems being reconciled
 * @param written `SYSTEM:entity:table` of every (step, target table) the reconciled steps compare
 */
export async function untraced(pool: pg.Pool, systems: string[], written: Set<string>, diff: DifferenceSink | null = null): Promise<UntracedResult[]> {
  const out: UntracedResult[] = [];
  // rows of a migrated system with no lineage at all
  const rowParts = TARGET_ORDER.map((table) => table === 'record.person_name'
    ? `SELECT 'record.person_name' AS tbl, t.id FROM record.person_name t JOIN record.person p ON p.id = t.person_id WHERE p.source_system = ANY($1)`
    : `SELECT '${table}' AS tbl, t.id FROM ${table} t WHERE t.source_system = ANY($1)`);
  const noLineage = 'NOT EXISTS (SELECT 1 FROM migration.lineage l WHERE l.target_id = u.id)';
  const rows = await untracedBy(pool, rowParts, noLineage, 'u.id::text', [systems]);
  if (diff && rows.size) {
    await everyUntraced(pool, rowParts, noLineage, 'u.id::text', [systems], (table, id) => diff.write({
      kind: 'untraced', system: null, entity: null, key: null, table, targetId: id, fields: [], detail: 'a row of a migrated system with no lineage',
    }));
  }
  for (const table of TARGET_ORDER) {
    const r = rows.get(table);
    if (r) out.push({ table, reason: 'a row of a migrated system with no lineage', ...r });
  }
  // lineage that no compared step reads
  const { rows: lineage } = await pool.query<{ source_system: string; source_entity: string; target_table: string; n: string }>(
    `SELECT source_system, source_entity, target_table, count(*) AS n FROM migration.lineage WHERE source_system = ANY($1) GROUP BY 1, 2, 3`,
    [systems],
  );
  for (const r of lineage) {
    if (written.has(`${r.source_system}:${r.source_entity}:${r.target_table}`)) continue;
    const ex = await pool.query<{ k: string }>(
      `SELECT source_key AS k FROM migration.lineage WHERE source_system = $1 AND source_entity = $2 AND target_table = $3 ORDER BY source_key LIMIT ${MAX_EXAMPLES}`,
      [r.source_system, r.source_entity, r.target_table],
    );
    out.push({ table: r.target_table, reason: `lineage of ${r.source_system} ${r.source_entity}, which no reconciled step writes to this table`, count: Number(r.n), examples: ex.rows.map((x) => x.k) });
    if (diff) {
      for await (const batch of streamBatches(pool, 'SELECT source_key, target_id::text FROM migration.lineage WHERE source_system = $1 AND source_entity = $2 AND target_table = $3 ORDER BY 1', [r.source_system, r.source_entity, r.target_table])) {
        for (const [key, id] of batch) diff.write({ kind: 'untraced', system: r.source_system, entity: r.source_entity, key, table: r.target_table, targetId: id ?? null, fields: [], detail: 'lineage of an entity no reconciled step writes to this table' });
      }
    }
  }
  // link rows whose owner is no migrated record of any step that writes the table
  const linkTables = Object.keys(LINK_COLUMNS) as Array<keyof typeof LINK_COLUMNS>;
  const owners = linkTables.map((table) => [...new Set(LINK_PLAN.filter((p) => p.table === table).map((p) => `${p.system}:${p.owner.entity}`))]);
  const ownerColumn = (table: keyof typeof LINK_COLUMNS) => LINK_PLAN.find((p) => p.table === table)?.owner.column ?? LINK_COLUMNS[table][0];
  const linkParts = linkTables.map((table, i) => {
    const [a, b, role] = LINK_COLUMNS[table];
    return `SELECT '${table}' AS tbl, k.${a} AS a, k.${b} AS b, k.${role} AS role, k.${ownerColumn(table)} AS owner, $${i + 1}::text[] AS owners FROM ${table} k`;
  });
  const noOwner = `NOT EXISTS (SELECT 1 FROM migration.lineage l WHERE l.target_id = u.owner AND l.parent_key IS NULL
                        AND l.source_system || ':' || l.source_entity = ANY(u.owners))`;
  const links = await untracedBy(pool, linkParts, noOwner, `u.a::text || ' ' || u.b::text || ' ' || u.role`, owners);
  if (diff && links.size) {
    await everyUntraced(pool, linkParts, noOwner, `u.a::text || '|' || u.b::text`, owners, (table, pair) => diff.write({
      kind: 'untraced', system: null, entity: null, key: pair, table, targetId: null, fields: [], detail: 'a link whose owner is no migrated record',
    }));
  }
  linkTables.forEach((table, i) => {
    const r = links.get(table);
    if (r) out.push({ table, reason: `a link whose ${ownerColumn(table)} is no migrated record (${owners[i]!.join(', ')})`, ...r });
  });
  return out;
}
