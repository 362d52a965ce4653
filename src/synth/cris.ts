// CRIS rows. Each row is a pure function of (context, row index): the COPY loop generates a
// table in key order, and other tables (links, audit, search criteria) re-derive what they need.
import type { Ctx } from './context.ts';
import { gappedId, missingGappedId, NOMINAL_ID_BASE } from './keys.ts';
import { narrative } from './narrative.ts';
import type { Rng } from './random.ts';
import { ambiguousTime, DAY, fmtSql, HOUR, nonexistentTime, PERIOD_END, PERIOD_START, yearOf } from './time.ts';
import {
  birthDate, canonicalVrm, croNo, ethnicCode, fit, maybeBlank, maybeTrailing, mojibakeName, personName, pncId,
  sexCode, typedPostcode, typedVrm, validPostcode, ymdIso, type Ymd,
} from './values.ts';
import * as V from './vocab.ts';
import { planted as plantedAt } from './planted.ts';

export type Row = Record<string, string | number | null>;

const upper = (s: string) => s.toUpperCase();

/** A timestamp moved into a DST transition hour at the dst* rates. */
export function dstQuirk(t: number, rng: Rng, ctx: Ctx): number {
  const f = rng.float();
  if (f < ctx.rates.dstAmbiguous) return ambiguousTime(yearOf(t), rng);
  if (f < ctx.rates.dstAmbiguous + ctx.rates.dstNonexistent) return nonexistentTime(yearOf(t), rng);
  return t;
}

/** A time at fraction (i + u) / n of the legacy period. */
export function timelineAt(i: number, n: number, u: number): number {
  return PERIOD_START + Math.floor(((i + u) / n) * (PERIOD_END - PERIOD_START - DAY));
}

// ---------------------------------------------------------------- ADDRESS

export interface AddressMeta {
  street: string;
  town: string;
  postcode: string; // canonical
}

export function address(ctx: Ctx, i: number): { row: Row; meta: AddressMeta } {
  const rng = ctx.rng('ADDRESS', i);
  const { rates } = ctx;
  const f = rng.float();
  const premises = f < 0.7 ? String(rng.range(1, 250)) + (rng.chance(0.05) ? 'A' : '') : f < 0.85 ? `Flat ${rng.range(1, 40)}, ${rng.range(1, 120)}` : rng.pick(V.PREMISES_NAMES);
  const street = `${rng.pick(V.STREET_NAMES)} ${rng.pick(V.STREET_SUFFIXES)}`;
  const town = rng.pick(V.TOWNS);
  const postcode = validPostcode(rng);
  const caps = !rng.chance(0.3);
  const cased = (s: string) => (caps ? upper(s) : s);
  const grid = rng.chance(0.85);
  return {
    meta: { street, town, postcode },
    row: {
      address_id: gappedId(i),
      premises: maybeBlank(cased(premises), rng, rates),
      street: maybeTrailing(fit(cased(street), 60), rng, rates, 60),
      locality: rng.chance(0.5) ? cased(rng.pick(V.LOCALITIES)) : null,
      town: maybeTrailing(cased(town), rng, rates, 40),
      postcode: i === plantedAt(ctx).crisAddressBadPostcode ? postcode.slice(0, -1) : rng.chance(0.05) ? null : typedPostcode(postcode, rng, rates),
      easting: grid ? rng.range(503_000, 561_000) : null,
      northing: grid ? rng.range(155_000, 200_000) : null,
    },
  };
}

// ---------------------------------------------------------------- VEHICLE

export interface VehicleMeta {
  vrm: string; // canonical
  make: string;
  model: string;
  colour: string;
}

