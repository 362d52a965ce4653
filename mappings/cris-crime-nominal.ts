// CRIS CRIME_NOMINAL → record.event_person (link only). Roles VI/SU/WI/AC/RP → victim/suspect/witness/accused/reporting_person.
import { crisPersonRole } from '../src/transform/index.ts';
import { crisLinkMapping } from './cris-link.ts';

export const mapping = crisLinkMapping({
  entity: 'CRIME_NOMINAL',
  table: 'record.event_person',
  otherColumn: 'nominal_id',
  otherEntity: 'NOMINAL',
  otherIdColumn: 'person_id',
  role: crisPersonRole,
  roleCodes: 'VI, SU, WI, AC, RP',
});
