// Unicode character classes of the JavaScript value rules, written as PostgreSQL ARE bracket
// contents (`\uXXXX-\uXXXX…`). The search migration embeds the classes it was written with
// (frozen, like every migration); test/search checks the SQL functions built on them against
// the JavaScript rules character by character, so a Node/ICU upgrade that moves a character in
// or out of a class is noticed.

export type CharTest = RegExp | ((c: string) => boolean);

/** Code-point ranges [from, to] of the characters a test accepts (surrogates excluded). */
export function codePointRanges(test: CharTest): Array<[number, number]> {
  const ok = typeof test === 'function' ? test : (c: string) => test.test(c);
  const out: Array<[number, number]> = [];
  let start = -1;
  for (let cp = 0; cp <= 0x110000; cp++) {
    const hit = cp < 0x110000 && !(cp >= 0xd800 && cp <= 0xdfff) && ok(String.fromCodePoint(cp));
    if (hit && start < 0) start = cp;
    if (!hit && start >= 0) {
      out.push([start, cp - 1]);
      start = -1;
    }
  }
  return out;
}

function esc(cp: number): string {
  return cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/** Bracket-expression body (without the brackets) for PostgreSQL regular expressions. */
export function pgClass(test: CharTest): string {
  return codePointRanges(test)
    .map(([a, b]) => (a === b ? esc(a) : `${esc(a)}-${esc(b)}`))
    .join('');
}

/** Letters foldAccents() (src/transform/text.ts) maps after NFKD, like PostgreSQL unaccent. */
export const EXTRA_FOLD_LETTERS = 'ßẞÆæŒœØøŁłĐđÐðÞþĦħıĸĿŀŉŊŋŦŧ';

/** The classes the SQL functions need. */
export const CLASS_SOURCES = {
  /** `[\p{L}\p{N}]`: token characters of tokenise(). */
  letterOrDigit: /^[\p{L}\p{N}]$/u,
  /** `\p{M}`: what foldAccents() removes after NFKD. */
  mark: /^\p{M}$/u,
  /** JS `\s` (String.prototype.trim and nameMatchKey's whitespace). */
  space: /^\s$/u,
  /** Characters foldAccents() can change: NFKD changes them, a mark, or an extra letter. A text
   *  without any of them folds to itself (the fast path of search.fold). */
  folds: (c: string) => c.normalize('NFKD') !== c || /\p{M}/u.test(c) || EXTRA_FOLD_LETTERS.includes(c),
} as const;