export function vehicle(ctx: Ctx, i: number): { row: Row; meta: VehicleMeta } {
  const rng = ctx.rng('VEHICLE', i);
  const vrm = canonicalVrm(rng);
  const [make, models] = rng.pick(V.MAKES_MODELS);
  const model = rng.pick(models);
  const colour = rng.pick(V.COLOURS);
  const caps = rng.chance(0.6);
  const cased = (s: string) => (caps ? upper(s) : s);
  return {
    meta: { vrm, make, model, colour },
    row: {
      vehicle_id: gappedId(i),
      vrm: typedVrm(vrm, rng, ctx.rates),
      make: rng.chance(0.04) ? null : maybeTrailing(cased(make), rng, ctx.rates, 30),
      model: rng.chance(0.1) ? null : maybeBlank(cased(model), rng, ctx.rates),
      colour: rng.chance(0.05) ? null : maybeTrailing(cased(colour), rng, ctx.rates, 30),
    },
  };
}

// ---------------------------------------------------------------- NOMINAL

export interface NominalMeta {
  id: number;
  surname: string; // natural case, undamaged
  forenames: string | null;
  dob: Ymd | null; // null when unknown
  deleted: boolean;
  planted: boolean;
  /** stored name differs from the natural one (mojibake): not used for search criteria */
  damaged: boolean;
}

export const nominalId = (i: number) => NOMINAL_ID_BASE + gappedId(i);
export const nominalDeleted = (ctx: Ctx, i: number) => {
  const p = plantedAt(ctx);
  return ctx.coin('NOMINAL-deleted', i, ctx.rates.deleted) && i !== p.crisNominalBlank && i !== p.crisNominalBadPnc;
};

export function nominal(ctx: Ctx, i: number): { row: Row; meta: NominalMeta } {
  const rng = ctx.rng('NOMINAL', i);
  const { rates } = ctx;
  const name = personName(rng, ctx.ref, rates);
  const caps = !rng.chance(rates.mixedCaseCris);
  let surname = caps ? upper(name.surname) : name.surname;
  let forenames = name.forenames === null ? null : caps ? upper(name.forenames) : name.forenames;
  let damaged = false;
  if (rng.chance(rates.mojibake)) {
    surname = mojibakeName(surname, rng);
    damaged = true;
  }
  if (forenames !== null && rng.chance(rates.mojibake)) {
    forenames = mojibakeName(forenames, rng);
    damaged = true;
  }
  surname = maybeTrailing(fit(surname, 34), rng, rates, 35);
  forenames = forenames === null ? (rng.chance(rates.blankValue) ? '' : null) : maybeTrailing(fit(forenames, 49), rng, rates, 50);
  const born = birthDate(rng);
  const d = rng.float();
  const dobKnown = d >= rates.unknownDob + rates.missingDob;
  const dob = dobKnown ? `${ymdIso(born)} 00:00:00` : d < rates.unknownDob ? '1900-01-01 00:00:00' : null;
  const hasAddress = rng.float();
  const addressId = hasAddress < rates.orphanRef ? missingGappedId(rng, ctx.counts.addresses) : hasAddress < 0.8 ? gappedId(rng.int(ctx.counts.addresses)) : null;
  const p = plantedAt(ctx);
  const planted = i === p.crisNominalBlank || i === p.crisNominalBadPnc;
  const deleted = nominalDeleted(ctx, i);
  const flag = rng.float();
  return {
    meta: { id: nominalId(i), surname: name.surname, forenames: name.forenames, dob: dobKnown ? born : null, deleted, planted, damaged },
    row: {
      nominal_id: nominalId(i),
      surname: i === p.crisNominalBlank ? '' : surname,
      forenames,
      dob,
      sex: sexCode(rng, rates),
      ethnic_code: ethnicCode(rng),
      pnc_id: i === p.crisNominalBadPnc ? pncId(rng, { ...rates, badCheckLetter: 1 }) : rng.chance(0.45) ? pncId(rng, rates) : null,
      cro_no: rng.chance(0.3) ? croNo(rng, rates) : null,
      address_id: addressId,
      deleted: deleted ? 'Y' : flag < 0.8 ? 'N' : flag < 0.95 ? null : '',
    },
  };
}

// ---------------------------------------------------------------- CRIME_REPORT

export interface CrimeMeta {
  crisNo: string;
  reported: number;
  hoCode: string;
  label: string;
  borough: string;
  deleted: boolean;
}

