// CRIMINT records (nominals.json, intel_reports.json), each a pure function of its index.
// Field order and shapes follow legacy-data.md exactly.
import type { Ctx } from './context.ts';
import { dstQuirk, timelineAt } from './cris.ts';
import { missingNominalRef, nominalRef, urn } from './keys.ts';
import { narrative } from './narrative.ts';
import type { Rng } from './random.ts';
import { DAY, fmtUk, fmtUkDate, GRADING_SWITCH, ts, yearOf } from './time.ts';
import {
  birthDate, canonicalVrm, ethnicCode, maybeBlank, maybeTrailing, mojibakeName, personName, phone, pncId, sexCode,
  typedPostcode, typedVrm, validPostcode, withNul, ymdUk, type Ymd,
} from './values.ts';
import * as V from './vocab.ts';
import { planted } from './planted.ts';

export type Json = Record<string, unknown>;

export interface Place {
  premises: string;
  street: string;
  town: string;
  postcode: string | null;
}

function place(rng: Rng, ctx: Ctx): { json: Place; canonical: string; street: string; town: string } {
  const canonical = validPostcode(rng);
  const street = `${rng.pick(V.STREET_NAMES)} ${rng.pick(V.STREET_SUFFIXES)}`;
  const town = rng.pick(V.TOWNS);
  const premises = rng.chance(0.2) ? '' : rng.chance(0.8) ? String(rng.range(1, 250)) : rng.pick(V.PREMISES_NAMES);
  return {
    canonical, street, town,
    json: { premises, street: maybeTrailing(street, rng, ctx.rates, 200), town, postcode: rng.chance(0.05) ? null : typedPostcode(canonical, rng, ctx.rates) },
  };
}

/** CRIMINT dob as text, with partial / empty / missing at their rates; `known` is the period start. */
function crimintDob(rng: Rng, ctx: Ctx): { text: string | null; ymd: Ymd | null; precision: 'day' | 'month' | 'year' | null } {
  const born = birthDate(rng);
  const { rates } = ctx;
  const f = rng.float();
  if (f < rates.partialDob) {
    return rng.chance(0.5)
      ? { text: `00/${String(born.m).padStart(2, '0')}/${born.y}`, ymd: born, precision: 'month' }
      : { text: `00/00/${born.y}`, ymd: born, precision: 'year' };
  }
  if (f < rates.partialDob + rates.emptyDob) return { text: '', ymd: null, precision: null };
  if (f < rates.partialDob + rates.emptyDob + rates.missingDob) return { text: null, ymd: null, precision: null };
  return { text: ymdUk(born), ymd: born, precision: 'day' };
}

// ---------------------------------------------------------------- nominals

export interface CrimintNominalMeta {
  ref: string;
  surname: string;
  forenames: string | null;
  dob: Ymd | null;
  dobPrecision: 'day' | 'month' | 'year' | null;
  places: { street: string; town: string; postcode: string }[];
  phones: string[];
  deleted: boolean;
  planted: boolean;
  damaged: boolean;
}

export const crimintNominalDeleted = (ctx: Ctx, i: number) => {
  const p = planted(ctx);
  return ctx.coin('cn-nominal-deleted', i, ctx.rates.deleted) && i !== p.cnNominalNoSurname && i !== p.cnNominalBadAliases;
};

