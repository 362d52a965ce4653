// CRIS CRIME_VEHICLE → record.event_object (link only). Roles ST/US/DA → stolen/used/damaged.
import { crisVehicleRole } from '../src/transform/index.ts';
import { crisLinkMapping } from './cris-link.ts';

export const mapping = crisLinkMapping({
  entity: 'CRIME_VEHICLE',
  table: 'record.event_object',
  otherColumn: 'vehicle_id',
  otherEntity: 'VEHICLE',
  otherIdColumn: 'object_id',
  role: crisVehicleRole,
  roleCodes: 'ST, US, DA',
});
