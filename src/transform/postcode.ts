/**
 * UK postcodes (target-schema.md `location.postcode`; search-catalog.md S07).
 *
 * Format check only: outward `A9`, `A99`, `A9A`, `AA9`, `AA99`, `AA9A`, inward `9AA` whose letters
 * exclude C I K M O V, plus the special `GIR 0AA`. No check that the postcode exists.
 */

const OUTWARD = '(?:[A-Z]{1,2}[0-9][0-9A-Z]?|GIR)';
const INWARD = '[0-9][ABD-HJLNP-UW-Z]{2}';
const FULL_RE = new RegExp(`^(${OUTWARD})(${INWARD})$`);
const OUTWARD_RE = new RegExp(`^${OUTWARD}$`);
const SECTOR_RE = new RegExp(`^(${OUTWARD}) ([0-9])$`);

function isValidFull(outward: string, inward: string): boolean {
  // GIR is only valid as GIR 0AA; ordinary outward codes never start with GIR (A9/AA9 need a digit).
  return outward !== 'GIR' || inward === '0AA';
}

/**
 * Canonical postcode: upper case, all whitespace removed, format-checked, then one space
 * before the inward code (`se19gf` → `SE1 9GF`). Blank or invalid → null. Non-strings → null.
 */
export function normalisePostcode(s: unknown): string | null {
  if (typeof s !== 'string') return null;
  const compact = s.replace(/\s+/gu, '').toUpperCase();
  const m = FULL_RE.exec(compact);
  if (!m || !isValidFull(m[1]!, m[2]!)) return null;
  return `${m[1]} ${m[2]}`;
}

export type PostcodeQuery = { kind: 'full' | 'sector' | 'district'; value: string };

/**
 * S07 search input, trimmed, upper-cased, inner whitespace collapsed:
 * - a full postcode (with or without its space) → `full`, canonical (`SE1 9GF`);
 * - an outward code, a space and one digit (`SE1 9`) → `sector`, `SE1 9`;
 * - an outward code alone (`SE1`, `SE19`) → `district`.
 * A sector needs its space: `SE19` is the district SE19. Anything else → null.
 */
export function normalisePostcodeQuery(s: unknown): PostcodeQuery | null {
  if (typeof s !== 'string') return null;
  const text = s.trim().replace(/\s+/gu, ' ').toUpperCase();
  if (text === '') return null;
  const full = normalisePostcode(text);
  if (full !== null) return { kind: 'full', value: full };
  const sector = SECTOR_RE.exec(text);
  if (sector) return { kind: 'sector', value: `${sector[1]} ${sector[2]}` };
  if (OUTWARD_RE.test(text)) return { kind: 'district', value: text };
  return null;
}

/**
 * S07 semantics on a canonical postcode: full = equal; sector = starts with `SE1 9`;
 * district = outward code equal (`SE1` does not match `SE10 …`). A null postcode never matches.
 */
export function postcodeMatchesQuery(postcode: string | null, q: PostcodeQuery): boolean {
  if (postcode === null) return false;
  switch (q.kind) {
    case 'full':
      return postcode === q.value;
    case 'sector':
      return postcode.startsWith(q.value);
    case 'district':
      return postcode.startsWith(`${q.value} `);
  }
}
