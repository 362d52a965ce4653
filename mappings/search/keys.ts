// JavaScript twins of the SQL key functions (migration 1700000000010_search-indexes), for
// parameters: the value a query passes is reduced by the same rule as the column it is compared
// with. The rules themselves are the catalog's (src/transform); test/search checks each pair agrees.

/** search.field_key: NUL removed, trimmed, lower case; blank → null (town, make, model, colour, borough). */
export function fieldKey(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const t = v.replace(/\u0000/g, '').trim();
  return t === '' ? null : t.toLowerCase();
}

/** search.code_key: trimmed, upper case; blank → null (HO offence codes, grading values). */
export function codeKey(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const t = v.trim();
  return t === '' ? null : t.toUpperCase();
}

/**
 * search.ref_key (S13, S19): a CRIS number `NNNNNNN/YY`, with the year as 2 or 4 digits and
 * leading zeros optional → `C<serial>/<yy>`; anything else (a CRIMINT URN) → `U<upper case>`:
 * exact, case-insensitive. Surrounding blanks ignored; blank → null.
 */
export function refKey(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const t = v.trim();
  if (t === '') return null;
  const m = /^([0-9]{1,10})\/([0-9]{2}|[0-9]{4})$/.exec(t);
  if (m && Number(m[1]) < 10_000_000) return `C${Number(m[1])}/${m[2]!.slice(-2)}`;
  return `U${t.toUpperCase()}`;
}
