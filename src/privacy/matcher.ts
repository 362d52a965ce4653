// Finding an erased person's identifiers in stored values by comparing salted hashes
// (tokens.ts). Candidates are extracted from each value, canonicalised exactly as the tokens
// were, hashed with each erasure's salt and compared:
//
// - id:           the value contains the target id (any case; hyphens anywhere or nowhere). The
//                 scan is given the id, so this is a plain comparison; the stored id hash is
//                 only used to find the erasure.
// - pnc, cro:     every `digits/digits letter` run; the year/serial (PNC) and serial/year (CRO)
//                 readings are canonicalised with canonicalPnc / canonicalCro (check letter
//                 validated) and hashed.
// - surname+dob:  both in the same row. Dates (`YYYY-MM-DD`, `dd/mm/yyyy`, `00/mm/yyyy`,
//                 `00/00/yyyy`, and date-typed DOB columns) are hashed first; only a date whose
//                 1-byte hint matches is paired with the row's name candidates: every word
//                 (runs of letters, apostrophes and hyphens), every run of 2–4 consecutive words
//                 (multi-word surnames: `Van Der Berg`), and the whole value (JSON: every string
//                 leaf), each reduced with nameMatchKey.
import { canonicalCro, canonicalPnc } from '../transform/pnc.ts';
import { nameMatchKey } from '../transform/names.ts';
import { isValidYmd } from '../transform/calendar.ts';
import { tokenHash, type ErasureTokens, type IdentifierKind } from './tokens.ts';

export type ValueType = 'text' | 'json' | 'uuid' | 'dob';

export interface ColumnValue {
  column: string;
  value: string | null;
  type: ValueType;
}

export interface RowHit {
  column: string;
  kind: IdentifierKind;
  /** surname+dob: the column holding the date, when it is another column of the row. */
  dobColumn?: string;
}

const SLASH_RE = /(\d+)\/(\d+)([A-Za-z])/g;
const ISO_DATE_RE = /(\d{4})-(\d{2})-(\d{2})/g;
const UK_DATE_RE = /(\d{2})\/(\d{2})\/(\d{4})/g;
const WORD_RE = /[\p{L}\p{M}'’-]+/gu;
const MAX_NGRAM = 4;
const MAX_WHOLE_VALUE = 200;

/** Canonical PNC IDs and CRO numbers a text could be holding. */
export function pncCroCandidates(text: string): { pnc: Set<string>; cro: Set<string> } {
  const pnc = new Set<string>();
  const cro = new Set<string>();
  if (!text.includes('/')) return { pnc, cro };
  for (const m of text.matchAll(SLASH_RE)) {
    const [, pre, post, letter] = m as unknown as [string, string, string, string];
    if (post.length <= 7) {
      for (const y of [pre.slice(-4), pre.slice(-2)]) {
        if (y.length < 2) continue;
        const c = canonicalPnc(`${y}/${post}${letter}`);
        if (c) pnc.add(c);
      }
    }
    if (post.length === 2) {
      const c = canonicalCro(`${pre.slice(-6)}/${post}${letter}`);
      if (c) cro.add(c);
    }
  }
  return { pnc, cro };
}

/** DOB forms written in a text (see tokens.ts dobForms). */
export function dateCandidates(text: string): Set<string> {
  const out = new Set<string>();
  if (text.includes('-')) {
    for (const m of text.matchAll(ISO_DATE_RE)) {
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (isValidYmd(y, mo, d)) out.add(`${m[1]}-${m[2]}-${m[3]}`);
    }
  }
  if (text.includes('/')) {
    for (const m of text.matchAll(UK_DATE_RE)) {
      const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (d === 0 && mo === 0) {
        if (y > 0) out.add(m[3]!);
      } else if (d === 0) {
        if (mo >= 1 && mo <= 12) out.add(`${m[3]}-${m[2]}`);
      } else if (isValidYmd(y, mo, d)) out.add(`${m[3]}-${m[2]}-${m[1]}`);
    }
  }
  return out;
}

/** Name keys a value could be holding a surname as. */
export function nameCandidates(text: string, leaves: string[] | null): Set<string> {
  const out = new Set<string>();
  const keys: string[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const k = nameMatchKey(m[0]);
    if (k !== '') keys.push(k);
  }
  for (let i = 0; i < keys.length; i++) {
    let s = '';
    for (let n = 0; n < MAX_NGRAM && i + n < keys.length; n++) {
      s += keys[i + n]!;
      out.add(s);
    }
  }
  for (const v of leaves ?? [text]) {
    if (v.length <= MAX_WHOLE_VALUE) {
      const k = nameMatchKey(v);
      if (k !== '') out.add(k);
    }
  }
  return out;
}

function jsonLeaves(text: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number') out.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  try {
    walk(JSON.parse(text));
  } catch {
    out.push(text);
  }
  return out;
}

