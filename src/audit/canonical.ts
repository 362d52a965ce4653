/**
 * The canonical form of an `audit.event` row and its chain hash (compliance.md "The chain can
 * be verified"). Anyone can re-implement this from the text below and verify the chain
 * without this code.
 *
 * CANONICAL JSON
 *   One JSON object, no whitespace anywhere, with exactly these 11 keys in this order:
 *     occurred_at, actor, operation, justification, recipient, entity_type, entity_id,
 *     entity_ref, detail, origin, legacy_audit_id
 *   (every column of audit.event except seq, prev_hash and hash).
 *   - SQL NULL is JSON `null`.
 *   - occurred_at: the instant in UTC as a JSON string `YYYY-MM-DDTHH:MM:SS.mmmZ`, always with
 *     exactly three fraction digits (`"2019-03-04T10:25:13.000Z"`; ECMAScript
 *     Date.prototype.toISOString). The stored value has millisecond precision: appendAudit
 *     truncates to the millisecond before hashing, and a stored value with a non-zero
 *     sub-millisecond part can only come from tampering (the verifier reports it as changed).
 *   - entity_id: the UUID in PostgreSQL's output form, lower-case hex with hyphens.
 *   - text columns: JSON strings as ECMAScript JSON.stringify writes them: `"` and `\` escaped
 *     as `\"` and `\\`; U+0008, U+0009, U+000A, U+000C, U+000D as `\b` `\t` `\n` `\f` `\r`;
 *     other characters below U+0020 as `\u00XX` (lower-case hex); every other character
 *     literally (no `\u` escapes for non-ASCII, `/` not escaped).
 *   - detail (jsonb): serialised the same way, with the keys of every object sorted
 *     recursively in Unicode code point order, array elements in their order, numbers as
 *     ECMAScript writes them (shortest round-trip form: `1`, `0.5`, `1e+21`, `1e-7`).
 *   Strings never contain U+0000 or unpaired surrogates: PostgreSQL cannot store them, so
 *   appendAudit removes U+0000 and replaces an unpaired surrogate with U+FFFD before hashing
 *   (what is stored is what was hashed).
 *
 * HASH
 *   hash = SHA-256( prev_hash ‖ UTF-8(canonical JSON) ), 32 bytes, stored as bytea.
 *   prev_hash is the stored hash of the row with the next lower seq; the first row of the
 *   chain has prev_hash = 32 zero bytes (stored as such, not NULL).
 *
 * Example (first row):
 *   {"occurred_at":"2019-03-04T10:25:13.000Z","actor":"CD5678","operation":"consultation",
 *    "justification":"Op TRIDENT briefing","recipient":null,"entity_type":"event","entity_id":null,
 *    "entity_ref":"IR/2019/0001234","detail":null,"origin":"CRIMINT","legacy_audit_id":"A000000001"}
 *   (one line), hash = sha256(0x00…00 ‖ those bytes).
 */
import * as crypto from 'node:crypto';
import { sha256Hex } from '../core/sha256.ts';

/** The hashed columns, in canonical order. */
export const CANONICAL_COLUMNS = [
  'occurred_at', 'actor', 'operation', 'justification', 'recipient', 'entity_type',
  'entity_id', 'entity_ref', 'detail', 'origin', 'legacy_audit_id',
] as const;

/** prev_hash of the first row: 32 zero bytes. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** The hashed content of one audit.event row. */
export interface CanonicalRow {
  occurred_at: Date;
  actor: string;
  operation: string;
  justification: string | null;
  recipient: string | null;
  entity_type: string | null;
  entity_id: string | null;
  entity_ref: string | null;
  detail: unknown;
  origin: string;
  legacy_audit_id: string | null;
}

const SURROGATE_RE = /[\ud800-\udfff]/;
const byCodePoint = (a: string, b: string): number => {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
};

/** Object keys in code point order (UTF-16 order unless a key holds a surrogate pair). */
function sortedKeys(o: object): string[] {
  const keys = Object.keys(o).sort();
  return keys.some((k) => SURROGATE_RE.test(k)) ? keys.sort(byCodePoint) : keys;
}

/**
 * JSON with object keys sorted recursively and no whitespace. Same values as JSON.stringify
 * (toJSON honoured, undefined/functions omitted in objects and null in arrays, non-finite → null).
 */
export function stableJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return str(v);
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('BigInt value in audit detail: convert it to a string or number first');
    case 'object': {
      const o = v as { toJSON?: () => unknown };
      if (typeof o.toJSON === 'function') return stableJson(o.toJSON());
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) {
          const e = v[i];
          s += (i ? ',' : '') + (e === undefined || typeof e === 'function' || typeof e === 'symbol' ? 'null' : stableJson(e));
        }
        return s + ']';
      }
      let s = '{';
      let first = true;
      for (const k of sortedKeys(v)) {
        const e = (v as Record<string, unknown>)[k];
        if (e === undefined || typeof e === 'function' || typeof e === 'symbol') continue;
        s += (first ? '' : ',') + JSON.stringify(k) + ':' + stableJson(e);
        first = false;
      }
      return s + '}';
    }
    default:
      return 'null';
  }
}

