// The rules shared by the two legacy audit mappings (mappings/cris-audit-trail.ts,
// mappings/crimint-audit.ts) and by the audit reconciliation: action → s.62 operation,
// the legacy entity → entity_type and lineage entity, and the `detail` rules.
import type { AuditIn } from '../pipeline/types.ts';
import type { SystemName } from '../sources/types.ts';

export type Operation = AuditIn['operation'];
export type EntityType = NonNullable<AuditIn['entity_type']>;

/** compliance.md "Legacy actions map to s.62 operations". */
export const ACTION_OPERATION: Readonly<Record<string, Operation>> = Object.freeze({
  CREATE: 'collection',
  UPDATE: 'alteration',
  VIEW: 'consultation',
  SEARCH: 'consultation',
  PRINT: 'disclosure',
  DISCLOSE: 'disclosure',
  LINK: 'combination',
  DELETE: 'erasure',
});

export const LEGACY_ACTIONS = Object.freeze(Object.keys(ACTION_OPERATION));

/** A legacy action as recorded, normalised (trimmed, upper case); null when blank. */
export function normaliseAction(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const a = v.trim().toUpperCase();
  return a === '' ? null : a;
}

/**
 * The actor stored when the legacy entry names none (audit.event.actor is NOT NULL). It is
 * longer than any CRIS USER_ID (varchar(8)) and cannot be mistaken for one. The completeness
 * report counts it as "no actor".
 */
export const UNKNOWN_ACTOR = '(not recorded)';

/** True when an actor value means "nobody recorded". */
export function actorMissing(actor: string | null | undefined): boolean {
  return actor === null || actor === undefined || actor.trim() === '' || actor === UNKNOWN_ACTOR;
}

/** True when a text value means "not recorded" (NULL, empty, whitespace). */
export function blank(s: string | null | undefined): boolean {
  return s === null || s === undefined || s.trim() === '';
}

/** CRIS TABLE_NAME → entity_type (and the lineage entity is the TABLE_NAME itself). */
export const CRIS_ENTITY_TYPE: Readonly<Record<string, EntityType>> = Object.freeze({
  CRIME_REPORT: 'event',
  NOMINAL: 'person',
  ADDRESS: 'location',
  VEHICLE: 'object',
  SEARCH: 'search',
});

/** CRIMINT audit `entity` → entity_type and the lineage entity (the data file). */
export const CRIMINT_ENTITY: Readonly<Record<string, { type: EntityType; lineage: string | null }>> = Object.freeze({
  intel_report: { type: 'event', lineage: 'intel_reports.json' },
  nominal: { type: 'person', lineage: 'nominals.json' },
  search: { type: 'search', lineage: null },
});

/** The legacy entity of each system's audit step. */
export const AUDIT_ENTITY: Readonly<Record<SystemName, string>> = Object.freeze({ CRIS: 'AUDIT_TRAIL', CRIMINT: 'audit.json' });

/**
 * Parse a legacy DETAIL / criteria value: an object stays as it is, a string is parsed as JSON.
 * `undefined` = blank; `{error}` when the text is not JSON.
 */
export function parseDetail(v: unknown): { value: unknown } | { error: string } | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'string') return { value: v };
  if (v.trim() === '') return undefined;
  try {
    return { value: JSON.parse(v) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export type DetailResult = { detail: unknown; warning: string | null };

/**
 * `detail` of an entry:
 * - SEARCH: the criteria object as recorded (`{capability, params}`); text that is not a JSON
 *   object is kept as `{raw: "..."}` with the warning invalid_detail.
 * - UPDATE: only the changed field names, in the order recorded (`{"fields": ["surname"]}`):
 *   never the old and new values, which would outlive an erasure in an immutable log. A DETAIL
 *   that is not a JSON object gives NULL with invalid_detail (its raw text holds values).
 * - every other action: NULL.
 */
export function auditDetail(action: string, value: unknown): DetailResult {
  if (action === 'SEARCH') {
    const p = parseDetail(value);
    if (p === undefined) return { detail: null, warning: null };
    if ('value' in p && isObject(p.value)) return { detail: p.value, warning: null };
    const raw = typeof value === 'string' ? value : JSON.stringify(value);
    return { detail: { raw }, warning: 'error' in p ? `search criteria are not JSON (${p.error}); kept as {raw}` : 'search criteria are not a JSON object; kept as {raw}' };
  }
  if (action === 'UPDATE') {
    const p = parseDetail(value);
    if (p === undefined) return { detail: null, warning: null };
    if ('value' in p && isObject(p.value)) return { detail: { fields: Object.keys(p.value) }, warning: null };
    return { detail: null, warning: 'error' in p ? `update detail is not JSON (${p.error}); not kept (it may hold values)` : 'update detail is not a JSON object; not kept (it may hold values)' };
  }
  return { detail: null, warning: null };
}

/** Legacy local wall-clock text of a value: text as read; a driver Date (mssql: UTC fields = wall clock) formatted. */
export function wallClockText(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return undefined;
    return v.toISOString().slice(0, 23).replace('T', ' ');
  }
  return undefined;
}

/** A representative legacy action of a target operation (for target rows with no legacy counterpart). */
export function actionOfOperation(operation: string, entityType: string | null): string {
  switch (operation) {
    case 'collection': return 'CREATE';
    case 'alteration': return 'UPDATE';
    case 'consultation': return entityType === 'search' ? 'SEARCH' : 'VIEW';
    case 'disclosure': return 'DISCLOSE';
    case 'combination': return 'LINK';
    case 'erasure': return 'DELETE';
    default: return operation;
  }
}
