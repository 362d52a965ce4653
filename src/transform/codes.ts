/**
 * Legacy code lists → target values (target-schema.md "Where links and codes come from").
 * Lookups trim and upper-case their input; an unknown code → null (sexCode: unknown + warning).
 */

export const CRIS_STATUS = { O: 'open', C: 'closed', N: 'no_crime', R: 'referred' } as const;
export const CRIMINT_STATUS = { ACTIVE: 'active', ARCHIVED: 'archived' } as const;
export const CRIS_PERSON_ROLE = {
  VI: 'victim', SU: 'suspect', WI: 'witness', AC: 'accused', RP: 'reporting_person',
} as const;
export const CRIS_VEHICLE_ROLE = { ST: 'stolen', US: 'used', DA: 'damaged' } as const;
export const CRIMINT_SUBJECT_ROLE = {
  SUBJECT: 'subject', ASSOCIATE: 'associate', VICTIM: 'victim', MENTIONED: 'mentioned',
} as const;
/** PNC ethnic appearance (IC) codes kept in `person.ethnicity`. */
export const ETHNIC_CODES: readonly string[] = Object.freeze(['IC1', 'IC2', 'IC3', 'IC4', 'IC5', 'IC6', 'IC9']);

export type CrisStatus = (typeof CRIS_STATUS)[keyof typeof CRIS_STATUS];
export type CrimintStatus = (typeof CRIMINT_STATUS)[keyof typeof CRIMINT_STATUS];
export type CrisPersonRole = (typeof CRIS_PERSON_ROLE)[keyof typeof CRIS_PERSON_ROLE];
export type CrisVehicleRole = (typeof CRIS_VEHICLE_ROLE)[keyof typeof CRIS_VEHICLE_ROLE];
export type CrimintSubjectRole = (typeof CRIMINT_SUBJECT_ROLE)[keyof typeof CRIMINT_SUBJECT_ROLE];
export type Sex = 'male' | 'female' | 'unknown';

function key(s: unknown): string {
  return typeof s === 'string' ? s.trim().toUpperCase() : '';
}

function lookup<T extends Record<string, string>>(table: T, s: unknown): T[keyof T] | null {
  const k = key(s);
  return Object.hasOwn(table, k) ? (table[k] as T[keyof T]) : null;
}

/** CRIS `STATUS` O/C/N/R → open/closed/no_crime/referred. */
export function crisStatus(s: unknown): CrisStatus | null {
  return lookup(CRIS_STATUS, s);
}

/** CRIMINT `status` ACTIVE/ARCHIVED → active/archived (DELETED is excluded earlier → null). */
export function crimintStatus(s: unknown): CrimintStatus | null {
  return lookup(CRIMINT_STATUS, s);
}

/**
 * `SEX` M/F/U → male/female/unknown. NULL/blank means "not recorded" → unknown, no warning.
 * Any other value (`X`, `1`, `MALE` …) → unknown with a warning.
 */
export function sexCode(s: unknown): { value: Sex; warning: boolean } {
  const k = key(s);
  if (k === '' && (s === null || s === undefined || typeof s === 'string')) return { value: 'unknown', warning: false };
  switch (k) {
    case 'M':
      return { value: 'male', warning: false };
    case 'F':
      return { value: 'female', warning: false };
    case 'U':
      return { value: 'unknown', warning: false };
    default:
      return { value: 'unknown', warning: true };
  }
}

/** CRIS `CRIME_NOMINAL.ROLE` VI/SU/WI/AC/RP → event_person role. */
export function crisPersonRole(s: unknown): CrisPersonRole | null {
  return lookup(CRIS_PERSON_ROLE, s);
}

/** CRIS `CRIME_VEHICLE.ROLE` ST/US/DA → stolen/used/damaged. */
export function crisVehicleRole(s: unknown): CrisVehicleRole | null {
  return lookup(CRIS_VEHICLE_ROLE, s);
}

/** CRIMINT `subjects[].role` SUBJECT/ASSOCIATE/VICTIM/MENTIONED → lower case. */
export function crimintSubjectRole(s: unknown): CrimintSubjectRole | null {
  return lookup(CRIMINT_SUBJECT_ROLE, s);
}

/** `IC1`…`IC6`, `IC9` (trimmed, upper-cased) or null for anything else. */
export function ethnicCode(s: unknown): string | null {
  const k = key(s);
  return ETHNIC_CODES.includes(k) ? k : null;
}