/** A JSON string as JSON.stringify writes it; plain text (most values) without calling it. */
function str(s: string | null): string {
  if (s === null) return 'null';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return '"' + s + '"';
}

/** `2019-03-04T10:25:13.000Z`. */
export function canonicalTimestamp(d: Date): string {
  return d.toISOString();
}

/** The canonical JSON of a row (see the comment at the top of this file). `detailJson`: stableJson(row.detail) if already made. */
export function canonicalJson(row: CanonicalRow, detailJson?: string | null): string {
  return canonicalJsonAt(row.occurred_at.toISOString(), row, detailJson);
}

/**
 * canonicalJson with occurred_at given as its canonical text (`YYYY-MM-DDTHH:MM:SS.mmmZ`,
 * exactly as toISOString writes it): for the verifier, which reads it formatted by the server.
 */
export function canonicalJsonAt(iso: string, row: Omit<CanonicalRow, 'occurred_at'>, detailJson?: string | null): string {
  return (
    '{"occurred_at":"' + iso +
    '","actor":' + str(row.actor) +
    ',"operation":' + str(row.operation) +
    ',"justification":' + str(row.justification) +
    ',"recipient":' + str(row.recipient) +
    ',"entity_type":' + str(row.entity_type) +
    ',"entity_id":' + str(row.entity_id) +
    ',"entity_ref":' + str(row.entity_ref) +
    ',"detail":' + (detailJson ?? stableJson(row.detail)) +
    ',"origin":' + str(row.origin) +
    ',"legacy_audit_id":' + str(row.legacy_audit_id) +
    '}'
  );
}

/** hash = sha256(prev_hash ‖ utf8(canonical)). */
export function chainHash(prevHash: Buffer, canonical: string): Buffer {
  return crypto.createHash('sha256').update(prevHash).update(canonical, 'utf8').digest();
}

/**
 * The chain hash, in hex, for many rows in a row: one reused buffer holds prev_hash ‖ utf8(canonical).
 * Equivalent to chainHash(Buffer.from(prevHex, 'hex'), canonical).toString('hex').
 */
export class ChainHasher {
  private buf = Buffer.allocUnsafe(64 * 1024);

  hex(prevHex: string, canonical: string): string {
    const need = 32 + canonical.length * 3;
    if (need > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.write(prevHex, 0, 32, 'hex');
    const len = this.buf.write(canonical, 32, 'utf8');
    const data = this.buf.subarray(0, 32 + len);
    return sha256Hex(data);
  }
}

// ---------------------------------------------------------------------------------------------
// Normalisation: make a row storable exactly as hashed.

/** Remove U+0000 and replace unpaired surrogates with U+FFFD (PostgreSQL stores neither). */
export function storableText(s: string): string {
  let out = s.includes('\u0000') ? s.replaceAll('\u0000', '') : s;
  if (SURROGATE_RE.test(out)) out = (out as unknown as { toWellFormed(): string }).toWellFormed();
  return out;
}

function storableJsonValue(v: unknown): unknown {
  if (typeof v === 'string') return storableText(v);
  if (Array.isArray(v)) return v.map(storableJsonValue);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) out[storableText(k)] = storableJsonValue(e);
    return out;
  }
  return v;
}

/**
 * detail as plain JSON (what jsonb will give back): undefined → null; Dates and other toJSON
 * values resolved; U+0000 removed and unpaired surrogates replaced everywhere.
 */
export function storableDetail(detail: unknown): unknown {
  if (detail === undefined || detail === null) return null;
  if (typeof detail === 'number') return Number.isFinite(detail) ? detail : null;
  if (typeof detail === 'boolean') return detail;
  if (typeof detail === 'string') return storableText(detail);
  return storableJsonValue(JSON.parse(stableJson(detail)));
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID in PostgreSQL's output form, or a thrown error (a bad id is a programming error). */
export function storableUuid(id: string | null): string | null {
  if (id === null || id === undefined) return null;
  if (!UUID_RE.test(id)) throw new TypeError(`audit entity_id is not a UUID: ${JSON.stringify(id)}`);
  return id.toLowerCase();
}

/** The instant truncated to the millisecond (what timestamptz stores and JSON shows). */
export function storableInstant(d: Date | string): Date {
  const t = typeof d === 'string' ? Date.parse(d) : d instanceof Date ? d.getTime() : NaN;
  if (!Number.isFinite(t)) throw new TypeError(`audit occurred_at is not a valid instant: ${String(d)}`);
  const out = new Date(Math.trunc(t));
  const y = out.getUTCFullYear();
  if (y < 1 || y > 9999) throw new TypeError(`audit occurred_at out of range (years 1–9999): ${out.toISOString()}`);
  return out;
}
