// The declared field rules: target column ← raw legacy field + the value rule from src/transform.
// The mappings (mappings/*.ts) are imperative code and declare no per-field rules a profile could
// use, so they are written here, once, from target-schema.md and legacy-data.md. The expected
// profile of each column is computed from these rules over the raw source values, independently
// of the mapping, so a mapping bug the row comparison cannot see (every time an hour late, a field
// always NULL) shows as a profile difference.
//
// Each rule takes the raw field as read. "Not recorded" (NULL, '', whitespace) gives NULL; a value
// of the wrong type or one the rule rejects gives NULL (the mapping raises a warning for those).
import {
  canonicalCro, canonicalPnc, cleanName, cleanText, convertGrading, crimintStatus, crisStatus, ethnicCode,
  londonToInstant, normalisePostcode, normaliseVrm, parseCrimintDateTime, parseCrimintDob, parseCrisDob,
  parseLegacyDate, sexCode, stripNul, toE164, type Dob,
} from '../transform/index.ts';
import { hoOffenceLabel } from '../../mappings/reference/ho-offence-codes.ts';
import type { TargetTable } from '../pipeline/types.ts';

type Raw = Record<string, unknown>;

export interface ColumnRule {
  column: string;
  /** the legacy field(s) it is computed from, for the report (`''` for a constant) */
  from: string;
  value(item: Raw, record: Raw): unknown;
}

export interface TableRule {
  table: TargetTable;
  /** `''` for the record itself, else the inline array it comes from, e.g. `addresses[]` */
  from: string;
  /** the items that become rows of the table: the record itself, or its inline children */
  items(record: Raw): Raw[];
  columns: ColumnRule[];
}

// ---- value rules -------------------------------------------------------------------------------

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const blank = (s: string | null): s is null => s === null || s.trim() === '';
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Free text: NUL removed, trimmed, inner whitespace kept. */
export const text = (v: unknown) => cleanText(str(v));
/** Names: NUL removed, trimmed, inner whitespace collapsed, case as recorded. */
export const name = (v: unknown) => cleanName(str(v));

const INT_TEXT = /^\s*-?\d{1,10}\s*$/;
/** A 32-bit integer, or its digits as text. */
export function int32(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && INT_TEXT.test(v) ? Number(v) : null;
  return n !== null && Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 ? n : null;
}

function noNul(v: unknown): string | null {
  const s = str(v);
  return s === null ? null : stripNul(s);
}

export const postcode = (v: unknown) => { const s = noNul(v); return blank(s) ? null : normalisePostcode(s); };
export const vrm = (v: unknown) => normaliseVrm(noNul(v));
export const telephone = (v: unknown) => { const s = noNul(v); return blank(s) ? null : toE164(s); };
export const sex = (v: unknown) => (v !== null && v !== undefined && typeof v !== 'string' ? 'unknown' : sexCode(v).value);
export const ethnicity = (v: unknown) => { const s = str(v); return blank(s) ? null : ethnicCode(s); };
export const pnc = (v: unknown) => { const s = str(v); return blank(s) ? null : canonicalPnc(s); };
export const cro = (v: unknown) => { const s = str(v); return blank(s) ? null : canonicalCro(s); };

const UNKNOWN_DOB: Dob = { date: null, precision: 'unknown' };
const dobOf = (parse: (s: string | null) => Dob | { error: string }) => {
  let lastIn: unknown = Symbol('none');
  let lastOut: Dob = UNKNOWN_DOB;
  return (v: unknown): Dob => { // date_of_birth and dob_precision read the same field: parse it once
    if (v === lastIn) return lastOut;
    const r = parse(str(v));
    lastIn = v;
    lastOut = 'error' in r ? UNKNOWN_DOB : r;
    return lastOut;
  };
};
export const crisDob = dobOf(parseCrisDob);
export const crimintDob = dobOf(parseCrimintDob);

const london = (local: string): Date | null => londonToInstant(local)?.instant ?? null;

/** A local Europe/London wall-clock text (CRIS `datetime`) → instant. */
export function crisTime(v: unknown): Date | null {
  const s = str(v);
  return blank(s) ? null : london(s);
}

