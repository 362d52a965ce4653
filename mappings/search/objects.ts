// S09–S12: vehicles by VRM, partial VRM and description; telephones by number (search-catalog.md).
// Objects carry no restriction flag: every object is searchable.
import { normaliseVrm } from '../../src/transform/vrm.ts';
import { phoneSearchKey } from '../../src/transform/phone.ts';
import { fieldKey } from './keys.ts';
import { ids, wildcardToLike, type Impl } from './sql.ts';

/** S09: VRM equal after removing blanks and upper-casing (stored VRMs are already so). */
export const S09: Impl<'S09'> = (p) =>
  ids(`SELECT id FROM record.object WHERE kind = 'vehicle' AND vrm = $1`, [normaliseVrm(p.vrm)]);

/** The S10 pattern reduced like a VRM (blanks removed, upper case), `*`/`?` kept, as LIKE. */
export function vrmLike(pattern: string): string {
  return wildcardToLike(pattern.replace(/\s+/gu, '').toUpperCase());
}

/** S10: as S09, with `?` one character and `*` any run. */
export const S10: Impl<'S10'> = (p) =>
  ids(`SELECT id FROM record.object WHERE kind = 'vehicle' AND vrm LIKE $1`, [vrmLike(p.pattern)]);

/** S11: each given (non-blank) field equal, trimmed and case-insensitive. */
export const S11: Impl<'S11'> = (p) => {
  const conds: string[] = [];
  const values: string[] = [];
  for (const f of ['make', 'model', 'colour'] as const) {
    const k = fieldKey(p[f]);
    if (k === null) continue;
    values.push(k);
    conds.push(`search.field_key(${f}) = $${values.length}`);
  }
  return ids(`SELECT id FROM record.object WHERE kind = 'vehicle' AND ${conds.join(' AND ')}`, values);
};

/** S12: digits only, `0044…`/`44…` read as `0…`, equal (stored numbers are E.164 `+44…`). */
export const S12: Impl<'S12'> = (p) =>
  ids(`SELECT id FROM record.object WHERE kind = 'telephone' AND search.phone_key(telephone) = $1`, [phoneSearchKey(p.number)]);
