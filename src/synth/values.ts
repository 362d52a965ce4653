// Value generators with their quirks: names, dates of birth, postcodes, VRMs, phones,
// PNC ids and CRO numbers, damaged text. Each takes the row's Rng, so values are deterministic.
import { CHECK_LETTERS, croCheckLetter, pncCheckLetter } from '../transform/pnc.ts';
import type { Rng } from './random.ts';
import type { QuirkRates } from './rates.ts';
import type { Reference } from './reference.ts';
import * as V from './vocab.ts';

// ---------------------------------------------------------------- text damage

const CP1252: Record<number, string> = {
  0x80: '€', 0x82: '‚', 0x83: 'ƒ', 0x84: '„', 0x85: '…', 0x86: '†', 0x87: '‡', 0x88: 'ˆ', 0x89: '‰', 0x8a: 'Š',
  0x8b: '‹', 0x8c: 'Œ', 0x8e: 'Ž', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—',
  0x98: '˜', 0x99: '™', 0x9a: 'š', 0x9b: '›', 0x9c: 'œ', 0x9e: 'ž', 0x9f: 'Ÿ',
};

/** UTF-8 bytes read as Windows-1252: `é` → `Ã©`, `É` → `Ã‰`, `£` → `Â£`. */
export function mojibake(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += b < 0x80 ? String.fromCharCode(b) : (CP1252[b] ?? String.fromCharCode(b));
  return out;
}

/** Insert one U+0000 at an inner position. */
export function withNul(s: string, rng: Rng): string {
  if (s.length < 2) return `${s}\u0000`;
  const at = 1 + rng.int(s.length - 1);
  return `${s.slice(0, at)}\u0000${s.slice(at)}`;
}

/** Cut to a varchar length (never leaves a lone surrogate: all our text is in the BMP). */
export const fit = (s: string, n: number): string => (s.length > n ? s.slice(0, n) : s);

/** A trailing space at the trailingSpace rate, within the column length. */
export function maybeTrailing(s: string, rng: Rng, rates: QuirkRates, max: number): string {
  return rng.chance(rates.trailingSpace) && s.length < max ? `${s} ` : s;
}

/** An optional value: `''` or whitespace at the blankValue rate, else the value. */
export function maybeBlank(s: string | null, rng: Rng, rates: QuirkRates): string | null {
  if (!rng.chance(rates.blankValue)) return s;
  return rng.pick(['', ' ', '   ']);
}

// ---------------------------------------------------------------- names

export interface NameParts {
  surname: string;
  forenames: string | null;
  /** which quirks were applied (for the README's counts and for tests) */
  accented: boolean;
}

function hyphenated(rng: Rng, ref: Reference): string {
  const a = rng.pick(ref.surnameList);
  const b = rng.pick(ref.surnameList);
  return a === b || a.length + b.length > 30 ? `${a}-Jones` : `${a}-${b}`;
}

/** A person's name in natural case, with the name quirks at their rates. */
export function personName(rng: Rng, ref: Reference, rates: QuirkRates): NameParts {
  let surname = rng.choose(ref.surnames);
  let accented = false;
  const q = rng.float();
  let t = rates.apostropheName;
  if (q < t) surname = rng.pick(V.APOSTROPHE_SURNAMES);
  else if (q < (t += rates.hyphenName)) surname = hyphenated(rng, ref);
  else if (q < (t += rates.accentName)) {
    surname = rng.pick(V.ACCENT_SURNAMES);
    accented = true;
  } else if (q < (t += rates.spacedName)) {
    surname = rng.pick(V.SPACED_SURNAMES);
    if (rng.chance(1 / 3)) surname = surname.replace(' ', '  ');
  }
  let forenames: string | null = rng.choose(ref.forenames);
  const f = rng.float();
  if (f < rates.accentName) {
    forenames = rng.pick(V.ACCENT_FORENAMES);
    accented = true;
  } else if (f < rates.accentName + rates.hyphenName) forenames = rng.pick(V.HYPHEN_FORENAMES);
  const g = rng.float();
  if (g < 0.3) forenames = `${forenames} ${rng.choose(ref.forenames)}`;
  else if (g < 0.34) forenames = null;
  return { surname, forenames, accented };
}