/** CRIMINT `dd/mm/yyyy HH:MM:SS` (Europe/London) → instant. */
export function crimintTime(v: unknown): Date | null {
  const s = str(v);
  if (blank(s)) return null;
  const local = parseCrimintDateTime(s);
  return local === null ? null : london(local);
}

export function legacyDate(v: unknown): string | null {
  const s = str(v);
  return blank(s) ? null : parseLegacyDate(s);
}

/** `gradingScheme` + `grading` → the 3x5x2 grading and the grading as recorded; null when absent or invalid. */
type Graded = { source: string; intel: string; handling: string; legacy: string } | null;
let gradedRecord: Raw | null = null;
let graded: Graded = null;

export function grading(r: Raw): Graded {
  if (r === gradedRecord) return graded; // four columns read the same grading: convert it once
  gradedRecord = r;
  graded = gradingOf(r);
  return graded;
}

function gradingOf(r: Raw): Graded {
  const scheme = r['gradingScheme'];
  const g = r['grading'];
  if (typeof scheme !== 'string' || !isObject(g)) return null;
  const c = convertGrading(scheme, g as never);
  return 'error' in c ? null : c;
}

const mopi = (v: unknown) => (v === 1 || v === 2 || v === 3 ? v : null);

// ---- rule builders -----------------------------------------------------------------------------

const col = (column: string, from: string, rule: (v: unknown) => unknown): ColumnRule => ({ column, from, value: (item) => rule(item[from]) });
const constant = (column: string, v: unknown): ColumnRule => ({ column, from: '', value: () => v });
const self = (r: Raw): Raw[] => [r];
const objects = (field: string) => (r: Raw): Raw[] => (Array.isArray(r[field]) ? (r[field] as unknown[]).filter(isObject) : []);
const values = (field: string) => (r: Raw): Raw[] => (Array.isArray(r[field]) ? (r[field] as unknown[]).map((value) => ({ value })) : []);

function locationColumns(system: string): ColumnRule[] {
  return [
    col('premises', 'premises', text), col('street', 'street', text), col('locality', 'locality', text), col('town', 'town', text),
    col('postcode', 'postcode', postcode), col('easting', 'easting', int32), col('northing', 'northing', int32),
    constant('source_system', system),
  ];
}

function vehicleColumns(system: string): ColumnRule[] {
  return [
    constant('kind', 'vehicle'), col('vrm', 'vrm', vrm), col('make', 'make', text), col('model', 'model', text),
    col('colour', 'colour', text), constant('telephone', null), constant('source_system', system),
  ];
}

function telephoneColumns(system: string): ColumnRule[] {
  return [
    constant('kind', 'telephone'), constant('vrm', null), constant('make', null), constant('model', null), constant('colour', null),
    { column: 'telephone', from: 'phones[]', value: (item) => telephone(item['value']) }, constant('source_system', system),
  ];
}

function dobColumns(from: string, rule: (v: unknown) => Dob): ColumnRule[] {
  return [
    { column: 'date_of_birth', from, value: (item) => rule(item[from]).date },
    { column: 'dob_precision', from, value: (item) => rule(item[from]).precision },
  ];
}

function personColumns(system: string, f: { ethnicity: string; pnc: string; cro: string; dob: (v: unknown) => Dob }): ColumnRule[] {
  return [
    col('surname', 'surname', name), col('forenames', 'forenames', name), ...dobColumns('dob', f.dob),
    col('sex', 'sex', sex), col('ethnicity', f.ethnicity, ethnicity), col('pnc_id', f.pnc, pnc), col('cro_no', f.cro, cro),
    constant('source_system', system),
  ];
}

const gradingColumn = (column: string, part: 'source' | 'intel' | 'handling' | 'legacy'): ColumnRule =>
  ({ column, from: 'gradingScheme, grading', value: (r) => grading(r)?.[part] ?? null });

// ---- the declarations, by step (`SYSTEM:entity`) -------------------------------------------------

