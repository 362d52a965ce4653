// Column lists of the target tables the loader writes (in table order), and the merge rules.
import type { LinkTable, TargetTable } from '../pipeline/types.ts';

export const TARGET_COLUMNS: Record<TargetTable, readonly string[]> = {
  'record.location': ['id', 'premises', 'street', 'locality', 'town', 'postcode', 'easting', 'northing', 'source_system'],
  'record.object': ['id', 'kind', 'vrm', 'make', 'model', 'colour', 'telephone', 'source_system'],
  'record.person': ['id', 'surname', 'forenames', 'date_of_birth', 'dob_precision', 'sex', 'ethnicity', 'pnc_id', 'cro_no', 'restricted', 'source_system', 'created_at', 'created_by', 'updated_at', 'updated_by'],
  'record.person_name': ['id', 'person_id', 'surname', 'forenames', 'date_of_birth', 'dob_precision', 'kind'],
  'record.event': ['id', 'kind', 'reference', 'occurred_from', 'occurred_to', 'reported_at', 'classification_code', 'classification_label', 'borough', 'status', 'narrative', 'officer', 'grading_source', 'grading_intel', 'grading_handling', 'legacy_grading', 'mopi_group', 'review_due', 'restricted', 'source_system', 'created_at', 'created_by', 'updated_at', 'updated_by'],
};

/** Parents before children, so a person_name's person exists when it is merged. */
export const TARGET_ORDER: readonly TargetTable[] = ['record.location', 'record.object', 'record.person', 'record.person_name', 'record.event'];

/** Columns a re-run must never overwrite: decisions taken on the new platform (restriction). */
export const PRESERVED_ON_MERGE = new Set(['id', 'restricted']);

export const LINK_COLUMNS: Record<LinkTable, readonly [string, string, 'role']> = {
  'record.event_person': ['event_id', 'person_id', 'role'],
  'record.event_location': ['event_id', 'location_id', 'role'],
  'record.event_object': ['event_id', 'object_id', 'role'],
  'record.person_location': ['person_id', 'location_id', 'role'],
  'record.person_object': ['person_id', 'object_id', 'role'],
};

/** The table an id column of a link points to. */
export const REF_TABLE: Record<string, TargetTable> = {
  event_id: 'record.event',
  person_id: 'record.person',
  location_id: 'record.location',
  object_id: 'record.object',
};

/**
 * The rows that point at a record table's rows (the record schema's foreign keys, all ON DELETE
 * CASCADE): its link rows and, for a person, its names. Removing a record removes these first, so
 * that nothing relies on the cascade while a first load has the keys deferred (src/load/indexes.ts).
 */
export const REFERENCING: Record<TargetTable, ReadonlyArray<{ table: string; column: string }>> = Object.fromEntries(
  TARGET_ORDER.map((t) => [t, [
    ...(t === 'record.person' ? [{ table: 'record.person_name', column: 'person_id' }] : []),
    ...Object.entries(LINK_COLUMNS).flatMap(([link, cols]) => cols.filter((c) => REF_TABLE[c] === t).map((column) => ({ table: link, column }))),
  ]]),
) as unknown as Record<TargetTable, ReadonlyArray<{ table: string; column: string }>>;

/** audit.event entity_type of a target table. */
export const ENTITY_TYPE: Record<TargetTable, 'person' | 'event' | 'location' | 'object'> = {
  'record.person': 'person',
  'record.person_name': 'person',
  'record.location': 'location',
  'record.object': 'object',
  'record.event': 'event',
};

export function stageName(table: string): string {
  return `stage_${table.replace('record.', '')}`;
}
