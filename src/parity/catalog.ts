// The search catalog (search-catalog.md) as data: per capability its id, name, the zod schema of
// its parameters (the catalog's exact parameter names, unknown keys rejected) and what it returns.
//
// Parsing canonicalises only structural formats, so both sides of the parity check receive the
// same, unambiguous params: dates → `YYYY-MM-DD` (input `YYYY-MM-DD` or `dd/mm/yyyy`; S04/S20
// `dob` stays `dd/mm/yyyy` as the catalog defines it), integers given as digit strings → numbers,
// S17 roles → target role names (`VI` → `victim`, `SUBJECT` → `subject`). Search values proper
// (names, postcodes, VRMs, phone numbers, references, words) are passed on exactly as given:
// normalising them is each side's job.
import { z } from 'zod';
import { CAPABILITY_IDS, type CapabilityId } from './types.ts';
import { isValidYmd, formatYmd } from '../transform/calendar.ts';
import { parseCrimintDob } from '../transform/dob.ts';
import { nameMatchKey, soundex } from '../transform/names.ts';
import { normalisePostcodeQuery } from '../transform/postcode.ts';
import { normaliseVrm } from '../transform/vrm.ts';
import { phoneSearchKey } from '../transform/phone.ts';
import { tokenise } from '../transform/text.ts';

export type Returns = 'people' | 'locations' | 'vehicles' | 'telephones' | 'events' | 'audit entries' | 'records of every kind';

/** Target role names of event_person (target-schema.md), the canonical S17 role values. */
export const TARGET_ROLES = ['victim', 'suspect', 'witness', 'accused', 'reporting_person', 'subject', 'associate', 'mentioned'] as const;
export type TargetRole = (typeof TARGET_ROLES)[number];

/** Legacy role codes (CRIS CRIME_NOMINAL.ROLE, CRIMINT subjects[].role) → target role names. */
export const LEGACY_ROLES: Record<string, TargetRole> = {
  VI: 'victim', SU: 'suspect', WI: 'witness', AC: 'accused', RP: 'reporting_person',
  SUBJECT: 'subject', ASSOCIATE: 'associate', VICTIM: 'victim', MENTIONED: 'mentioned',
};

/** A role as a user may type it (`VI`, `victim`, `Reporting person`) → target role name, or null. */
export function canonicalRole(v: string): TargetRole | null {
  const t = v.trim();
  const legacy = LEGACY_ROLES[t.toUpperCase()];
  if (legacy) return legacy;
  const name = t.toLowerCase().replace(/[\s-]+/g, '_');
  return (TARGET_ROLES as readonly string[]).includes(name) ? (name as TargetRole) : null;
}

const nonBlank = (what: string) => z.string().refine((s) => s.trim() !== '', `${what} must not be blank`);

/** A name input: must have a name-matching key. */
const nameParam = (what: string) => z.string().refine((s) => nameMatchKey(s) !== '', `${what} must contain a letter or digit`);

/** Integer, also accepted as a digit string (legacy criteria are sometimes all text). */
const int = (min: number, max: number) =>
  z.preprocess((v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v), z.number().int().min(min).max(max));

/** A local calendar date, `YYYY-MM-DD` or `dd/mm/yyyy` → `YYYY-MM-DD`. */
export const dateParam = z.string().transform((s, ctx) => {
  const iso = parseDateInput(s);
  if (iso === null) {
    ctx.addIssue({ code: 'custom', message: `not a date: ${JSON.stringify(s)} (use YYYY-MM-DD or dd/mm/yyyy)` });
    return z.NEVER;
  }
  return iso;
});

export function parseDateInput(s: string): string | null {
  const t = s.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return isValidYmd(y, mo, d) ? formatYmd(y, mo, d) : null;
  }
  m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(t);
  if (m) {
    const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return isValidYmd(y, mo, d) ? formatYmd(y, mo, d) : null;
  }
  return null;
}

