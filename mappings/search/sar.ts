// S20: subject access (search-catalog.md, compliance.md s.45). Restricted records ARE found.
import { nameMatchKey } from '../../src/transform/names.ts';
import { AUDIT_ID_SQL } from './audit.ts';
import { dobInputPeriod, dobOverlapSql, dobOverlapValues, ids, personsByNameRecord, type Impl } from './sql.ts';

/**
 * S20: the people matched by S01 (surname equal, forenames a prefix) with the DOB matching, on
 * the same name record, restricted or not; then their aliases, the events linked to them, the
 * locations and objects linked to them or to those events, and the legacy disclosure entries
 * (operation `disclosure`) about any of those records: by entity_id, or for events by reference
 * (an entry whose key did not resolve to an id when it was migrated still names the event), or by
 * its legacy key through lineage (an entry appended while its record was not in the target — a
 * record quarantined at the full load and corrected in a delta — keeps no entity_id: the audit
 * log is append-only).
 */
export const S20: Impl<'S20'> = (p) => {
  const fore = nameMatchKey(p.forenames);
  const people = personsByNameRecord(
    (c) =>
      `search.name_key(${c.surname}) = $5${fore === '' ? '' : ` AND starts_with(search.name_key(${c.forenames}), $6)`}
       AND ${dobOverlapSql(c, ['$1', '$2', '$3', '$4'])}`,
    { includeRestricted: true },
  );
  const values: unknown[] = [...dobOverlapValues(dobInputPeriod(p.dob)), nameMatchKey(p.surname)];
  if (fore !== '') values.push(fore);
  return ids(
    `WITH people AS MATERIALIZED (${people}),
     names AS (SELECT n.id FROM record.person_name n WHERE n.person_id = ANY (ARRAY(SELECT id FROM people))),
     events AS MATERIALIZED (SELECT DISTINCT ep.event_id AS id FROM record.event_person ep WHERE ep.person_id = ANY (ARRAY(SELECT id FROM people))),
     locations AS (SELECT location_id AS id FROM record.person_location WHERE person_id = ANY (ARRAY(SELECT id FROM people))
                   UNION SELECT location_id FROM record.event_location WHERE event_id = ANY (ARRAY(SELECT id FROM events))),
     objects AS (SELECT object_id AS id FROM record.person_object WHERE person_id = ANY (ARRAY(SELECT id FROM people))
                 UNION SELECT object_id FROM record.event_object WHERE event_id = ANY (ARRAY(SELECT id FROM events))),
     records AS MATERIALIZED (SELECT id FROM people UNION ALL SELECT id FROM names UNION ALL SELECT id FROM events
                              UNION ALL SELECT id FROM locations UNION ALL SELECT id FROM objects)
     SELECT id::text AS id FROM records
     UNION
     SELECT ${AUDIT_ID_SQL} FROM audit.event a
      WHERE a.operation = 'disclosure' AND a.legacy_audit_id IS NOT NULL
        AND a.entity_id = ANY (ARRAY(SELECT id FROM records))
     UNION
     SELECT ${AUDIT_ID_SQL} FROM audit.event a
      WHERE a.operation = 'disclosure' AND a.legacy_audit_id IS NOT NULL AND a.entity_type = 'event'
        AND search.ref_key(a.entity_ref) = ANY (ARRAY(SELECT search.ref_key(e.reference) FROM record.event e WHERE e.id = ANY (ARRAY(SELECT id FROM events))))
     UNION
     SELECT ${AUDIT_ID_SQL} FROM migration.lineage l
       JOIN audit.event a ON a.entity_ref = l.source_key AND a.origin = l.source_system AND a.entity_type = substr(l.target_table, 8)
      WHERE l.target_id = ANY (ARRAY(SELECT id FROM records)) AND l.parent_key IS NULL
        AND a.operation = 'disclosure' AND a.legacy_audit_id IS NOT NULL AND a.entity_id IS NULL`,
    values,
  );
};
