// The mappings of each pipeline, in dependency order (records before the links that point at them).
import { ConfigError } from '../src/core/problems.ts';
import type { Mapping } from '../src/pipeline/types.ts';
import type { SystemName } from '../src/sources/types.ts';
import { mapping as crisAddress } from './cris-address.ts';
import { mapping as crisVehicle } from './cris-vehicle.ts';
import { mapping as crisNominal } from './cris-nominal.ts';
import { mapping as crisCrimeReport } from './cris-crime-report.ts';
import { mapping as crisCrimeNominal } from './cris-crime-nominal.ts';
import { mapping as crisCrimeVehicle } from './cris-crime-vehicle.ts';
import { mapping as crimintNominal } from './crimint-nominal.ts';
import { mapping as crimintIntelReport } from './crimint-intel-report.ts';
// The audit mappings (cris-audit-trail.ts, crimint-audit.ts) are added as the last step of each
// pipeline in pipelines/*.ts: the lists here are the record entities.

export const CRIS_MAPPINGS: readonly Mapping[] = Object.freeze([
  crisAddress, // ADDRESS
  crisVehicle, // VEHICLE
  crisNominal, // NOMINAL (→ ADDRESS)
  crisCrimeReport, // CRIME_REPORT (→ ADDRESS)
  crisCrimeNominal, // CRIME_NOMINAL (CRIME_REPORT ↔ NOMINAL)
  crisCrimeVehicle, // CRIME_VEHICLE (CRIME_REPORT ↔ VEHICLE)
]);

export const CRIMINT_MAPPINGS: readonly Mapping[] = Object.freeze([
  crimintNominal, // nominals.json
  crimintIntelReport, // intel_reports.json (→ nominals.json)
]);

export const MAPPINGS: Readonly<Record<SystemName, readonly Mapping[]>> = Object.freeze({
  CRIS: CRIS_MAPPINGS,
  CRIMINT: CRIMINT_MAPPINGS,
});

/** The mapping of a legacy entity (`CRIS`, `NOMINAL`; `CRIMINT`, `nominals.json`). */
export function mappingFor(system: SystemName, entity: string): Mapping {
  const m = MAPPINGS[system]?.find((x) => x.entity === entity);
  if (!m) {
    const known = (MAPPINGS[system] ?? []).map((x) => x.entity).join(', ');
    throw new ConfigError(`no mapping for ${system} entity ${JSON.stringify(entity)}`, `Known ${system} entities: ${known || 'none'}.`);
  }
  return m;
}
