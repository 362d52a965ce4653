// Every personal identifier the target holds, and a strict but sensible search for them in text:
// names as whole words of 4 letters or more, dates of birth in every format the tool writes,
// PNC, CRO, VRMs, telephones (E.164 and national), postcodes (with and without the space),
// streets, and the search criteria users typed (kept in the audit log).
import { query } from '../helpers/extract.ts';

export interface Identifier {
  kind: string;
  value: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The DOB as every report or description has written it: ISO, dd/mm/yyyy, yyyymmdd; partial as 00/mm/yyyy. */
export function dobForms(iso: string, precision: string): string[] {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (precision === 'day') return [iso, `${pad(d)}/${pad(m)}/${y}`, `${y}${pad(m)}${pad(d)}`, `${d}/${m}/${y}`];
  if (precision === 'month') return [`00/${pad(m)}/${y}`, `${pad(m)}/${y}`];
  return []; // a year alone is not an identifier: every count and date would match it
}

/** Alphanumeric runs of a value, for whole-word matching (`O'Brien` → `o`, `brien`). */
export const words = (s: string): string[] => s.toLowerCase().normalize('NFC').split(/[^\p{L}\p{N}]+/u).filter(Boolean);

export async function targetIdentifiers(url: string): Promise<Identifier[]> {
  const out: Identifier[] = [];
  const add = (kind: string, v: unknown) => {
    if (typeof v === 'string' && v.trim()) out.push({ kind, value: v.trim() });
  };
  const people = await query<{ surname: string; forenames: string | null; dob: string | null; p: string; pnc: string | null; cro: string | null }>(url, `
    SELECT surname, forenames, to_char(date_of_birth, 'YYYY-MM-DD') dob, dob_precision p, pnc_id pnc, cro_no cro FROM record.person
    UNION ALL SELECT surname, forenames, to_char(date_of_birth, 'YYYY-MM-DD'), dob_precision, NULL, NULL FROM record.person_name`);
  for (const r of people) {
    for (const w of words(r.surname)) add('surname', w);
    for (const w of words(r.forenames ?? '')) add('forename', w);
    if (r.dob) for (const f of dobForms(r.dob, r.p)) add('dob', f);
    add('pnc', r.pnc);
    add('cro', r.cro);
  }
  for (const r of await query<{ postcode: string | null; street: string | null; premises: string | null }>(url, 'SELECT postcode, street, premises FROM record.location')) {
    if (r.postcode) for (const f of [r.postcode, r.postcode.replace(' ', '')]) add('postcode', f);
    add('street', r.street);
    add('premises', r.premises);
  }
  for (const r of await query<{ vrm: string | null; telephone: string | null }>(url, 'SELECT vrm, telephone FROM record.object')) {
    add('vrm', r.vrm);
    if (r.telephone) for (const f of [r.telephone, r.telephone.replace(/^\+44/, '0')]) add('phone', f);
  }
  // what users typed into legacy searches (the audit log keeps it, the parity workload replays it)
  const criteria = await query<{ k: string; v: string }>(url, `
    SELECT p.key k, p.value #>> '{}' v FROM audit.event e, jsonb_each(e.detail -> 'params') p
    WHERE e.entity_type = 'search' AND jsonb_typeof(p.value) = 'string' AND p.key IN ('surname', 'forenames', 'dob', 'vrm', 'postcode', 'street', 'pnc', 'cro', 'phone', 'telephone')`);
  for (const r of criteria) {
    if (r.k === 'surname' || r.k === 'forenames') for (const w of words(r.v)) add(`search ${r.k}`, w);
    else if (r.k !== 'postcode' || r.v.includes(' ')) add(`search ${r.k}`, r.v); // an outward code alone (E1) is a district
  }
  // strict but sensible: 4 characters or more
  const seen = new Set<string>();
  return out.filter((i) => {
    const key = i.value.toLowerCase();
    if (i.value.replace(/[^\p{L}\p{N}]/gu, '').length < 4 || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface Hit {
  file: string;
  kind: string;
  value: string;
  context: string;
}

/**
 * Where any identifier occurs in `text` as a whole token: one word → the text's word set; several
 * words (dates, postcodes, streets) → a substring match bounded by non-alphanumerics.
 */
export function findIdentifiers(file: string, text: string, ids: Identifier[], ignore: Set<string> = new Set()): Hit[] {
  const lower = text.toLowerCase().normalize('NFC');
  const tokens = new Set(words(lower));
  const hits: Hit[] = [];
  const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
  for (const id of ids) {
    const v = id.value.toLowerCase().normalize('NFC');
    if (ignore.has(v)) continue;
    const parts = words(v);
    if (parts.length === 1 && parts[0] === v) {
      if (!tokens.has(v)) continue;
      const at = lower.search(new RegExp(`(?<![\\p{L}\\p{N}])${v}(?![\\p{L}\\p{N}])`, 'u'));
      hits.push({ file, ...id, context: text.slice(Math.max(0, at - 60), at + v.length + 60) });
      continue;
    }
    for (let at = lower.indexOf(v); at >= 0; at = lower.indexOf(v, at + 1)) {
      if (isWord(lower[at - 1]) || isWord(lower[at + v.length])) continue;
      hits.push({ file, ...id, context: text.slice(Math.max(0, at - 60), at + v.length + 60) });
      break;
    }
  }
  return hits;
}