export function crimintNominal(ctx: Ctx, i: number): { json: Json; meta: CrimintNominalMeta } {
  const rng = ctx.rng('nominals.json', i);
  const { rates } = ctx;
  const name = personName(rng, ctx.ref, rates);
  const caps = rng.chance(0.1);
  let surname = caps ? name.surname.toUpperCase() : name.surname;
  let forenames = name.forenames === null ? null : caps ? name.forenames.toUpperCase() : name.forenames;
  let damaged = false;
  if (rng.chance(rates.mojibake)) {
    surname = mojibakeName(surname, rng);
    damaged = true;
  }
  if (rng.chance(rates.nul)) {
    if (forenames !== null && rng.chance(0.5)) forenames = withNul(forenames, rng);
    else surname = withNul(surname, rng);
    damaged = true;
  }
  surname = maybeTrailing(surname, rng, rates, 200);
  const dob = crimintDob(rng, ctx);
  const aliases: Json[] = [];
  if (rng.chance(rates.alias)) {
    const k = rng.chance(0.75) ? 1 : 2;
    for (let a = 0; a < k; a++) {
      const other = personName(rng, ctx.ref, rates);
      const alias: Json = {
        surname: rng.chance(0.5) ? other.surname : name.surname,
        forenames: rng.chance(0.6) ? (name.forenames ?? other.forenames) : other.forenames,
      };
      const d = rng.float();
      if (d < rates.aliasNoDob) {
        if (rng.chance(1 / 3)) alias.dob = ''; // else: no dob key at all
      } else if (d < rates.aliasNoDob + rates.aliasPartialDob) {
        const b = dob.ymd ?? birthDate(rng);
        alias.dob = rng.chance(0.5) ? `00/${String(b.m).padStart(2, '0')}/${b.y}` : `00/00/${b.y}`;
      } else alias.dob = ymdUk(rng.chance(0.5) && dob.ymd ? dob.ymd : birthDate(rng));
      aliases.push(alias);
    }
  }
  const places = Array.from({ length: rng.chance(0.7) ? (rng.chance(0.85) ? 1 : 2) : 0 }, () => place(rng, ctx));
  const phones = Array.from({ length: rng.chance(0.5) ? rng.range(1, 3) : 0 }, () => phone(rng, rates));
  const created = dstQuirk(timelineAt(i, ctx.counts.cnNominals, rng.float()), rng, ctx);
  const { cnNominalNoSurname: noSurname, cnNominalBadAliases: badAliases } = planted(ctx);
  const deleted = crimintNominalDeleted(ctx, i);
  const status = deleted ? 'DELETED' : rng.chance(rates.archived) ? 'ARCHIVED' : 'ACTIVE';
  const ref = nominalRef(i);
  const json: Json = {
    ref,
    surname,
    forenames: forenames === null ? null : maybeBlank(forenames, rng, rates),
    dob: dob.text,
    sex: sexCode(rng, rates),
    ethnicity: ethnicCode(rng),
    pnc: rng.chance(0.4) ? pncId(rng, rates) : null,
    aliases: i === badAliases ? 'none' : aliases,
    addresses: places.map((p) => p.json),
    phones,
    status,
    created: fmtUk(created),
    createdBy: rng.pick(ctx.users),
  };
  if (i === noSurname) delete json.surname;
  return {
    json,
    meta: {
      ref, surname: name.surname, forenames: name.forenames, dob: dob.ymd, dobPrecision: dob.precision,
      places: places.map((p) => ({ street: p.street, town: p.town, postcode: p.canonical })), phones,
      deleted, planted: i === noSurname || i === badAliases, damaged,
    },
  };
}

/** The later copy of a re-exported nominal: the same ref, something changed. */
export function changedNominal(ctx: Ctx, i: number): Json {
  const json = { ...crimintNominal(ctx, i).json };
  const rng = ctx.rng('nominals.json/re-export', i);
  switch (rng.int(3)) {
    case 0: if (json.status !== 'DELETED') { json.status = json.status === 'ACTIVE' ? 'ARCHIVED' : 'ACTIVE'; break; } // falls through
    case 1: json.phones = [...(json.phones as string[]), phone(rng, ctx.rates)]; break;
    default: json.forenames = `${json.forenames ?? ''} ${rng.choose(ctx.ref.forenames)}`.trim();
  }
  return json;
}

// ---------------------------------------------------------------- intelligence reports

export interface ReportMeta {
  urn: string;
  created: number;
  scheme: '5x5x5' | '3x5x2';
  grading: { source: string; intel: string; handling: string };
  subjects: { ref: string; role: string }[];
  vehicles: { vrm: string; make: string; model: string; colour: string }[];
  places: { street: string; town: string; postcode: string }[];
  text: string;
  deleted: boolean;
  planted: boolean;
}

export const reportDeleted = (ctx: Ctx, i: number) => {
  const p = planted(ctx);
  return ctx.coin('cn-report-deleted', i, ctx.rates.deleted) && i !== p.cnReportBadDate && i !== p.cnReportBadMopi;
};

const SUBJECT_ROLES = ['SUBJECT', 'SUBJECT', 'SUBJECT', 'SUBJECT', 'ASSOCIATE', 'ASSOCIATE', 'VICTIM', 'MENTIONED', 'MENTIONED'] as const;

function grading(rng: Rng, scheme: '5x5x5' | '3x5x2') {
  if (scheme === '5x5x5') {
    return { source: rng.pick(['A', 'B', 'B', 'B', 'C', 'C', 'C', 'D', 'E', 'E']), intel: rng.pick(['1', '2', '2', '3', '3', '4', '5']), handling: rng.pick(['1', '1', '1', '2', '3', '4', '5']) };
  }
  return { source: rng.pick(['1', '2', '2', '3']), intel: rng.pick(['A', 'B', 'B', 'C', 'D', 'E']), handling: rng.pick(['P', 'P', 'P', 'C']) };
}

