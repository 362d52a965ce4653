// Shared helpers of the mappings: a per-record warnings collector, outcome builders, type-checked
// field getters and the warning-raising wrappers around the pure value rules of src/transform.
// No value rule lives here: cleaning, parsing and code lists are src/transform's.
import type { Problem } from '../src/core/problems.ts';
import type { LinkOut, Mapping, Outcome, RowOut } from '../src/pipeline/types.ts';
import {
  cleanName, cleanText, hasMojibake, londonToInstant, parseCrimintDateTime, stripNul,
} from '../src/transform/index.ts';

/** Warnings of one record: every Problem carries the record's source key. */
export class Ctx {
  readonly warnings: Problem[] = [];
  constructor(readonly sourceKey: string) {}

  warn(code: string, field: string | null, message: string): void {
    this.warnings.push({ code, field, sourceKey: this.sourceKey, message });
  }

  /** A quarantine outcome whose primary reason is this problem; warnings so far follow it. */
  quarantine(code: string, field: string | null, message: string): Outcome {
    return { kind: 'quarantined', problems: [{ code, field, sourceKey: this.sourceKey, message }, ...this.warnings] };
  }

  loaded(rows: RowOut[], links: LinkOut[]): Outcome {
    return { kind: 'loaded', mapped: { rows, links, audit: [], warnings: this.warnings } };
  }
}

