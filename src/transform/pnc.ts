/**
 * PNC ID and CRO number check letters and canonical forms (legacy-data.md, NOMINAL).
 *
 * PNC ID: `YY/NNNNNNNC` or `YYYY/NNNNNNNC`; check letter = CHECK_LETTERS[(YY·10⁷ + serial) mod 23],
 * YY being the last two digits of the year. Canonical target form: `YYYY/NNNNNNNC`.
 * CRO number: `NNNNNN/YYC`; check letter = CHECK_LETTERS[(YY·10⁶ + serial) mod 23].
 */

export const CHECK_LETTERS = 'ZABCDEFGHJKLMNPQRTUVWXY';

/** Check letter of a PNC ID; `yy` is the 2-digit year (0–99), `serial` 0–9 999 999. */
export function pncCheckLetter(yy: number, serial: number): string {
  return CHECK_LETTERS[(yy * 10_000_000 + serial) % 23]!;
}

/** Check letter of a CRO number; `yy` is the 2-digit year (0–99), `serial` 0–999 999. */
export function croCheckLetter(yy: number, serial: number): string {
  return CHECK_LETTERS[(yy * 1_000_000 + serial) % 23]!;
}

/** 2-digit year 70–99 → 19YY, 00–69 → 20YY. */
export function expandPncYear(yy: number): number {
  return yy >= 70 ? 1900 + yy : 2000 + yy;
}

const PNC_RE = /^(\d{2}|\d{4})\/(\d{1,7})([A-Za-z])$/;
const CRO_RE = /^(\d{1,6})\/(\d{2})([A-Za-z])$/;

/**
 * Canonical PNC ID `YYYY/NNNNNNNC`, or null when malformed or the check letter is wrong.
 * Accepts any case, surrounding whitespace, a 2- or 4-digit year and a 1–7 digit serial
 * (zero-padded). A 4-digit year (1900–2099) is kept as written; only its last two digits
 * enter the check letter.
 */
export function canonicalPnc(s: unknown): string | null {
  if (typeof s !== 'string') return null;
  const m = PNC_RE.exec(s.trim());
  if (!m) return null;
  const [, yearText, serialText, letter] = m as unknown as [string, string, string, string];
  let year: number;
  if (yearText.length === 2) {
    year = expandPncYear(Number(yearText));
  } else {
    year = Number(yearText);
    if (year < 1900 || year > 2099) return null;
  }
  const yy = year % 100;
  const serial = Number(serialText);
  const check = letter.toUpperCase();
  if (pncCheckLetter(yy, serial) !== check) return null;
  return `${year}/${serialText.padStart(7, '0')}${check}`;
}

/** Canonical CRO number `NNNNNN/YYC`, or null when malformed or the check letter is wrong. */
export function canonicalCro(s: unknown): string | null {
  if (typeof s !== 'string') return null;
  const m = CRO_RE.exec(s.trim());
  if (!m) return null;
  const [, serialText, yyText, letter] = m as unknown as [string, string, string, string];
  const serial = Number(serialText);
  const check = letter.toUpperCase();
  if (croCheckLetter(Number(yyText), serial) !== check) return null;
  return `${serialText.padStart(6, '0')}/${yyText}${check}`;
}