interface Prepared {
  t: ErasureTokens;
  pncHex: string | null;
  croHex: string | null;
  sd: Set<string>;
  hints: Set<number>;
  /** DOB form → does its hint match (dates repeat: DOB columns, audit criteria). */
  hintCache: Map<string, boolean>;
}

const HINT_CACHE_MAX = 100_000;

function hinted(p: Prepared, form: string): boolean {
  let hit = p.hintCache.get(form);
  if (hit === undefined) {
    hit = p.hints.has(tokenHash(p.t.salt, 'dob', form)[0]!);
    if (p.hintCache.size >= HINT_CACHE_MAX) p.hintCache.clear();
    p.hintCache.set(form, hit);
  }
  return hit;
}

export class IdentifierMatcher {
  private readonly idHex: string;
  private readonly tokens: Prepared[];

  constructor(id: string, tokens: ErasureTokens[]) {
    this.idHex = id.toLowerCase().replace(/-/g, '');
    this.tokens = tokens.map((t) => ({
      t,
      pncHex: t.pncHash ? t.pncHash.toString('hex') : null,
      croHex: t.croHash ? t.croHash.toString('hex') : null,
      sd: new Set(t.surnameDobHashes.map((h) => h.toString('hex'))),
      hints: new Set(t.dobHints),
      hintCache: new Map(),
    }));
  }

  /** Every identifier found in one row (each column and kind once). */
  matchRow(values: ColumnValue[]): RowHit[] {
    const hits: RowHit[] = [];
    const seen = new Set<string>();
    const add = (h: RowHit) => {
      const k = `${h.column}\u0000${h.kind}`;
      if (!seen.has(k)) {
        seen.add(k);
        hits.push(h);
      }
    };
    // dates whose hint matches: (token, form, column)
    const dates: Array<{ p: Prepared; form: string; column: string }> = [];
    for (const v of values) {
      if (v.value === null) continue;
      if (v.type === 'uuid') {
        if (v.value.toLowerCase().replace(/-/g, '').includes(this.idHex)) add({ column: v.column, kind: 'id' });
        continue;
      }
      const forms = v.type === 'dob' ? new Set([v.value.slice(0, 10)]) : dateCandidates(v.value);
      for (const form of forms) {
        for (const p of this.tokens) {
          if (p.hints.size && hinted(p, form)) dates.push({ p, form, column: v.column });
        }
      }
      if (v.type === 'dob') continue;
      if (v.value.toLowerCase().replace(/-/g, '').includes(this.idHex)) add({ column: v.column, kind: 'id' });
      const { pnc, cro } = pncCroCandidates(v.value);
      for (const p of this.tokens) {
        if (p.pncHex) for (const c of pnc) if (tokenHash(p.t.salt, 'pnc', c).toString('hex') === p.pncHex) add({ column: v.column, kind: 'pnc' });
        if (p.croHex) for (const c of cro) if (tokenHash(p.t.salt, 'cro', c).toString('hex') === p.croHex) add({ column: v.column, kind: 'cro' });
      }
    }
    if (dates.length === 0) return hits;
    for (const v of values) {
      if (v.value === null || v.type === 'uuid' || v.type === 'dob') continue;
      const names = nameCandidates(v.value, v.type === 'json' ? jsonLeaves(v.value) : null);
      for (const d of dates) {
        for (const key of names) {
          if (d.p.sd.has(tokenHash(d.p.t.salt, 'sd', `${key}|${d.form}`).toString('hex'))) {
            add({ column: v.column, kind: 'surname+dob', ...(d.column !== v.column ? { dobColumn: d.column } : {}) });
            break;
          }
        }
      }
    }
    return hits;
  }
}
