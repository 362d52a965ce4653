// SQL Server DDL of the CRIS tables from CRIS_TABLES, as on the legacy server: schema dbo,
// upper-case names, varchar(max) for long text, text columns in Latin1_General_CI_AS (the
// legacy collation, case-insensitive: the source must impose binary order itself).
import type { CrisTable, CrisType } from './cris-tables.ts';

export interface MssqlDdlOptions {
  /** Collation of the text columns (default Latin1_General_CI_AS, as CRIS). */
  collation?: string;
}

export function mssqlType(ty: CrisType): string {
  return ty === 'text' ? 'varchar(max)' : ty;
}

export function mssqlDdl(t: CrisTable, options: MssqlDdlOptions = {}): string {
  const collation = options.collation ?? 'Latin1_General_CI_AS';
  const name = t.table.toUpperCase();
  const cols = t.columns.map((col) => {
    const text = col.type === 'text' || col.type.startsWith('varchar') || col.type.startsWith('char');
    return `  [${col.name.toUpperCase()}] ${mssqlType(col.type)}${text ? ` COLLATE ${collation}` : ''} ${col.nullable ? 'NULL' : 'NOT NULL'}`;
  });
  const pk = t.key.map((k) => `[${k.toUpperCase()}]`).join(', ');
  return `CREATE TABLE [dbo].[${name}] (\n${cols.join(',\n')},\n  CONSTRAINT [PK_${name}] PRIMARY KEY (${pk})\n)`;
}
