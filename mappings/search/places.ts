// S07–S08: locations by postcode and by street (search-catalog.md). Locations carry no
// restriction flag: every location is searchable.
import { normalisePostcodeQuery } from '../../src/transform/postcode.ts';
import { tokenise } from '../../src/transform/text.ts';
import { fieldKey } from './keys.ts';
import { ids, type Impl } from './sql.ts';

/**
 * S07: input normalised (upper case, one space). A full postcode matches equal; a sector
 * (`SE1 9`) by prefix; an outward code alone (`SE1`) the whole district, i.e. `SE1 ` + inward
 * code, so `SE1` never finds `SE10 1AA`. Stored postcodes are canonical (`SE1 9GF`) or NULL.
 */
export const S07: Impl<'S07'> = (p) => {
  const q = normalisePostcodeQuery(p.postcode)!;
  if (q.kind === 'full') return ids(`SELECT id FROM record.location WHERE postcode = $1`, [q.value]);
  // sector `SE1 9` → 'SE1 9%'; district `SE1` → 'SE1 %' (the space ends the outward code)
  const prefix = q.kind === 'sector' ? q.value : `${q.value} `;
  return ids(`SELECT id FROM record.location WHERE postcode LIKE $1`, [`${prefix}%`]);
};

/**
 * S08: every word of `street` (tokenised as S14) is a token of the location's street; `town`
 * (if given and not blank) equal after trimming, case-insensitive.
 */
export const S08: Impl<'S08'> = (p) => {
  const words = [...new Set(tokenise(p.street))];
  const town = fieldKey(p.town);
  return ids(
    `SELECT id FROM record.location WHERE search.tokens(street) @> $1::text[]${town === null ? '' : ' AND search.field_key(town) = $2'}`,
    town === null ? [words] : [words, town],
  );
};