export const crimeDeleted = (ctx: Ctx, i: number) => {
  const p = plantedAt(ctx);
  return ctx.coin('CRIME-deleted', i, ctx.rates.deleted) && i !== p.crisCrimeAmbiguous && i !== p.crisCrimeNonexistent;
};

function classDesc(label: string, rng: Rng): string {
  switch (rng.int(5)) {
    case 0: return upper(label);
    case 1: return label.replace(/ (other than|in a|of a) /, ' - ');
    case 2: return label.split(' ').slice(0, 3).join(' ');
    case 3: return label.toLowerCase();
    default: return `${label} `;
  }
}

/** The cheap part of a crime (no narrative): what links, audit and searches need. */
export function crimeMeta(ctx: Ctx, i: number): CrimeMeta & { rng: Rng } {
  const rng = ctx.rng('CRIME_REPORT', i);
  const p = plantedAt(ctx);
  let reported = dstQuirk(timelineAt(i, ctx.counts.crimes, rng.float()), rng, ctx);
  if (i === p.crisCrimeAmbiguous) reported = ambiguousTime(yearOf(reported), rng);
  if (i === p.crisCrimeNonexistent) reported = nonexistentTime(yearOf(reported), rng);
  const offence = rng.choose(ctx.ref.offenceWeights);
  return {
    rng,
    crisNo: ctx.crisNumbers.crisNo(i, yearOf(reported)),
    reported,
    hoCode: offence.code,
    label: offence.label,
    borough: rng.pick(V.BOROUGHS),
    deleted: crimeDeleted(ctx, i),
  };
}

export function crime(ctx: Ctx, i: number): { row: Row; meta: CrimeMeta; narrative: string | null } {
  const { rng, ...meta } = crimeMeta(ctx, i);
  const { rates } = ctx;
  const from = meta.reported - rng.int(72 * HOUR);
  let to: number | null = from + rng.int(12 * HOUR);
  if (rng.chance(rates.committedReversed)) to = from - rng.range(HOUR, 48 * HOUR);
  else if (rng.chance(0.15)) to = null;
  const created = dstQuirk(meta.reported + rng.int(HOUR), rng, ctx);
  const updated = rng.chance(0.6) ? created + rng.int(200 * DAY) : null;
  const loc = rng.float();
  const locationId = loc < rates.orphanRef ? missingGappedId(rng, ctx.counts.addresses) : loc < 0.9 ? gappedId(rng.int(ctx.counts.addresses)) : null;
  const st = rng.float();
  const text = rng.chance(0.03) ? null : narrative(rng, rates, 'crime', false);
  let borough: string = meta.borough;
  if (rng.chance(rates.trailingSpace)) borough = `${borough} `; // char(2): stored padded, read back trimmed
  else if (rng.chance(rates.blankValue)) borough = '';
  const flag = rng.float();
  return {
    meta,
    narrative: text,
    row: {
      cris_no: meta.crisNo,
      borough,
      ho_class: meta.hoCode,
      class_desc: fit(rng.chance(rates.classDescVariant) ? classDesc(meta.label, rng) : meta.label, 80),
      committed_from: rng.chance(0.05) ? null : fmtSql(from),
      committed_to: to === null ? null : fmtSql(to),
      reported_dt: fmtSql(meta.reported),
      location_id: locationId,
      mo_text: text === null ? null : maybeBlank(text, rng, rates),
      status: st < 0.3 ? 'O' : st < 0.85 ? 'C' : st < 0.93 ? 'N' : 'R',
      oic: rng.chance(0.1) ? null : maybeTrailing(String(rng.range(100_000, 299_999)), rng, rates, 8),
      created_by: maybeTrailing(rng.pick(ctx.users), rng, rates, 8),
      created_dt: fmtSql(created),
      updated_by: updated === null ? null : rng.pick(ctx.users),
      updated_dt: updated === null ? null : fmtSql(updated),
      deleted: meta.deleted ? 'Y' : flag < 0.8 ? 'N' : flag < 0.95 ? null : ' ',
    },
  };
}