/** The cheap head of a report (creation time and URN), and its generator positioned after them. */
export function reportHead(ctx: Ctx, i: number): { rng: Rng; created: number; urn: string } {
  const rng = ctx.rng('intel_reports.json', i);
  const badDate = planted(ctx).cnReportBadDate;
  const created = i === badDate ? ts(2019, 2, 28, 10) : dstQuirk(timelineAt(i, ctx.counts.cnReports, rng.float()), rng, ctx);
  return { rng, created, urn: urn(i, yearOf(created)) };
}

export function intelReport(ctx: Ctx, i: number): { json: Json; meta: ReportMeta } {
  const { rng, created, urn: u } = reportHead(ctx, i);
  const { rates } = ctx;
  const { cnReportBadDate: badDate, cnReportBadMopi: badMopi } = planted(ctx);
  const scheme = created < GRADING_SWITCH ? '5x5x5' : '3x5x2';
  const g = grading(rng, scheme);
  const text = maybeBlank(narrative(rng, rates, 'intel', true), rng, rates) ?? '';
  const mopi = rng.pick([1, 2, 2, 3, 3, 3]);
  const review = created + (mopi === 3 ? 6 : 10) * 365 * DAY + rng.int(60) * DAY;
  const nN = ctx.counts.cnNominals;
  const subjects: { ref: string; role: string }[] = [];
  const seen = new Set<string>();
  for (let k = rng.chance(0.85) ? rng.range(1, 3) : 0; k > 0; k--) {
    let ref: string;
    if (rng.chance(rates.orphanRef)) ref = missingNominalRef(rng, nN);
    else if (rng.chance(0.2)) ref = nominalRef(ctx.hash('cn-prolific', rng.int(Math.max(1, Math.floor(nN * 0.03))), nN));
    else ref = nominalRef(Math.min(nN - 1, Math.max(0, Math.floor((i / ctx.counts.cnReports) * nN) + rng.range(-20, 20))));
    if (seen.has(ref)) continue;
    seen.add(ref);
    subjects.push({ ref, role: rng.pick(SUBJECT_ROLES) });
  }
  const vehicles = Array.from({ length: rng.chance(0.3) ? rng.range(1, 2) : 0 }, () => {
    const [make, models] = rng.pick(V.MAKES_MODELS);
    return { vrm: canonicalVrm(rng), make, model: rng.pick(models), colour: rng.pick(V.COLOURS) };
  });
  const places = Array.from({ length: rng.chance(0.5) ? rng.range(1, 2) : 0 }, () => place(rng, ctx));
  const phones = Array.from({ length: rng.chance(0.25) ? rng.range(1, 2) : 0 }, () => phone(rng, rates));
  const deleted = reportDeleted(ctx, i);
  const json: Json = {
    urn: u,
    created: i === badDate ? '31/02/2019 10:00:00' : fmtUk(created),
    createdBy: rng.pick(ctx.users),
    gradingScheme: scheme,
    grading: g,
    text,
    reviewDate: fmtUkDate(review),
    mopiGroup: i === badMopi ? 'three' : mopi,
    subjects,
    vehicles: vehicles.map((v) => ({ vrm: typedVrm(v.vrm, rng, rates), make: v.make, model: v.model, colour: v.colour })),
    locations: places.map((p) => p.json),
    phones,
    status: deleted ? 'DELETED' : rng.chance(rates.archived) ? 'ARCHIVED' : 'ACTIVE',
  };
  if (i !== badMopi && rng.chance(rates.mopiMissing)) delete json.mopiGroup;
  return {
    json,
    meta: {
      urn: u, created, scheme, grading: g, subjects, vehicles, text, deleted, planted: i === badDate || i === badMopi,
      places: places.map((p) => ({ street: p.street, town: p.town, postcode: p.canonical })),
    },
  };
}

/** The later copy of a re-exported report: the same URN, something changed. */
export function changedReport(ctx: Ctx, i: number): Json {
  const { json: original, meta } = intelReport(ctx, i);
  const json = { ...original };
  const rng = ctx.rng('intel_reports.json/re-export', i);
  switch (rng.int(3)) {
    case 0: json.text = `${json.text as string} UPDATE ${fmtUkDate(meta.created + rng.range(1, 300) * DAY)}: subject arrested.`; break;
    case 1: if (json.status !== 'DELETED') { json.status = json.status === 'ARCHIVED' ? 'ACTIVE' : 'ARCHIVED'; break; } // falls through
    default: json.reviewDate = fmtUkDate(meta.created + (12 * 365 + rng.int(365)) * DAY); // review pushed out
  }
  return json;
}