/** S04/S20 `dob`: `dd/mm/yyyy`, `00/mm/yyyy` or `00/00/yyyy` (a known DOB, possibly partial). */
const dobParam = z.string().refine((s) => {
  const d = parseCrimintDob(s);
  return !('error' in d) && d.precision !== 'unknown';
}, 'dob must be dd/mm/yyyy, 00/mm/yyyy or 00/00/yyyy');

const codeList = z.array(nonBlank('a code')).min(1);

const roleList = z.array(z.string()).transform((roles, ctx) => {
  const out: TargetRole[] = [];
  for (const r of roles) {
    const c = canonicalRole(r);
    if (c === null) {
      ctx.addIssue({ code: 'custom', message: `unknown role ${JSON.stringify(r)} (use ${TARGET_ROLES.join(', ')} or a legacy code)` });
      return z.NEVER;
    }
    if (!out.includes(c)) out.push(c);
  }
  return out;
});

const gradingValue = z.union([z.string(), z.number()]).transform((v) => String(v).trim().toUpperCase());

/** A name searched by Soundex: needs a key (a letter A–Z after folding). */
const soundexName = z.string().refine((s) => soundex(s) !== null, 'surname must contain a letter A–Z');

const wildcardHasText = (s: string) => s.replace(/[*?\s]/g, '') !== '';

export const PARAMS = {
  S01: z.strictObject({ surname: nameParam('surname'), forenames: z.string().optional() }),
  S02: z.strictObject({
    surname: soundexName,
    forenameInitial: z.string().refine((s) => /^[A-Z]$/.test(nameMatchKey(s)), 'forenameInitial must be one letter').optional(),
  }),
  S03: z.strictObject({ pattern: z.string().refine((s) => wildcardHasText(nameMatchKey(s)), 'pattern must contain a letter besides * and ?') }),
  S04: z.strictObject({ dob: dobParam }),
  S05: z
    .strictObject({ minAge: int(0, 200), maxAge: int(0, 200), onDate: dateParam })
    .refine((p) => p.minAge <= p.maxAge, 'minAge must not exceed maxAge'),
  S06: z.strictObject({
    surname: soundexName,
    birthYear: int(1000, 9999),
    tolerance: int(0, 5),
  }),
  S07: z.strictObject({ postcode: z.string().refine((s) => normalisePostcodeQuery(s) !== null, 'postcode must be a full postcode, a sector (SE1 9) or an outward code (SE1)') }),
  S08: z.strictObject({ street: z.string().refine((s) => tokenise(s).length > 0, 'street must contain a word'), town: z.string().optional() }),
  S09: z.strictObject({ vrm: z.string().refine((s) => normaliseVrm(s) !== null, 'vrm must not be blank') }),
  S10: z.strictObject({ pattern: z.string().refine((s) => wildcardHasText(s), 'pattern must contain a character besides * and ?') }),
  S11: z
    .strictObject({ make: z.string().optional(), model: z.string().optional(), colour: z.string().optional() })
    .refine((p) => [p.make, p.model, p.colour].some((v) => v !== undefined && v.trim() !== ''), 'give at least one of make, model, colour'),
  S12: z.strictObject({ number: z.string().refine((s) => phoneSearchKey(s) !== '', 'number must contain digits') }),
  S13: z.strictObject({ reference: nonBlank('reference') }),
  S14: z
    .strictObject({ words: z.string(), phrase: z.string().optional() })
    .refine((p) => tokenise(p.words).length + tokenise(p.phrase ?? null).length > 0, 'words (or phrase) must contain a word'),
  S15: z.strictObject({ codes: codeList, from: dateParam, to: dateParam, borough: z.string().optional() }),
  S16: z.strictObject({
    scheme: z.string().transform((s) => s.trim().toLowerCase()).pipe(z.enum(['5x5x5', '3x5x2'])),
    sources: z.array(gradingValue).min(1),
    handling: z.array(gradingValue).min(1),
    from: dateParam,
    to: dateParam,
  }),
  S17: z.strictObject({ nominal: nonBlank('nominal'), roles: roleList.optional() }),
  S18: z.strictObject({ vrm: z.string().refine((s) => normaliseVrm(s) !== null, 'vrm must not be blank') }),
  S19: z.strictObject({ reference: nonBlank('reference'), from: dateParam, to: dateParam }),
  S20: z.strictObject({ surname: nameParam('surname'), forenames: z.string(), dob: dobParam }),
} as const satisfies Record<CapabilityId, z.ZodType>;

