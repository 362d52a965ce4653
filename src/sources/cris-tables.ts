// The CRIS tables as legacy-data.md gives them: one definition used by the SQL sources
// (column lists, key order) and by the synthetic generator (PostgreSQL DDL of schema dbo).

export type CrisType = 'int' | 'bigint' | 'datetime' | 'text' | `varchar(${number})` | `char(${number})`;

export interface CrisColumn {
  name: string; // lower case, as in the PostgreSQL stand-in (SQL Server: upper case)
  type: CrisType;
  nullable: boolean;
}

export interface CrisTable {
  /** Entity name used in lineage and ids (`NOMINAL`). */
  entity: string;
  /** Table name in schema dbo (`nominal`). */
  table: string;
  columns: CrisColumn[];
  /** Primary key columns, in key order. */
  key: string[];
}

const c = (name: string, type: CrisType, nullable = true): CrisColumn => ({ name, type, nullable });

export const CRIS_TABLES: CrisTable[] = [
  {
    entity: 'ADDRESS', table: 'address', key: ['address_id'],
    columns: [c('address_id', 'int', false), c('premises', 'varchar(60)'), c('street', 'varchar(60)'), c('locality', 'varchar(40)'),
      c('town', 'varchar(40)'), c('postcode', 'varchar(10)'), c('easting', 'int'), c('northing', 'int')],
  },
  {
    entity: 'VEHICLE', table: 'vehicle', key: ['vehicle_id'],
    columns: [c('vehicle_id', 'int', false), c('vrm', 'varchar(10)'), c('make', 'varchar(30)'), c('model', 'varchar(30)'), c('colour', 'varchar(30)')],
  },
  {
    entity: 'NOMINAL', table: 'nominal', key: ['nominal_id'],
    columns: [c('nominal_id', 'int', false), c('surname', 'varchar(35)'), c('forenames', 'varchar(50)'), c('dob', 'datetime'),
      c('sex', 'char(1)'), c('ethnic_code', 'char(3)'), c('pnc_id', 'varchar(14)'), c('cro_no', 'varchar(14)'),
      c('address_id', 'int'), c('deleted', 'char(1)')],
  },
  {
    entity: 'CRIME_REPORT', table: 'crime_report', key: ['cris_no'],
    columns: [c('cris_no', 'varchar(12)', false), c('borough', 'char(2)'), c('ho_class', 'varchar(6)'), c('class_desc', 'varchar(80)'),
      c('committed_from', 'datetime'), c('committed_to', 'datetime'), c('reported_dt', 'datetime', false), c('location_id', 'int'),
      c('mo_text', 'text'), c('status', 'char(1)'), c('oic', 'varchar(8)'), c('created_by', 'varchar(8)'), c('created_dt', 'datetime'),
      c('updated_by', 'varchar(8)'), c('updated_dt', 'datetime'), c('deleted', 'char(1)')],
  },
  {
    entity: 'CRIME_NOMINAL', table: 'crime_nominal', key: ['cris_no', 'nominal_id', 'role'],
    columns: [c('cris_no', 'varchar(12)', false), c('nominal_id', 'int', false), c('role', 'char(2)', false)],
  },
  {
    entity: 'CRIME_VEHICLE', table: 'crime_vehicle', key: ['cris_no', 'vehicle_id', 'role'],
    columns: [c('cris_no', 'varchar(12)', false), c('vehicle_id', 'int', false), c('role', 'char(2)', false)],
  },
  {
    entity: 'AUDIT_TRAIL', table: 'audit_trail', key: ['audit_id'],
    columns: [c('audit_id', 'bigint', false), c('table_name', 'varchar(30)', false), c('record_key', 'varchar(20)'), c('action', 'varchar(10)', false),
      c('user_id', 'varchar(8)', false), c('action_dt', 'datetime', false), c('reason', 'varchar(255)'), c('recipient', 'varchar(100)'), c('detail', 'text')],
  },
];

export function crisTable(entity: string): CrisTable {
  const t = CRIS_TABLES.find((t) => t.entity === entity);
  if (!t) throw new Error(`unknown CRIS entity ${entity}`);
  return t;
}

/** PostgreSQL DDL of the stand-in (schema dbo, lower-case names, datetime → timestamp, varchar(max) → text). */
export function postgresDdl(t: CrisTable): string {
  const pgType = (ty: CrisType) => (ty === 'datetime' ? 'timestamp' : ty === 'int' ? 'integer' : ty);
  const cols = t.columns.map((col) => `  ${col.name} ${pgType(col.type)}${col.nullable ? '' : ' NOT NULL'}`);
  return `CREATE TABLE dbo.${t.table} (\n${cols.join(',\n')},\n  PRIMARY KEY (${t.key.join(', ')})\n)`;
}

/** The legacy key of a row as text: single key as written, composite parts joined by `|`. */
export function crisKey(t: CrisTable, row: Record<string, unknown>): string {
  return crisKeyOfParts(t.key.map((k) => row[k]));
}

/** The legacy key from its key columns' values, in key order. */
export function crisKeyOfParts(parts: readonly unknown[]): string {
  return parts.map((v) => String(v ?? '').trimEnd()).join('|');
}
