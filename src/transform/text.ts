/**
 * Text cleaning shared by every field (legacy-data.md "General quirks", search-catalog.md S14).
 */

/**
 * Removes every U+0000. Without one, `s` itself comes back (no copy, no object: every text field
 * passes here), so `stripNul(s) !== s` says there was one (narratives raise a warning).
 */
export function stripNul(s: string): string {
  return s.includes('\u0000') ? s.replaceAll('\u0000', '') : s;
}

/**
 * "Not recorded" test: null, undefined, '' and whitespace-only strings → null.
 * Any other string is returned unchanged; numbers/bigints/booleans → String(v).
 * Other values (objects, arrays) → null.
 */
export function blankToNull(s: unknown): string | null {
  if (s === null || s === undefined) return null;
  let v: string;
  if (typeof s === 'string') v = s;
  else if (typeof s === 'number' || typeof s === 'bigint' || typeof s === 'boolean') v = String(s);
  else return null;
  return v.trim() === '' ? null : v;
}

/**
 * blankToNull, then NUL removal and trimming. Inner whitespace is kept as it is
 * (narratives keep their CR/LF and tabs). A value that is only NULs and spaces → null.
 */
export function cleanText(s: unknown): string | null {
  const v = blankToNull(s);
  if (v === null) return null;
  const out = stripNul(v).trim();
  return out === '' ? null : out;
}

// Characters that a UTF-8 continuation byte (0x80–0xBF) turns into when read as Windows-1252
// (0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined there and usually surface as C1 controls).
const CONT = '[\\u0080-\\u00BF\\u20AC\\u201A\\u0192\\u201E\\u2026\\u2020\\u2021\\u02C6\\u2030\\u0160\\u2039\\u0152\\u017D\\u2018\\u2019\\u201C\\u201D\\u2022\\u2013\\u2014\\u02DC\\u2122\\u0161\\u203A\\u0153\\u017E\\u0178]';
// Same, without the characters that follow an accented capital in ordinary text
// (NBSP and the typographic quotes, dashes, ellipsis, bullet): used after leads other than Â/Ã.
const CONT_STRICT = '[\\u0080-\\u009F\\u00A1-\\u00BF\\u20AC\\u201A\\u0192\\u201E\\u2020\\u2021\\u02C6\\u2030\\u0160\\u2039\\u0152\\u017D\\u02DC\\u2122\\u0161\\u203A\\u0153\\u017E\\u0178]';

const MOJIBAKE_RE = new RegExp(
  [
    `[\\u00C2\\u00C3]${CONT}`, // 2-byte sequences for U+0080–U+00FF: Ã© Ã¨ Ã¶ Â£ Ã‰ ...
    `[\\u00C4-\\u00DF]${CONT_STRICT}`, // other 2-byte sequences: Å‚ (ł), Ð¸ (и) ...
    `[\\u00E0-\\u00EF]${CONT}${CONT}`, // 3-byte sequences: â€™ â€œ â€" â‚¬ ...
    `[\\u00F0-\\u00F4]${CONT}${CONT}${CONT}`, // 4-byte sequences (emoji): ðŸ˜€
  ].join('|'),
  'u',
);

/**
 * True when the text contains a typical "UTF-8 bytes read as Windows-1252" sequence:
 * a character that is a UTF-8 lead byte in Windows-1252 (Â Ã … ß, à … ï, ð … ô) followed by
 * the right number of characters that are continuation bytes in Windows-1252.
 * Ordinary accented text (Zoë, José, Ó Súilleabháin, São, CAFÉ’S) is not flagged.
 * U+FFFD (replacement character) is not treated as mojibake.
 */
export function hasMojibake(s: string): boolean {
  return MOJIBAKE_RE.test(s);
}

// Letters that NFKD does not decompose, folded as PostgreSQL unaccent does.
const EXTRA_FOLDS: Record<string, string> = {
  ß: 'ss', ẞ: 'SS', Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe', Ø: 'O', ø: 'o', Ł: 'L', ł: 'l',
  Đ: 'D', đ: 'd', Ð: 'D', ð: 'd', Þ: 'TH', þ: 'th', Ħ: 'H', ħ: 'h', ı: 'i', ĸ: 'q',
  Ŀ: 'L', ŀ: 'l', ŉ: 'n', Ŋ: 'N', ŋ: 'n', Ŧ: 'T', ŧ: 't',
};
const EXTRA_RE = new RegExp(`[${Object.keys(EXTRA_FOLDS).join('')}]`, 'gu');

/**
 * Accent folding: NFKD, then every combining mark (\p{M}) removed, then the letters NFKD keeps
 * whole are mapped like PostgreSQL unaccent: ß→ss, ẞ→SS, Æ→AE, Œ→OE, Ø→O, Ł→L, Đ/Ð→D, Þ→TH ...
 * NFKD also splits compatibility characters: ligatures (ﬁ→fi), full-width forms (Ａ→A),
 * superscripts (²→2), fractions (½→1⁄2). Case is kept.
 */
export function foldAccents(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(EXTRA_RE, (c) => EXTRA_FOLDS[c] ?? c);
}

/**
 * S14 tokens: lower-cased, accent-folded, then maximal runs of Unicode letters or digits.
 * (Folding happens before splitting, so decomposed accents never split a word.) null → [].
 */
export function tokenise(s: string | null): string[] {
  if (s === null || s === undefined) return [];
  return foldAccents(s.toLowerCase()).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
