// Erasure tokens: salted hashes of an erased person's identifiers (compliance.md s.47 "Residual
// scan"), stored in migration.erasure_token (migration 1700000000020) instead of the identifiers.
//
//   hash(kind, value) = HMAC-SHA256(key = salt, message = UTF-8 of `${kind}:${value}`)
//
// | kind | value                                                                   |
// |------|-------------------------------------------------------------------------|
// | id   | the target id, lower-case with hyphens                                  |
// | pnc  | canonical PNC ID `YYYY/NNNNNNNC` (canonicalPnc)                         |
// | cro  | canonical CRO number `NNNNNN/YYC` (canonicalCro)                        |
// | sd   | `${nameMatchKey(surname)}|${dob form}` for the primary name and aliases  |
// | dob  | a DOB form alone: only the FIRST BYTE is kept (dob_hints), as a prefilter |
//
// DOB forms: day precision `YYYY-MM-DD`; month `YYYY-MM` and `YYYY-MM-01`; year `YYYY` and
// `YYYY-01-01` (the stored date of a partial DOB is the first day of its period, and text can
// write a partial DOB as `00/mm/yyyy` or `00/00/yyyy`). An alias without a DOB takes the
// primary DOB (search-catalog "Names searched").
//
// What the salt buys: the table is not a copy of the identifiers (no reading, no joining, no
// precomputed tables across erasures). It does not make low-entropy identifiers secret from
// someone who holds the table: a surname+DOB or a PNC ID can be enumerated (~10⁹–10¹⁰ HMACs).
// Keep the table as access-controlled as the audit log.
import { createHmac, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { canonicalCro, canonicalPnc } from '../transform/pnc.ts';
import { nameMatchKey } from '../transform/names.ts';

export type IdentifierKind = 'id' | 'pnc' | 'cro' | 'surname+dob';

export interface ErasureTokens {
  erasureId: string;
  salt: Buffer;
  idHash: Buffer;
  pncHash: Buffer | null;
  croHash: Buffer | null;
  surnameDobHashes: Buffer[];
  dobHints: number[];
  auditSeq: string | null;
  erasedAt: string | null;
}

type Queryable = pg.Client | pg.PoolClient;

export function tokenHash(salt: Buffer, kind: 'id' | 'pnc' | 'cro' | 'sd' | 'dob', value: string): Buffer {
  return createHmac('sha256', salt).update(`${kind}:${value}`, 'utf8').digest();
}

/** The forms a DOB of this precision can be written in (see the table above); [] when unknown. */
export function dobForms(date: string | null, precision: string): string[] {
  if (!date) return [];
  const d = date.slice(0, 10);
  switch (precision) {
    case 'day':
      return [d];
    case 'month':
      return [d.slice(0, 7), `${d.slice(0, 7)}-01`];
    case 'year':
      return [d.slice(0, 4), `${d.slice(0, 4)}-01-01`];
    default:
      return [];
  }
}

export interface PersonIdentifiers {
  id: string;
  pnc_id: string | null;
  cro_no: string | null;
  /** primary name first, then aliases; an alias without a DOB takes the primary DOB. */
  names: Array<{ surname: string; date_of_birth: string | null; dob_precision: string }>;
}

/** The surname key + DOB form pairs of a person (cleartext: only ever held in memory). */
export function surnameDobPairs(p: PersonIdentifiers): Array<{ surnameKey: string; form: string }> {
  const primary = p.names[0];
  const out: Array<{ surnameKey: string; form: string }> = [];
  const seen = new Set<string>();
  for (const n of p.names) {
    const key = nameMatchKey(n.surname);
    if (key === '') continue;
    const [date, precision] = n.date_of_birth ? [n.date_of_birth, n.dob_precision] : [primary?.date_of_birth ?? null, primary?.dob_precision ?? 'unknown'];
    for (const form of dobForms(date, precision)) {
      const k = `${key}|${form}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push({ surnameKey: key, form });
      }
    }
  }
  return out;
}

/** Derive a new erasure's tokens (fresh random salt). */
export function deriveTokens(p: PersonIdentifiers, erasureId: string, salt: Buffer = randomBytes(32)): ErasureTokens {
  const pnc = canonicalPnc(p.pnc_id);
  const cro = canonicalCro(p.cro_no);
  const pairs = surnameDobPairs(p);
  const hints = new Set<number>();
  for (const { form } of pairs) hints.add(tokenHash(salt, 'dob', form)[0]!);
  return {
    erasureId,
    salt,
    idHash: tokenHash(salt, 'id', p.id.toLowerCase()),
    pncHash: pnc ? tokenHash(salt, 'pnc', pnc) : null,
    croHash: cro ? tokenHash(salt, 'cro', cro) : null,
    surnameDobHashes: pairs.map(({ surnameKey, form }) => tokenHash(salt, 'sd', `${surnameKey}|${form}`)),
    dobHints: [...hints].sort((a, b) => a - b),
    auditSeq: null,
    erasedAt: null,
  };
}

export async function insertTokens(c: Queryable, t: ErasureTokens): Promise<string> {
  const { rows } = await c.query<{ erased_at: Date }>(
    `INSERT INTO migration.erasure_token (erasure_id, salt, id_hash, pnc_hash, cro_hash, surname_dob_hashes, dob_hints, audit_seq)
     VALUES ($1, $2, $3, $4, $5, $6::bytea[], $7::smallint[], $8) RETURNING erased_at`,
    [t.erasureId, t.salt, t.idHash, t.pncHash, t.croHash, t.surnameDobHashes, t.dobHints, t.auditSeq],
  );
  return rows[0]!.erased_at.toISOString();
}

/** The tokens of every erasure of this target id (normally zero or one). */
export async function findTokens(c: Queryable, id: string): Promise<ErasureTokens[]> {
  const { rows } = await c.query(
    `SELECT erasure_id::text, salt, id_hash, pnc_hash, cro_hash, surname_dob_hashes, dob_hints, audit_seq::text, erased_at
       FROM migration.erasure_token
      WHERE hmac(convert_to('id:' || $1::text, 'UTF8'), salt, 'sha256') = id_hash
      ORDER BY erased_at`,
    [id.toLowerCase()],
  );
  return rows.map((r) => ({
    erasureId: r.erasure_id,
    salt: r.salt,
    idHash: r.id_hash,
    pncHash: r.pnc_hash,
    croHash: r.cro_hash,
    surnameDobHashes: r.surname_dob_hashes ?? [],
    dobHints: (r.dob_hints ?? []).map(Number),
    auditSeq: r.audit_seq,
    erasedAt: (r.erased_at as Date).toISOString(),
  }));
}

/**
 * Which of these target ids have been erased (re-migration guard: a re-run of a pipeline reads
 * the legacy record again and would bring an erased person back). One query; cost is
 * ids × erasures HMACs in the database.
 */
export async function erasedIds(c: Queryable, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await c.query<{ id: string }>(
    `SELECT DISTINCT q.id FROM unnest($1::text[]) AS q(id)
       JOIN migration.erasure_token t ON hmac(convert_to('id:' || q.id, 'UTF8'), t.salt, 'sha256') = t.id_hash`,
    [ids.map((i) => i.toLowerCase())],
  );
  return new Set(rows.map((r) => r.id));
}
