// Target rows the merge-joins cannot see because nothing traces them to a source record: rows of
// a migrated system with no lineage at all, lineage of an entity or table no step writes, and
// link rows whose owner is not a migrated record. Each is unexpected in the target.
import type pg from 'pg';
import { LINK_COLUMNS, TARGET_ORDER } from '../load/tables.ts';
import { LINK_PLAN } from './link-plan.ts';
import type { UntracedResult } from './types.ts';
import { MAX_EXAMPLES } from './found.ts';

async function countWithExamples(pool: pg.Pool, sql: string, values: unknown[]): Promise<{ count: number; examples: string[] }> {
  const { rows } = await pool.query<{ ex: string; n: string }>(`SELECT ex, count(*) OVER () AS n FROM (${sql}) s LIMIT ${MAX_EXAMPLES}`, values);
  return { count: Number(rows[0]?.n ?? 0), examples: rows.map((r) => r.ex) };
}

/**
 * @param systems the migrated systems being reconciled
 * @param written `SYSTEM:entity:table` of every (step, target table) the reconciled steps compare
 */
export async function untraced(pool: pg.Pool, systems: string[], written: Set<string>): Promise<UntracedResult[]> {
  const out: UntracedResult[] = [];
  const push = (table: string, reason: string, r: { count: number; examples: string[] }) => {
    if (r.count) out.push({ table, reason, count: r.count, examples: r.examples });
  };
  for (const table of TARGET_ORDER) {
    const sql = table === 'record.person_name'
      ? `SELECT t.id::text AS ex FROM record.person_name t JOIN record.person p ON p.id = t.person_id
         WHERE p.source_system = ANY($1) AND NOT EXISTS (SELECT 1 FROM migration.lineage l WHERE l.target_id = t.id)`
      : `SELECT t.id::text AS ex FROM ${table} t
         WHERE t.source_system = ANY($1) AND NOT EXISTS (SELECT 1 FROM migration.lineage l WHERE l.target_id = t.id)`;
    push(table, 'a row of a migrated system with no lineage', await countWithExamples(pool, sql, [systems]));
  }
  // lineage that no compared step reads
  const { rows } = await pool.query<{ source_system: string; source_entity: string; target_table: string; n: string }>(
    `SELECT source_system, source_entity, target_table, count(*) AS n FROM migration.lineage WHERE source_system = ANY($1) GROUP BY 1, 2, 3`,
    [systems],
  );
  for (const r of rows) {
    if (written.has(`${r.source_system}:${r.source_entity}:${r.target_table}`)) continue;
    const ex = await pool.query<{ k: string }>(
      `SELECT source_key AS k FROM migration.lineage WHERE source_system = $1 AND source_entity = $2 AND target_table = $3 ORDER BY source_key LIMIT ${MAX_EXAMPLES}`,
      [r.source_system, r.source_entity, r.target_table],
    );
    out.push({ table: r.target_table, reason: `lineage of ${r.source_system} ${r.source_entity}, which no reconciled step writes to this table`, count: Number(r.n), examples: ex.rows.map((x) => x.k) });
  }
  // link rows whose owner is no migrated record of any step that writes the table
  for (const table of Object.keys(LINK_COLUMNS) as Array<keyof typeof LINK_COLUMNS>) {
    const plans = LINK_PLAN.filter((p) => p.table === table);
    const ownerColumn = plans[0]?.owner.column ?? LINK_COLUMNS[table][0];
    const owners = [...new Set(plans.map((p) => `${p.system}:${p.owner.entity}`))];
    const [a, b, role] = LINK_COLUMNS[table];
    const sql = `SELECT k.${a}::text || ' ' || k.${b}::text || ' ' || k.${role} AS ex FROM ${table} k
      WHERE NOT EXISTS (SELECT 1 FROM migration.lineage l WHERE l.target_id = k.${ownerColumn} AND l.parent_key IS NULL
                        AND l.source_system || ':' || l.source_entity = ANY($1))`;
    push(table, `a link whose ${ownerColumn} is no migrated record (${owners.join(', ')})`, await countWithExamples(pool, sql, [owners]));
  }
  return out;
}
