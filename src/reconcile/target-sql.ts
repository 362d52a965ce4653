// The target side of each merge-join, as SQL: rows in the source's key order (order.ts), traced
// to their source record through lineage. Parameters: $1 system, $2 entity, then per query.
import { LINK_COLUMNS } from '../load/tables.ts';
import type { LinkPlan } from './link-plan.ts';
import type { KeyScheme } from './order.ts';

const q = (id: string) => `"${id.replace(/"/g, '""')}"`;

/**
 * A query read as array rows: its SQL, and where each named column stands in a row (after the
 * group parts). One definition gives both, so the readers never count columns.
 */
export interface Shaped<N extends string> {
  sql: string;
  at: Readonly<Record<N, number>>;
}

/** The SELECT list (group parts, then the named columns in order) and each name's index. */
function selectList<N extends string>(parts: readonly string[], named: ReadonlyArray<readonly [N, string]>): { list: string; at: Record<N, number> } {
  const at = {} as Record<N, number>;
  named.forEach(([name], i) => {
    at[name] = parts.length + i;
  });
  return { list: [...parts, ...named.map(([, sql]) => sql)].filter((sql) => sql !== '').join(', '), at };
}

/**
 * Every outcome the target records for the step's source records, one row each:
 * group parts…, key, ordinal, kind (loaded | quarantined | excluded | superseded), detail.
 */
export function claimsSql(scheme: KeyScheme): Shaped<'key' | 'ordinal' | 'kind' | 'detail'> {
  const parts = scheme.keyPartsSql('c.key', 'c.ordinal');
  const { list, at } = selectList(parts, [['key', 'c.key'], ['ordinal', 'c.ordinal'], ['kind', 'c.kind'], ['detail', 'c.detail']]);
  const sql = `SELECT ${list} FROM (
    SELECT source_key AS key, source_ordinal AS ordinal, 'loaded' AS kind, target_id::text AS detail
      FROM migration.lineage WHERE source_system = $1 AND source_entity = $2 AND parent_key IS NULL
    UNION ALL SELECT source_key, source_ordinal, 'quarantined', reason_code
      FROM migration.quarantine WHERE source_system = $1 AND source_entity = $2
    UNION ALL SELECT source_key, source_ordinal, 'excluded', reason
      FROM migration.exclusion WHERE source_system = $1 AND source_entity = $2
    UNION ALL SELECT source_key, source_ordinal, 'superseded', NULL
      FROM migration.superseded WHERE source_system = $1 AND source_entity = $2
  ) c ORDER BY ${scheme.orderSql(parts)}, c.key COLLATE "C", c.kind`;
  return { sql, at };
}

/**
 * The rows of one target table written for the step, through lineage ($3 = target table):
 * group parts…, lineage key, lineage target id, row present, lineage of the record itself (not of
 * an inline item: parent_key is NULL), then `columns` (`at.columns`: the first of them).
 * A lineage row whose target row is gone still appears (present = false).
 */
export function rowsSql(scheme: KeyScheme, table: string, columns: readonly string[]): Shaped<'key' | 'targetId' | 'present' | 'main' | 'columns'> {
  // an inline item's lineage holds no read position (0): a file-order step takes its record's
  const byPosition = scheme.kind === 'ordinal';
  const parts = scheme.keyPartsSql('coalesce(l.parent_key, l.source_key)', byPosition ? 'coalesce(lp.source_ordinal, l.source_ordinal)' : 'l.source_ordinal');
  const parent = byPosition
    ? `LEFT JOIN migration.lineage lp ON l.parent_key IS NOT NULL AND lp.source_system = l.source_system AND lp.source_entity = l.source_entity AND lp.source_key = l.parent_key AND lp.parent_key IS NULL`
    : '';
  const { list, at } = selectList(parts, [
    ['key', 'l.source_key'], ['targetId', 'l.target_id::text'], ['present', '(t.id IS NOT NULL)'], ['main', '(l.parent_key IS NULL)'],
    ['columns', columns.map((c) => `t.${q(c)}`).join(', ')],
  ]);
  const sql = `SELECT ${list}
    FROM migration.lineage l LEFT JOIN ${table} t ON t.id = l.target_id ${parent}
    WHERE l.source_system = $1 AND l.source_entity = $2 AND l.target_table = $3
    ORDER BY ${scheme.orderSql(parts)}, l.source_key`;
  return { sql, at };
}

/**
 * The link rows traced to the step through the lineage of their owner ($2 = owner entity; for a
 * link-only step also $3 = the other entity, a second group part):
 * group parts…, owner key, other key (or null), the three link columns (a, b, role).
 */
export function linksSql(scheme: KeyScheme, plan: LinkPlan): Shaped<'owner' | 'other' | 'a' | 'b' | 'role'> {
  const [a, b, role] = LINK_COLUMNS[plan.table];
  const other = plan.other;
  const parts = other ? ['lo.source_key', 'lx.source_key'] : scheme.keyPartsSql('lo.source_key', 'lo.source_ordinal');
  const { list, at } = selectList(parts, [['owner', 'lo.source_key'], ['other', other ? 'lx.source_key' : 'NULL'], ['a', `k.${a}::text`], ['b', `k.${b}::text`], ['role', `k.${role}`]]);
  const sql = `SELECT ${list}
    FROM ${plan.table} k
    JOIN migration.lineage lo ON lo.target_id = k.${plan.owner.column} AND lo.source_system = $1 AND lo.source_entity = $2 AND lo.parent_key IS NULL
    ${other ? `LEFT JOIN migration.lineage lx ON lx.target_id = k.${other.column} AND lx.source_system = $1 AND lx.source_entity = $3 AND lx.parent_key IS NULL` : ''}
    ORDER BY ${scheme.orderSql(parts)}, k.${a}, k.${b}, k.${role}`;
  return { sql, at };
}

export function linksParams(plan: LinkPlan): string[] {
  return plan.other ? [plan.system, plan.owner.entity, plan.other.entity] : [plan.system, plan.owner.entity];
}
