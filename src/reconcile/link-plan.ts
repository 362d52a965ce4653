// Which step writes which link rows, and how the target's link rows are traced back to the
// source record that should have produced them: through the lineage of the owner column (the
// record the link belongs to). A CRIS link table (CRIME_NOMINAL) is owned by the pair of records
// it joins, so its rows are traced through both sides and grouped by both keys.
import type { LinkTable } from '../pipeline/types.ts';
import type { SystemName } from '../sources/types.ts';

export interface LinkPlan {
  system: SystemName;
  /** the step (source entity) whose mapping emits these links */
  entity: string;
  table: LinkTable;
  /** the link column holding the owning record's id, and that record's entity */
  owner: { column: string; entity: string };
  /** link-only steps: the other referenced record, the second part of the group key */
  other?: { column: string; entity: string };
}

export const LINK_PLAN: readonly LinkPlan[] = [
  { system: 'CRIS', entity: 'NOMINAL', table: 'record.person_location', owner: { column: 'person_id', entity: 'NOMINAL' } },
  { system: 'CRIS', entity: 'CRIME_REPORT', table: 'record.event_location', owner: { column: 'event_id', entity: 'CRIME_REPORT' } },
  {
    system: 'CRIS', entity: 'CRIME_NOMINAL', table: 'record.event_person',
    owner: { column: 'event_id', entity: 'CRIME_REPORT' }, other: { column: 'person_id', entity: 'NOMINAL' },
  },
  {
    system: 'CRIS', entity: 'CRIME_VEHICLE', table: 'record.event_object',
    owner: { column: 'event_id', entity: 'CRIME_REPORT' }, other: { column: 'object_id', entity: 'VEHICLE' },
  },
  { system: 'CRIMINT', entity: 'nominals.json', table: 'record.person_location', owner: { column: 'person_id', entity: 'nominals.json' } },
  { system: 'CRIMINT', entity: 'nominals.json', table: 'record.person_object', owner: { column: 'person_id', entity: 'nominals.json' } },
  { system: 'CRIMINT', entity: 'intel_reports.json', table: 'record.event_person', owner: { column: 'event_id', entity: 'intel_reports.json' } },
  { system: 'CRIMINT', entity: 'intel_reports.json', table: 'record.event_object', owner: { column: 'event_id', entity: 'intel_reports.json' } },
  { system: 'CRIMINT', entity: 'intel_reports.json', table: 'record.event_location', owner: { column: 'event_id', entity: 'intel_reports.json' } },
];

export function linkPlansFor(system: string, entity: string): LinkPlan[] {
  return LINK_PLAN.filter((p) => p.system === system && p.entity === entity);
}
