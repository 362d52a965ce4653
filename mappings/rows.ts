// Row builders shared by the CRIS and CRIMINT mappings: a location, a vehicle, a telephone and
// the person attributes. Field names in warnings are `prefix + column` (CRIS: the column,
// CRIMINT inline items: the JSON path, e.g. `addresses/0/postcode`).
import type { SystemName } from '../src/sources/types.ts';
import {
  canonicalCro, canonicalPnc, ethnicCode, normalisePostcode, normaliseVrm, sexCode, toE164, type Dob,
} from '../src/transform/index.ts';
import { type Ctx, int, isBlank, noNul, show, str, text, typeName } from './lib.ts';
import type { LocationRow, ObjectRow, PersonRow } from './schemas.ts';

/** A location from an object with `premises`, `street`, `locality`, `town`, `postcode`, `easting`, `northing`. */
export function locationRow(ctx: Ctx, id: string, system: SystemName, src: Record<string, unknown>, prefix: string): LocationRow {
  return {
    id,
    premises: text(ctx, str(ctx, src['premises'], prefix + 'premises'), prefix + 'premises'),
    street: text(ctx, str(ctx, src['street'], prefix + 'street'), prefix + 'street'),
    locality: text(ctx, str(ctx, src['locality'], prefix + 'locality'), prefix + 'locality'),
    town: text(ctx, str(ctx, src['town'], prefix + 'town'), prefix + 'town'),
    postcode: postcode(ctx, src['postcode'], prefix + 'postcode'),
    easting: int(ctx, src['easting'], prefix + 'easting'),
    northing: int(ctx, src['northing'], prefix + 'northing'),
    source_system: system,
  };
}

/** Canonical postcode; blank → null; invalid → null + `invalid_postcode`. */
export function postcode(ctx: Ctx, v: unknown, field: string): string | null {
  const s = noNul(ctx, str(ctx, v, field), field);
  if (isBlank(s)) return null;
  const pc = normalisePostcode(s);
  if (pc === null) ctx.warn('invalid_postcode', field, `${show(s)} is not a valid UK postcode; stored as NULL`);
  return pc;
}

/** A vehicle from an object with `vrm`, `make`, `model`, `colour`. */
export function vehicleRow(ctx: Ctx, id: string, system: SystemName, src: Record<string, unknown>, prefix: string): ObjectRow {
  return {
    id,
    kind: 'vehicle',
    vrm: normaliseVrm(noNul(ctx, str(ctx, src['vrm'], prefix + 'vrm'), prefix + 'vrm')),
    make: text(ctx, str(ctx, src['make'], prefix + 'make'), prefix + 'make'),
    model: text(ctx, str(ctx, src['model'], prefix + 'model'), prefix + 'model'),
    colour: text(ctx, str(ctx, src['colour'], prefix + 'colour'), prefix + 'colour'),
    telephone: null,
    source_system: system,
  };
}

/** A telephone object; the number in E.164, or null + `invalid_phone` (`invalid_type` when not a string). */
export function telephoneRow(ctx: Ctx, id: string, system: SystemName, v: unknown, field: string): ObjectRow {
  const s = noNul(ctx, str(ctx, v, field), field);
  let telephone: string | null = null;
  if (!isBlank(s)) {
    telephone = toE164(s);
    if (telephone === null) ctx.warn('invalid_phone', field, `${show(s)} is not a valid UK telephone number; stored as NULL`);
  }
  return { id, kind: 'telephone', vrm: null, make: null, model: null, colour: null, telephone, source_system: system };
}

/** `sex`: M/F/U; blank → unknown; anything else → unknown + `invalid_sex` (`invalid_type` when not a string). */
export function sex(ctx: Ctx, v: unknown, field: string): PersonRow['sex'] {
  if (v !== null && v !== undefined && typeof v !== 'string') {
    ctx.warn('invalid_type', field, `expected a string, found ${typeName(v)} ${show(v)}; stored as unknown`);
    return 'unknown';
  }
  const r = sexCode(v);
  if (r.warning) ctx.warn('invalid_sex', field, `${show(v)} is not M, F or U; stored as unknown`);
  return r.value;
}

/** `IC1`…`IC6`, `IC9`; blank → null; anything else → null + `invalid_ethnicity`. */
export function ethnicity(ctx: Ctx, v: unknown, field: string): PersonRow['ethnicity'] {
  const s = str(ctx, v, field);
  if (isBlank(s)) return null;
  const code = ethnicCode(s);
  if (code === null) ctx.warn('invalid_ethnicity', field, `${show(s)} is not an IC code (IC1–IC6, IC9); stored as NULL`);
  return code as PersonRow['ethnicity'];
}

/** Canonical PNC ID; blank → null; malformed or wrong check letter → null + `invalid_pnc`. */
export function pnc(ctx: Ctx, v: unknown, field: string): string | null {
  const s = str(ctx, v, field);
  if (isBlank(s)) return null;
  const c = canonicalPnc(s);
  if (c === null) ctx.warn('invalid_pnc', field, `${show(s)} is not a valid PNC ID (format or check letter); stored as NULL`);
  return c;
}

/** Canonical CRO number; blank → null; malformed or wrong check letter → null + `invalid_cro`. */
export function cro(ctx: Ctx, v: unknown, field: string): string | null {
  const s = str(ctx, v, field);
  if (isBlank(s)) return null;
  const c = canonicalCro(s);
  if (c === null) ctx.warn('invalid_cro', field, `${show(s)} is not a valid CRO number (format or check letter); stored as NULL`);
  return c;
}

const UNKNOWN_DOB: Dob = Object.freeze({ date: null, precision: 'unknown' }) as Dob;

/** Date of birth through `parse` (parseCrisDob / parseCrimintDob); an error → unknown + `invalid_dob`. */
export function dob(ctx: Ctx, v: unknown, field: string, parse: (s: string | null) => Dob | { error: string }): Dob {
  const s = str(ctx, v, field);
  const r = parse(s);
  if ('error' in r) {
    ctx.warn('invalid_dob', field, `${r.error}; stored as unknown`);
    return UNKNOWN_DOB;
  }
  return r;
}