export type ParamsOf<C extends CapabilityId> = z.output<(typeof PARAMS)[C]>;

export interface CapabilityDef {
  id: CapabilityId;
  name: string;
  returns: Returns;
  /** The catalog's parameter list, `?` = optional, `[]` = list. */
  parameters: string;
  schema: z.ZodType;
}

const META: Record<CapabilityId, [string, Returns, string]> = {
  S01: ['Nominal, exact name', 'people', 'surname, forenames?'],
  S02: ['Nominal, phonetic', 'people', 'surname, forenameInitial?'],
  S03: ['Nominal, wildcard', 'people', 'pattern'],
  S04: ['Nominal, date of birth', 'people', 'dob'],
  S05: ['Nominal, age range', 'people', 'minAge, maxAge, onDate'],
  S06: ['Nominal, name and year', 'people', 'surname, birthYear, tolerance'],
  S07: ['Address, postcode', 'locations', 'postcode'],
  S08: ['Address, street', 'locations', 'street, town?'],
  S09: ['Vehicle, VRM', 'vehicles', 'vrm'],
  S10: ['Vehicle, partial VRM', 'vehicles', 'pattern'],
  S11: ['Vehicle, description', 'vehicles', 'make?, model?, colour? (at least one)'],
  S12: ['Telephone', 'telephones', 'number'],
  S13: ['Event, reference', 'events', 'reference'],
  S14: ['Event, free text', 'events', 'words, phrase?'],
  S15: ['Crime, classification and period', 'events', 'codes[], from, to, borough?'],
  S16: ['Intelligence, grading', 'events', 'scheme, sources[], handling[], from, to'],
  S17: ['Linked events of a nominal', 'events', 'nominal, roles[]?'],
  S18: ['People linked to a vehicle', 'people', 'vrm'],
  S19: ['Audit, who accessed a record', 'audit entries', 'reference, from, to'],
  S20: ['Subject access (SAR)', 'records of every kind', 'surname, forenames, dob'],
};

export const CATALOG: readonly CapabilityDef[] = CAPABILITY_IDS.map((id) => ({
  id,
  name: META[id][0],
  returns: META[id][1],
  parameters: META[id][2],
  schema: PARAMS[id],
}));

export function capability(id: CapabilityId): CapabilityDef {
  return CATALOG.find((c) => c.id === id)!;
}

export function isCapabilityId(v: unknown): v is CapabilityId {
  return typeof v === 'string' && (CAPABILITY_IDS as readonly string[]).includes(v);
}

export type ParamsResult<C extends CapabilityId = CapabilityId> =
  | { ok: true; params: ParamsOf<C> }
  | { ok: false; message: string };

/** Validate (and canonicalise) params of a capability; `message` names each bad field. */
export function validateParams<C extends CapabilityId>(id: C, params: unknown): ParamsResult<C> {
  const r = PARAMS[id].safeParse(params);
  if (r.success) return { ok: true, params: r.data as ParamsOf<C> };
  const message = r.error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  return { ok: false, message: `${id} params: ${message}` };
}

export class InvalidParamsError extends Error {
  override name = 'InvalidParamsError';
}

export function parseParams<C extends CapabilityId>(id: C, params: unknown): ParamsOf<C> {
  const r = validateParams(id, params);
  if (!r.ok) throw new InvalidParamsError(r.message);
  return r.params;
}
