// Quirk rates of the synthetic legacy extract (legacy-data.md). One place for the defaults:
// every quirk is a probability in [0, 1], applied per record (or per value where noted).
import { z } from 'zod';

const rate = (def: number, what: string) => z.number().min(0).max(1).default(def).describe(what);

export const QuirkRatesSchema = z.strictObject({
  // dates of birth
  partialDob: rate(0.05, 'CRIMINT dob `00/mm/yyyy` or `00/00/yyyy` (half each)'),
  unknownDob: rate(0.03, 'CRIS DOB `1900-01-01 00:00:00` ("unknown")'),
  emptyDob: rate(0.02, 'CRIMINT dob `""`'),
  missingDob: rate(0.03, 'DOB NULL (CRIS) / null (CRIMINT)'),
  // names
  apostropheName: rate(0.02, "surname with an apostrophe (O'BRIEN, D'ARCY)"),
  hyphenName: rate(0.02, 'double-barrelled surname or hyphenated forename (SMITH-JONES, JEAN-PAUL)'),
  accentName: rate(0.02, 'name with accented letters (MÜLLER, ZOË, Ó SÚILLEABHÁIN)'),
  spacedName: rate(0.02, 'surname with inner spaces (DE LA CRUZ), a third of them with a double space'),
  mixedCaseCris: rate(0.08, 'CRIS name not in upper case'),
  alias: rate(0.15, 'CRIMINT nominal with aliases'),
  aliasNoDob: rate(0.35, 'share of aliases without a DOB (key missing or "")'),
  aliasPartialDob: rate(0.2, 'share of aliases with a partial DOB'),
  // text damage
  trailingSpace: rate(0.03, 'trailing space on a varchar or char value'),
  blankValue: rate(0.03, 'optional value recorded as "" or whitespace only instead of NULL'),
  nul: rate(0.01, 'U+0000 inside a CRIMINT name or text (PostgreSQL cannot hold it: CRIS stand-in has none)'),
  mojibake: rate(0.01, 'UTF-8 read as Windows-1252 (`Ã©` for é) in a name or narrative'),
  controlChars: rate(0.2, 'CR/LF, LF or tab inside a narrative'),
  longNarrative: rate(0.005, 'narrative of 5,000–20,000 characters'),
  classDescVariant: rate(0.1, 'CLASS_DESC typed differently from the reference label'),
  // contact and objects
  invalidPostcode: rate(0.02, 'postcode that is not a valid UK postcode'),
  postcodeFormat: rate(0.15, 'postcode in lower/mixed case, without or with a double space'),
  vrmFormat: rate(0.15, 'VRM with odd spacing or case'),
  phoneFormat: rate(0.3, 'phone not in the plain national form: +44, 0044, (0xx), compact, hyphens'),
  // identifiers
  pncLongYear: rate(0.3, 'PNC id in `YYYY/NNNNNNNC` form rather than `YY/NNNNNNNC`'),
  badCheckLetter: rate(0.02, 'PNC id or CRO number with a wrong check letter'),
  // references
  orphanLink: rate(0.02, 'CRIME_NOMINAL / CRIME_VEHICLE row pointing to a missing nominal, vehicle or crime'),
  orphanRef: rate(0.02, 'dangling LOCATION_ID, NOMINAL.ADDRESS_ID, CRIMINT subject ref'),
  // lifecycle
  deleted: rate(0.03, "logically deleted record (DELETED='Y', status DELETED)"),
  archived: rate(0.05, 'CRIMINT record with status ARCHIVED'),
  duplicateKey: rate(0.015, 'CRIMINT nominal / report repeated later in its file (re-export), changed'),
  // dates and times
  dstAmbiguous: rate(0.005, 'timestamp in the repeated hour (last Sunday of October, 01:00–01:59)'),
  dstNonexistent: rate(0.005, 'timestamp in the skipped hour (last Sunday of March, 01:00–01:59)'),
  committedReversed: rate(0.02, 'COMMITTED_TO before COMMITTED_FROM'),
  // coded values
  invalidSex: rate(0.01, 'SEX / sex outside M, F, U (X, ?, 1, Z)'),
  mopiMissing: rate(0.03, 'CRIMINT report without mopiGroup'),
  // audit
  reasonMissing: rate(0.08, 'VIEW / PRINT / DISCLOSE audit entry without a reason'),
  recipientMissing: rate(0.08, 'DISCLOSE audit entry without a recipient'),
});

export type QuirkRates = z.output<typeof QuirkRatesSchema>;

/** The default rates (a few per cent each; see the schema descriptions). */
export const DEFAULT_RATES: Readonly<QuirkRates> = Object.freeze(QuirkRatesSchema.parse({}));

/** Defaults overlaid with the given rates, validated (unknown names and values outside [0, 1] throw). */
export function resolveRates(rates: Partial<QuirkRates> | undefined): QuirkRates {
  return QuirkRatesSchema.parse({ ...DEFAULT_RATES, ...(rates ?? {}) });
}

/** Every rate set to `value` (tests: 0 = a clean extract, 1 = every quirk everywhere it applies). */
export function uniformRates(value: number): QuirkRates {
  const out = {} as Record<string, number>;
  for (const k of Object.keys(DEFAULT_RATES)) out[k] = value;
  return QuirkRatesSchema.parse(out);
}