/** A name damaged by mojibake: the name's own accents, or an accented name when it has none. */
export function mojibakeName(s: string, rng: Rng): string {
  if (/[^\x00-\x7f]/.test(s)) return mojibake(s);
  const other = rng.pick(V.ACCENT_SURNAMES);
  return mojibake(s === s.toUpperCase() ? other.toUpperCase() : other);
}

// ---------------------------------------------------------------- dates of birth

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A date of birth 1950–2008, peaking around 1979 (mostly aged 20–50 in the 2008–2024 data). */
export function birthDate(rng: Rng): Ymd {
  const y = 1950 + Math.floor((rng.float() + rng.float() + rng.float()) * 19.6);
  const m = rng.range(1, 12);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const d = rng.range(1, m === 2 && leap ? 29 : MONTH_DAYS[m - 1]!);
  return { y, m, d };
}

const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
export const ymdIso = (d: Ymd) => `${d.y}-${p2(d.m)}-${p2(d.d)}`;
export const ymdUk = (d: Ymd) => `${p2(d.d)}/${p2(d.m)}/${d.y}`;

// ---------------------------------------------------------------- postcodes

export function validPostcode(rng: Rng): string {
  const L = V.INWARD_LETTERS;
  return `${rng.pick(V.DISTRICTS)} ${rng.int(10)}${L[rng.int(L.length)]}${L[rng.int(L.length)]}`;
}

/** A postcode as typed: case and spacing quirks at postcodeFormat, invalid at invalidPostcode. */
export function typedPostcode(canonical: string, rng: Rng, rates: QuirkRates): string {
  if (rng.chance(rates.invalidPostcode)) return rng.chance(0.5) ? rng.pick(V.INVALID_POSTCODES) : canonical.slice(0, -1);
  if (!rng.chance(rates.postcodeFormat)) return canonical;
  const compact = canonical.replace(' ', '');
  switch (rng.int(5)) {
    case 0: return canonical.toLowerCase();
    case 1: return compact;
    case 2: return compact.toLowerCase();
    case 3: return canonical.replace(' ', '  ');
    default: return canonical[0]! + canonical.slice(1).toLowerCase();
  }
}

// ---------------------------------------------------------------- VRMs

const letters = (rng: Rng, n: number, set = V.VRM_LETTERS) => {
  let s = '';
  for (let i = 0; i < n; i++) s += set[rng.int(set.length)];
  return s;
};

/** A canonical GB mark (upper case, one space) in one of the four formats. */
export function canonicalVrm(rng: Rng): string {
  const f = rng.float();
  if (f < 0.6) {
    const y = rng.range(2, 24);
    const age = rng.chance(0.5) ? y : y + 50;
    return `${letters(rng, 2)}${p2(age)} ${letters(rng, 3)}`; // current AB12 CDE
  }
  if (f < 0.8) return `${letters(rng, 1, V.VRM_YEAR_LETTERS)}${rng.range(1, 999)} ${letters(rng, 3)}`; // prefix A123 BCD
  if (f < 0.92) return `${letters(rng, 3)} ${rng.range(1, 999)}${letters(rng, 1, V.VRM_YEAR_LETTERS)}`; // suffix ABC 123A
  return rng.chance(0.5) ? `${rng.range(1, 999)} ${letters(rng, rng.range(1, 3))}` : `${letters(rng, rng.range(1, 3))} ${rng.range(1, 9999)}`; // dateless
}

/** A VRM as typed: spacing and case quirks at vrmFormat (always ≤ 10 characters). */
export function typedVrm(canonical: string, rng: Rng, rates: QuirkRates): string {
  if (!rng.chance(rates.vrmFormat)) return canonical;
  const compact = canonical.replace(' ', '');
  let out: string;
  switch (rng.int(6)) {
    case 0: out = compact; break;
    case 1: out = canonical.toLowerCase(); break;
    case 2: out = compact.toLowerCase(); break;
    case 3: out = canonical.replace(' ', '  '); break;
    case 4: out = ` ${compact}`; break;
    default: out = `${compact.slice(0, 2)} ${compact.slice(2)}`.replace(/[A-Z]/g, (c) => (rng.chance(0.5) ? c.toLowerCase() : c));
  }
  return fit(out, 10);
}