/** Short quoted rendering of a legacy value for messages (never the whole of a long text). */
export function show(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'undefined' : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** JSON type name for messages: `string`, `number`, `array`, `object`, `null` ... */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The one place that makes map() total: a record that is not a JSON object is `malformed_record`,
 * and an unexpected exception (a bug, never a data problem) becomes the quarantine reason
 * `mapping_error` instead of stopping the step.
 */
export function defineMapping(m: Mapping): Mapping {
  const inner = m.map;
  return {
    ...m,
    map(rec) {
      if (!isPlainObject(rec.raw)) {
        return new Ctx(rec.key).quarantine('malformed_record', null, `a record must be a JSON object, found ${typeName(rec.raw)}`);
      }
      try {
        return inner(rec);
      } catch (e) {
        return new Ctx(rec.key).quarantine('mapping_error', null, `${m.system} ${m.entity} mapping failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Exclusion rules (the loader calls them before map()).

/** CRIS `DELETED` = 'Y' (trimmed, any case) → legacy_deleted. */
export function crisExclude(raw: Record<string, unknown>): 'legacy_deleted' | null {
  const d = raw['deleted'];
  return typeof d === 'string' && d.trim().toUpperCase() === 'Y' ? 'legacy_deleted' : null;
}

/** CRIMINT `"status": "DELETED"` (trimmed, any case) → legacy_deleted. */
export function crimintExclude(raw: Record<string, unknown>): 'legacy_deleted' | null {
  const s = isPlainObject(raw) ? raw['status'] : undefined;
  return typeof s === 'string' && s.trim().toUpperCase() === 'DELETED' ? 'legacy_deleted' : null;
}

// ---------------------------------------------------------------------------------------------
// Type-checked getters. A value of the wrong type in an optional field → null + `invalid_type`.

/** A string field: string → itself (untrimmed); null/undefined → null; else null + `invalid_type`. */
export function str(ctx: Ctx, v: unknown, field: string): string | null {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return null;
  ctx.warn('invalid_type', field, `expected a string, found ${typeName(v)} ${show(v)}; stored as NULL`);
  return null;
}

const INT_TEXT_RE = /^\s*-?\d{1,10}\s*$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** An integer field (easting, northing): a 32-bit integer or its digits; blank → null; else null + `invalid_type`. */
export function int(ctx: Ctx, v: unknown, field: string): number | null {
  if (v === null || v === undefined) return null;
  let n: number | null = null;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    if (v.trim() === '') return null;
    if (INT_TEXT_RE.test(v)) n = Number(v);
  }
  if (n !== null && Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX) return n;
  ctx.warn('invalid_type', field, `expected an integer, found ${typeName(v)} ${show(v)}; stored as NULL`);
  return null;
}

const KEY_TEXT_RE = /^\d+$/;

/**
 * A CRIS integer foreign key (ADDRESS_ID, LOCATION_ID, NOMINAL_ID, VEHICLE_ID) as the legacy key
 * text it refers to (`String(12345)`, as crisKey writes it). null/blank → null; anything that is
 * not a non-negative integer → undefined (the caller decides: warning or quarantine).
 */
export function intKey(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? String(v) : undefined;
  if (typeof v === 'bigint') return v >= 0n ? String(v) : undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return null;
    return KEY_TEXT_RE.test(t) ? t : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Text with data-quality flags: NUL removed (`nul_removed`), mojibake kept (`mojibake`).

function flagged(ctx: Ctx, s: string | null, field: string, clean: (s: string) => string | null): string | null {
  if (s === null) return null;
  const value = stripNul(s);
  if (value !== s) ctx.warn('nul_removed', field, 'NUL characters (U+0000) removed');
  const out = clean(value);
  if (out !== null && hasMojibake(out)) ctx.warn('mojibake', field, 'looks like UTF-8 read as Windows-1252; kept as recorded');
  return out;
}

/** Free text (narratives, addresses, descriptions, codes): cleanText (trimmed, inner whitespace kept). */
export function text(ctx: Ctx, s: string | null, field: string): string | null {
  return flagged(ctx, s, field, cleanText);
}

/** A person's name: cleanName (trimmed, inner whitespace collapsed, case as recorded). */
export function name(ctx: Ctx, s: string | null, field: string): string | null {
  return flagged(ctx, s, field, cleanName);
}

// ---------------------------------------------------------------------------------------------
// Local (Europe/London) date-times.

/** Marks a present but unparseable value (distinct from null = not recorded). */
export const INVALID: unique symbol = Symbol('invalid');
export type Parsed<T> = T | null | typeof INVALID;

/**
 * Local wall-clock text (`YYYY-MM-DD HH:MM:SS`) → instant. Blank → null; unparseable → INVALID.
 * A repeated or skipped local hour raises `ambiguous_local_time` / `nonexistent_local_time`.
 */
export function localInstant(ctx: Ctx, local: string | null, field: string): Parsed<Date> {
  if (local === null || local.trim() === '') return null;
  const r = londonToInstant(local);
  if (r === null) return INVALID;
  if (r.warning !== null) {
    ctx.warn(r.warning, field, r.warning === 'ambiguous_local_time'
      ? `${show(local)} occurs twice in Europe/London; read as the earlier instant (BST)`
      : `${show(local)} does not exist in Europe/London; moved forward by one hour`);
  }
  return r.instant;
}

/** CRIMINT `dd/mm/yyyy HH:MM:SS` (or a date alone) → instant; see localInstant. */
export function crimintInstant(ctx: Ctx, s: string | null, field: string): Parsed<Date> {
  if (s === null || s.trim() === '') return null;
  const local = parseCrimintDateTime(s);
  return local === null ? INVALID : localInstant(ctx, local, field);
}

/** An optional parsed value: INVALID → null + warning `code`. */
export function optional<T>(ctx: Ctx, p: Parsed<T>, raw: unknown, field: string, code: string): T | null {
  if (p !== INVALID) return p;
  ctx.warn(code, field, `invalid value ${show(raw)}; stored as NULL`);
  return null;
}

/** A code-like value (postcode, VRM, phone) before its value rule: NUL removed with `nul_removed`. */
export function noNul(ctx: Ctx, s: string | null, field: string): string | null {
  if (s === null) return null;
  const value = stripNul(s);
  if (value !== s) ctx.warn('nul_removed', field, 'NUL characters (U+0000) removed');
  return value;
}

/** True for null and whitespace-only strings ("not recorded"). */
export function isBlank(s: string | null): s is null {
  return s === null || s.trim() === '';
}

/** An optional CRIS date-time column (local text): unparseable → NULL + `invalid_datetime`. */
export function crisTime(ctx: Ctx, raw: Record<string, unknown>, column: string): Date | null {
  const v = raw[column];
  return optional(ctx, localInstant(ctx, str(ctx, v, column), column), v, column, 'invalid_datetime');
}

/** An optional CRIMINT `dd/mm/yyyy HH:MM:SS` field: invalid → NULL + `invalid_datetime`. */
export function crimintTime(ctx: Ctx, raw: Record<string, unknown>, field: string): Date | null {
  const v = raw[field];
  return optional(ctx, crimintInstant(ctx, str(ctx, v, field), field), v, field, 'invalid_datetime');
}

const EMPTY: readonly unknown[] = Object.freeze([]);

/** A CRIMINT inline array: absent/null → empty; not an array → undefined (the record is malformed). */
export function list(raw: Record<string, unknown>, field: string): readonly unknown[] | undefined {
  const v = raw[field];
  if (v === null || v === undefined) return EMPTY;
  return Array.isArray(v) ? v : undefined;
}
