// SQL Server Change Tracking, the fast path of change detection (legacy-data.md): the keys a
// table's rows changed under since a stored version, with the operation (I, U, D), and the
// current version to store for the next delta. The stored version is usable only while it is
// not older than CHANGE_TRACKING_MIN_VALID_VERSION; otherwise the changes are lost and the delta
// falls back to the universal comparison (changes.ts). Built here, as text, so it is unit-tested
// without a server; mssql.ts runs it.
import { keyColumns } from './keyset.ts';
import { mssqlSelectExpr, mssqlTableName } from './mssql-sql.ts';
import type { CrisTable } from './cris-tables.ts';

const br = (id: string) => `[${id.replace(/]/g, ']]')}]`;

/** The current version, and the oldest version still valid for the table (NULL when tracking is off for it). */
export function mssqlTrackingVersionsSql(t: CrisTable): string {
  return `SELECT CAST(CHANGE_TRACKING_CURRENT_VERSION() AS varchar(20)) AS current_version, ` +
    `CAST(CHANGE_TRACKING_MIN_VALID_VERSION(OBJECT_ID(N'${mssqlTableName(t).replace(/'/g, "''")}')) AS varchar(20)) AS min_valid_version`;
}

/**
 * Rows changed since @since: the operation, the key columns from the change table (present for
 * deletions too) and the row as it is now (NULL columns when deleted), in key order.
 * @since travels as varchar and is cast: no JS number holds a bigint.
 */
export function mssqlChangesSql(t: CrisTable): string {
  const keys = keyColumns(t);
  const on = keys.map((k) => `t.${br(k.name.toUpperCase())} = ct.${br(k.name.toUpperCase())}`).join(' AND ');
  const ctKeys = keys.map((k) => `CAST(ct.${br(k.name.toUpperCase())} AS varchar(100)) AS ${br(`CT_${k.name.toUpperCase()}`)}`);
  return `SELECT ct.SYS_CHANGE_OPERATION AS [CT_OPERATION], ${ctKeys.join(', ')}, ${t.columns.map(mssqlSelectExpr).join(', ')}` +
    ` FROM CHANGETABLE(CHANGES ${mssqlTableName(t)}, CAST(@since AS bigint)) AS ct` +
    ` LEFT JOIN ${mssqlTableName(t)} AS t ON ${on}` +
    ` ORDER BY ${keys.map((k) => `ct.${br(k.name.toUpperCase())}`).join(', ')}`;
}

export interface TrackingVersions {
  current: string | null;
  minValid: string | null;
}

/**
 * Whether changes since `stored` can be read from Change Tracking: tracking is on for the table
 * (a minimum valid version exists) and the stored version is not older than it.
 */
export function trackingUsable(stored: string | null | undefined, v: TrackingVersions): boolean {
  if (stored === null || stored === undefined || v.minValid === null || v.current === null) return false;
  return BigInt(stored) >= BigInt(v.minValid);
}

/** The key of a change row (deleted rows have only the change table's key columns). */
export function changeKey(t: CrisTable, row: Record<string, unknown>): string {
  return t.key.map((k) => String(row[`CT_${k.toUpperCase()}`] ?? '').trimEnd()).join('|');
}
