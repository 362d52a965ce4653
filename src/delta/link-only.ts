// CRIS link tables (CRIME_NOMINAL, CRIME_VEHICLE) load as link rows only, with no lineage. Their
// records are their keys (`cris_no|other_id|role`), so a loaded one is rebuilt from its link row
// (event and other side traced through lineage, the role mapped back to its legacy code), and a
// deleted one's link row is found from its key alone.
import { CRIS_PERSON_ROLE, CRIS_VEHICLE_ROLE } from '../transform/codes.ts';
import { LINK_COLUMNS } from '../load/tables.ts';
import type { SourceRecord } from '../sources/types.ts';
import type { LinkTable, Mapping } from '../pipeline/types.ts';

interface LinkOnlySpec {
  table: LinkTable;
  otherColumn: string;
  otherIdColumn: string;
  otherEntity: string;
  roles: Record<string, string>;
}

const SPECS: Record<string, LinkOnlySpec> = {
  CRIME_NOMINAL: { table: 'record.event_person', otherColumn: 'nominal_id', otherIdColumn: 'person_id', otherEntity: 'NOMINAL', roles: CRIS_PERSON_ROLE },
  CRIME_VEHICLE: { table: 'record.event_object', otherColumn: 'vehicle_id', otherIdColumn: 'object_id', otherEntity: 'VEHICLE', roles: CRIS_VEHICLE_ROLE },
};

/** A SQL string literal of one of our own constants (role names and codes). */
const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;

/**
 * The legacy keys of the entity's records loaded in the target, one row (`key`) per link row:
 * `cris_no|other key|role code` (crisKeyOfParts: the event's and the other side's source keys,
 * traced through lineage, already in their key form; the target role mapped back to its first
 * legacy code, trailing spaces left out). Links whose role has no legacy code give no key.
 * Null when the entity is not a CRIS link table.
 */
export function linkOnlyKeysSql(entity: string): string | null {
  const s = SPECS[entity];
  if (!s) return null;
  const codes = [...CODES[entity]!].map(([role, code]) => `(${lit(role)}, ${lit(code.trimEnd())})`).join(', ');
  return `SELECT le.source_key || '|' || lo.source_key || '|' || c.code AS key
    FROM ${s.table} x
    JOIN (VALUES ${codes}) AS c(role, code) ON c.role = x.role
    JOIN migration.lineage le ON le.target_id = x.event_id AND le.source_system = 'CRIS' AND le.source_entity = 'CRIME_REPORT' AND le.parent_key IS NULL
    JOIN migration.lineage lo ON lo.target_id = x.${s.otherIdColumn} AND lo.source_system = 'CRIS' AND lo.source_entity = '${s.otherEntity}' AND lo.parent_key IS NULL`;
}

/** Per link-only entity: target role → legacy role code (the first code of a role, as the roles table lists them). */
const CODES: Record<string, Map<string, string>> = Object.fromEntries(Object.entries(SPECS).map(([entity, s]) => {
  const codes = new Map<string, string>();
  for (const [code, role] of Object.entries(s.roles)) if (!codes.has(role)) codes.set(role, code);
  return [entity, codes];
}));

/** The record a link-only key stands for (its content is its key). */
export function recordOfKey(entity: string, key: string): SourceRecord | null {
  const s = SPECS[entity];
  if (!s) return null;
  const [crisNo, other, role] = key.split('|');
  if (crisNo === undefined || other === undefined || role === undefined) return null;
  return { key, ordinal: 0, raw: { cris_no: crisNo, [s.otherColumn]: Number(other), role } };
}

/** Link rows of link-only keys, by link table, as parallel columns in LINK_COLUMNS order (for `unnest`). */
export interface KeyedLinkRows {
  keys: string[];
  a: string[];
  b: string[];
  r: string[];
}

/** The link row each link-only key stands for, through the mapping (a key whose record would not load has none). */
export function linkRowsOfKeys(mapping: Mapping, keys: Iterable<string>): Map<LinkTable, KeyedLinkRows> {
  const byTable = new Map<LinkTable, KeyedLinkRows>();
  for (const key of keys) {
    const rec = recordOfKey(mapping.entity, key);
    const out = rec ? mapping.map(rec) : null;
    if (out?.kind !== 'loaded') continue;
    for (const l of out.mapped.links) {
      let g = byTable.get(l.table);
      if (!g) byTable.set(l.table, (g = { keys: [], a: [], b: [], r: [] }));
      const [a, b, r] = LINK_COLUMNS[l.table];
      g.keys.push(key);
      g.a.push(l.row[a]!);
      g.b.push(l.row[b]!);
      g.r.push(l.row[r]!);
    }
  }
  return byTable;
}