// ---------------------------------------------------------------- phones

/** A fictional UK number as typed: `07700 900123`, `+44 7700 900123`, `(020) 7946 0018`, `0044 …`. */
export function phone(rng: Rng, rates: QuirkRates): string {
  const [prefix, local] = rng.pick(V.PHONE_BLOCKS);
  const tail = String(rng.int(1000)).padStart(3, '0');
  const nsn = `${prefix.slice(1)} ${local}${tail}`; // `7700 900123`, `20 7946 0018`
  const national = `${prefix} ${local}${tail}`;
  if (!rng.chance(rates.phoneFormat)) return national;
  switch (rng.int(6)) {
    case 0: return `+44 ${nsn}`;
    case 1: return `0044 ${nsn}`;
    case 2: return national.replace(/ /g, '');
    case 3: return `+44${nsn.replace(/ /g, '')}`;
    case 4: return prefix === '07700' ? `${prefix}-${local}-${tail}` : `(${prefix}) ${local}${tail}`;
    default: return prefix === '07700' ? `+44 (0)${nsn}` : `(${prefix}) ${local}${tail}`;
  }
}

// ---------------------------------------------------------------- PNC and CRO

function wrongLetter(right: string, rng: Rng): string {
  const i = CHECK_LETTERS.indexOf(right);
  return CHECK_LETTERS[(i + 1 + rng.int(CHECK_LETTERS.length - 1)) % CHECK_LETTERS.length]!;
}

/** PNC id `YY/NNNNNNNC` or `YYYY/NNNNNNNC`, a wrong check letter at badCheckLetter. */
export function pncId(rng: Rng, rates: QuirkRates): string {
  const year = rng.range(1975, 2024);
  const yy = year % 100;
  const serial = rng.range(1, 9_999_999);
  let check = pncCheckLetter(yy, serial);
  if (rng.chance(rates.badCheckLetter)) check = wrongLetter(check, rng);
  const y = rng.chance(rates.pncLongYear) ? String(year) : p2(yy);
  return `${y}/${String(serial).padStart(7, '0')}${check}`;
}

/** CRO number `NNNNNN/YYC`, a wrong check letter at badCheckLetter. */
export function croNo(rng: Rng, rates: QuirkRates): string {
  const yy = rng.range(1975, 2024) % 100;
  const serial = rng.range(1, 999_999);
  let check = croCheckLetter(yy, serial);
  if (rng.chance(rates.badCheckLetter)) check = wrongLetter(check, rng);
  return `${String(serial).padStart(6, '0')}/${p2(yy)}${check}`;
}

// ---------------------------------------------------------------- coded values

/** SEX: M/F/U, invalid values at invalidSex. */
export function sexCode(rng: Rng, rates: QuirkRates): string | null {
  if (rng.chance(rates.invalidSex)) return rng.pick(['X', '?', '1', 'Z']);
  const f = rng.float();
  return f < 0.52 ? 'M' : f < 0.94 ? 'F' : f < 0.98 ? 'U' : null;
}

export function ethnicCode(rng: Rng): string | null {
  const f = rng.float();
  if (f < 0.08) return null;
  return rng.pick(['IC1', 'IC1', 'IC1', 'IC2', 'IC3', 'IC3', 'IC4', 'IC5', 'IC6', 'IC9']);
}

/** A pool of user ids `AB1234` derived from the seed (officers and staff). */
export function userPool(rng: Rng, n: number): string[] {
  const out = new Set<string>();
  while (out.size < n) out.add(`${letters(rng, 2, 'ABCDEFGHJKLMNPRSTUVWXY')}${rng.range(1000, 9999)}`);
  return [...out];
}
