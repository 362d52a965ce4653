/**
 * Person names: stored form (target-schema.md) and matching keys (search-catalog.md).
 */
import { blankToNull, foldAccents, stripNul } from './text.ts';

/**
 * Stored form of a surname or forenames: NUL removed, trimmed, every run of inner whitespace
 * (spaces, tabs, CR/LF, NBSP) collapsed to one space, case as recorded. Blank → null.
 */
export function cleanName(s: unknown): string | null {
  const v = blankToNull(s);
  if (v === null) return null;
  const out = stripNul(v).replace(/\s+/gu, ' ').trim();
  return out === '' ? null : out;
}

/**
 * Exact-comparison key (search-catalog "Name matching"): accent-folded, upper-cased, with all
 * whitespace, apostrophes (U+0027 ' and U+2019 ’) and hyphens (U+002D -) removed.
 * Other characters (dots, digits, other punctuation) are kept. null → ''.
 */
export function nameMatchKey(s: string | null): string {
  if (s === null || s === undefined) return '';
  return foldAccents(stripNul(s)).toUpperCase().replace(/[\s'’-]+/gu, '');
}

// PostgreSQL fuzzystrmatch soundex table, A..Z.
const CODES = '01230120022455012623010202';

function code(c: string): string {
  return CODES[c.charCodeAt(0) - 65]!;
}

/**
 * Soundex key: accent-fold, upper-case, keep only A–Z, then soundex exactly as PostgreSQL
 * fuzzystrmatch `soundex()` computes it on that string: first letter kept; each following
 * letter emits its digit when the digit differs from the digit of the letter immediately
 * before it (whether or not that one was emitted) and is not 0; padded with 0 to 4 characters.
 * Vowels, H, W and Y all have digit 0 in PostgreSQL, so an H or W between two equal codes
 * DOES separate them (Ashcraft → A226, not the NARA A261).
 * No letters → null.
 */
export function soundex(s: string | null): string | null {
  if (s === null || s === undefined) return null;
  const letters = foldAccents(stripNul(s)).toUpperCase().replace(/[^A-Z]+/g, '');
  if (letters === '') return null;
  let out = letters[0]!;
  for (let i = 1; i < letters.length && out.length < 4; i++) {
    const d = code(letters[i]!);
    if (d !== '0' && d !== code(letters[i - 1]!)) out += d;
  }
  return out.padEnd(4, '0');
}
