// S17–S18: events linked to a nominal; people linked to a vehicle (search-catalog.md).
// Restricted people and events are hidden, and so is every path through them.
import { normaliseVrm } from '../../src/transform/vrm.ts';
import { ids, type Impl } from './sql.ts';

/** Where a legacy nominal may live in migration.lineage, in order of preference. */
export interface NominalLookup {
  key: string;
  /** [source_system, source_entity] candidates, the first found wins */
  candidates: Array<['CRIS', 'NOMINAL'] | ['CRIMINT', 'nominals.json']>;
}

const CRIS_NOMINAL = ['CRIS', 'NOMINAL'] as ['CRIS', 'NOMINAL'];
const CRIMINT_NOMINAL = ['CRIMINT', 'nominals.json'] as ['CRIMINT', 'nominals.json'];

/**
 * S17 `nominal` → lineage lookup, as the legacy systems resolve it: an identity
 * `CRIS:NOMINAL:12345` / `CRIMINT:nominals.json:N0001234` names its system; otherwise the key as
 * written (trimmed) is a CRIS NOMINAL_ID first when it is all digits, else a CRIMINT ref first.
 */
export function parseNominal(nominal: string): NominalLookup {
  const t = nominal.trim();
  if (t.startsWith('CRIS:NOMINAL:')) return { key: t.slice(13), candidates: [CRIS_NOMINAL] };
  if (t.startsWith('CRIMINT:nominals.json:')) return { key: t.slice(22), candidates: [CRIMINT_NOMINAL] };
  return { key: t, candidates: /^\d+$/.test(t) ? [CRIS_NOMINAL, CRIMINT_NOMINAL] : [CRIMINT_NOMINAL, CRIS_NOMINAL] };
}

/**
 * S17: events linked to that person in one of the roles (all roles if none given). Roles arrive
 * as target role names (the catalog's parser maps CRIS codes VI/SU/WI/AC/RP and CRIMINT roles).
 * A restricted nominal finds nothing; restricted events are not returned.
 */
export const S17: Impl<'S17'> = (p) => {
  const n = parseNominal(p.nominal);
  const roles = p.roles && p.roles.length > 0 ? p.roles : null;
  const [first, second] = n.candidates;
  return ids(
    `WITH nominal AS (
       SELECT l.target_id FROM migration.lineage l
        WHERE l.target_table = 'record.person' AND l.source_key = $1
          AND ((l.source_system = $2 AND l.source_entity = $3) OR (l.source_system = $4 AND l.source_entity = $5))
        ORDER BY (l.source_system = $2) DESC
        LIMIT 1)
     SELECT ep.event_id AS id
       FROM nominal
       JOIN record.person pe ON pe.id = nominal.target_id AND NOT pe.restricted
       JOIN record.event_person ep ON ep.person_id = pe.id
       JOIN record.event e ON e.id = ep.event_id AND NOT e.restricted
      ${roles === null ? '' : 'WHERE ep.role = ANY($6::text[])'}`,
    [n.key, first[0], first[1], (second ?? first)[0], (second ?? first)[1], ...(roles === null ? [] : [roles])],
    { distinct: true }, // one event can link the person in several roles
  );
};

/**
 * S18: people linked to any event that a vehicle with that VRM (S09 matching) is linked to,
 * plus people directly linked to such a vehicle.
 */
export const S18: Impl<'S18'> = (p) =>
  ids(
    `WITH v AS (SELECT id FROM record.object WHERE kind = 'vehicle' AND vrm = $1)
     SELECT ep.person_id AS id
       FROM v
       JOIN record.event_object eo ON eo.object_id = v.id
       JOIN record.event e ON e.id = eo.event_id AND NOT e.restricted
       JOIN record.event_person ep ON ep.event_id = e.id
       JOIN record.person pe ON pe.id = ep.person_id AND NOT pe.restricted
     UNION
     SELECT po.person_id
       FROM v
       JOIN record.person_object po ON po.object_id = v.id
       JOIN record.person pe ON pe.id = po.person_id AND NOT pe.restricted`,
    [normaliseVrm(p.vrm)],
  );
