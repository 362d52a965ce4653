// zod schemas of the target rows (migrations/1700000000001_record-schema.ts, target-schema.md).
// The loader validates every row against its table's schema; map() never parses with zod.
// Each schema is strict and names every column: a missing or extra column is an error.
import { z } from 'zod';

/** Stored text: never blank (blank is NULL), never a NUL character (PostgreSQL rejects it). */
const text = z.string().regex(/^(?=[\s\S]*\S)[^\u0000]*$/, 'blank or containing NUL');
const optText = text.nullable();
const id = z.uuid();
/** An instant (timestamptz). */
const instant = z.date();
/** A calendar date (date): `YYYY-MM-DD`. */
const ymd = z.iso.date();
const int32 = z.number().int().min(-2147483648).max(2147483647);
const sourceSystem = z.enum(['CRIS', 'CRIMINT']);
const dobPrecision = z.enum(['day', 'month', 'year', 'unknown']);

export const personSchema = z.strictObject({
  id,
  surname: text,
  forenames: optText,
  date_of_birth: ymd.nullable(),
  dob_precision: dobPrecision,
  sex: z.enum(['male', 'female', 'unknown']),
  ethnicity: z.enum(['IC1', 'IC2', 'IC3', 'IC4', 'IC5', 'IC6', 'IC9']).nullable(),
  pnc_id: z.string().regex(/^\d{4}\/\d{7}[A-Z]$/).nullable(),
  cro_no: z.string().regex(/^\d{6}\/\d{2}[A-Z]$/).nullable(),
  restricted: z.boolean(),
  source_system: sourceSystem,
  created_at: instant.nullable(),
  created_by: optText,
  updated_at: instant.nullable(),
  updated_by: optText,
});

export const personNameSchema = z.strictObject({
  id,
  person_id: id,
  surname: text,
  forenames: optText,
  date_of_birth: ymd.nullable(),
  dob_precision: dobPrecision,
  kind: z.literal('alias'),
});

export const locationSchema = z.strictObject({
  id,
  premises: optText,
  street: optText,
  locality: optText,
  town: optText,
  postcode: z.string().regex(/^[A-Z0-9]{2,4} [0-9][A-Z]{2}$/).nullable(),
  easting: int32.nullable(),
  northing: int32.nullable(),
  source_system: sourceSystem,
});

export const objectSchema = z.strictObject({
  id,
  kind: z.enum(['vehicle', 'telephone']),
  vrm: z.string().regex(/^[^\sa-z\u0000]+$/, 'not upper case without spaces').nullable(),
  make: optText,
  model: optText,
  colour: optText,
  telephone: z.string().regex(/^\+44\d{9,10}$/).nullable(),
  source_system: sourceSystem,
});

export const eventSchema = z.strictObject({
  id,
  kind: z.enum(['crime', 'intelligence']),
  reference: z.string().regex(/^(?:\d{7}\/\d{2}|IR\/\d{4}\/\d{7})$/),
  occurred_from: instant.nullable(),
  occurred_to: instant.nullable(),
  reported_at: instant,
  classification_code: optText,
  classification_label: optText,
  borough: optText,
  status: z.enum(['open', 'closed', 'no_crime', 'referred', 'active', 'archived']).nullable(),
  narrative: optText,
  officer: optText,
  grading_source: z.enum(['1', '2', '3']).nullable(),
  grading_intel: z.enum(['A', 'B', 'C', 'D', 'E']).nullable(),
  grading_handling: z.enum(['P', 'C']).nullable(),
  legacy_grading: z.string().regex(/^(?:5x5x5:[A-E][1-5][1-5]|3x5x2:[1-3][A-E][PC])$/).nullable(),
  mopi_group: z.number().int().min(1).max(3).nullable(),
  review_due: ymd.nullable(),
  restricted: z.boolean(),
  source_system: sourceSystem,
  created_at: instant.nullable(),
  created_by: optText,
  updated_at: instant.nullable(),
  updated_by: optText,
});

export type PersonRow = z.infer<typeof personSchema>;
export type PersonNameRow = z.infer<typeof personNameSchema>;
export type LocationRow = z.infer<typeof locationSchema>;
export type ObjectRow = z.infer<typeof objectSchema>;
export type EventRow = z.infer<typeof eventSchema>;

// Link rows (Mapping.schemas covers record tables only; these are here for the loader if it wants them).
export const linkSchemas = {
  'record.event_person': z.strictObject({
    event_id: id, person_id: id,
    role: z.enum(['victim', 'suspect', 'witness', 'accused', 'reporting_person', 'subject', 'associate', 'mentioned']),
  }),
  'record.event_location': z.strictObject({ event_id: id, location_id: id, role: z.enum(['occurred_at', 'mentioned']) }),
  'record.event_object': z.strictObject({ event_id: id, object_id: id, role: z.enum(['stolen', 'used', 'damaged', 'mentioned']) }),
  'record.person_location': z.strictObject({ person_id: id, location_id: id, role: z.literal('resides_at') }),
  'record.person_object': z.strictObject({ person_id: id, object_id: id, role: z.literal('uses') }),
} as const;