export const FIELD_RULES: Readonly<Record<string, readonly TableRule[]>> = {
  'CRIS:ADDRESS': [{ table: 'record.location', from: '', items: self, columns: locationColumns('CRIS') }],
  'CRIS:VEHICLE': [{ table: 'record.object', from: '', items: self, columns: vehicleColumns('CRIS') }],
  'CRIS:NOMINAL': [{
    table: 'record.person', from: '', items: self,
    columns: [
      ...personColumns('CRIS', { ethnicity: 'ethnic_code', pnc: 'pnc_id', cro: 'cro_no', dob: crisDob }),
      constant('created_at', null), constant('created_by', null), constant('updated_at', null), constant('updated_by', null),
    ],
  }],
  'CRIS:CRIME_REPORT': [{
    table: 'record.event', from: '', items: self,
    columns: [
      constant('kind', 'crime'),
      { column: 'reference', from: 'cris_no', value: (r) => String(r['cris_no'] ?? '').trimEnd() },
      col('occurred_from', 'committed_from', crisTime), col('occurred_to', 'committed_to', crisTime),
      col('reported_at', 'reported_dt', crisTime),
      col('classification_code', 'ho_class', text),
      { column: 'classification_label', from: 'ho_class', value: (r) => { const c = text(r['ho_class']); return c === null ? null : hoOffenceLabel(c); } },
      col('borough', 'borough', text), col('status', 'status', (v) => crisStatus(str(v))), col('narrative', 'mo_text', text),
      col('officer', 'oic', text),
      constant('grading_source', null), constant('grading_intel', null), constant('grading_handling', null), constant('legacy_grading', null),
      constant('mopi_group', null), constant('review_due', null), constant('source_system', 'CRIS'),
      col('created_at', 'created_dt', crisTime), col('created_by', 'created_by', text),
      col('updated_at', 'updated_dt', crisTime), col('updated_by', 'updated_by', text),
    ],
  }],
  'CRIMINT:nominals.json': [
    {
      table: 'record.person', from: '', items: self,
      columns: [
        ...personColumns('CRIMINT', { ethnicity: 'ethnicity', pnc: 'pnc', cro: 'cro', dob: crimintDob }),
        col('created_at', 'created', crimintTime), col('created_by', 'createdBy', text),
        col('updated_at', 'updated', crimintTime), col('updated_by', 'updatedBy', text),
      ],
    },
    {
      table: 'record.person_name', from: 'aliases[]',
      items: (r) => objects('aliases')(r).filter((a) => name(a['surname']) !== null),
      columns: [col('surname', 'surname', name), col('forenames', 'forenames', name), ...dobColumns('dob', crimintDob), constant('kind', 'alias')],
    },
    { table: 'record.location', from: 'addresses[]', items: objects('addresses'), columns: locationColumns('CRIMINT') },
    { table: 'record.object', from: 'phones[]', items: values('phones'), columns: telephoneColumns('CRIMINT') },
  ],
  'CRIMINT:intel_reports.json': [
    {
      table: 'record.event', from: '', items: self,
      columns: [
        constant('kind', 'intelligence'), col('reference', 'urn', (v) => v),
        constant('occurred_from', null), constant('occurred_to', null), col('reported_at', 'created', crimintTime),
        constant('classification_code', null), constant('classification_label', null), constant('borough', null),
        col('status', 'status', (v) => crimintStatus(str(v))), col('narrative', 'text', text), constant('officer', null),
        gradingColumn('grading_source', 'source'), gradingColumn('grading_intel', 'intel'), gradingColumn('grading_handling', 'handling'),
        gradingColumn('legacy_grading', 'legacy'),
        col('mopi_group', 'mopiGroup', mopi), col('review_due', 'reviewDate', legacyDate), constant('source_system', 'CRIMINT'),
        col('created_at', 'created', crimintTime), col('created_by', 'createdBy', text),
        col('updated_at', 'updated', crimintTime), col('updated_by', 'updatedBy', text),
      ],
    },
    { table: 'record.object', from: 'vehicles[]', items: objects('vehicles'), columns: vehicleColumns('CRIMINT') },
    { table: 'record.location', from: 'locations[]', items: objects('locations'), columns: locationColumns('CRIMINT') },
    { table: 'record.object', from: 'phones[]', items: values('phones'), columns: telephoneColumns('CRIMINT') },
  ],
};

export function fieldRulesFor(system: string, entity: string): readonly TableRule[] {
  return FIELD_RULES[`${system}:${entity}`] ?? [];
}
