// CRIS AUDIT_TRAIL → audit.event (compliance.md "Audit history"). Every entry is migrated, also
// those about records that are not (legacy-deleted): the log outlives the data, so exclude()
// is always null. Key: AUDIT_ID as text (= legacy_audit_id).
//
// - ACTION → operation (CREATE collection, UPDATE alteration, VIEW/SEARCH consultation,
//   PRINT/DISCLOSE disclosure, LINK combination, DELETE erasure); unknown → quarantine invalid_value.
// - ACTION_DT: Europe/London wall clock → instant (ambiguous_local_time / nonexistent_local_time);
//   blank → quarantine missing_required, unparseable → quarantine invalid_required.
// - USER_ID → actor (blank: UNKNOWN_ACTOR, warning missing_actor); REASON → justification,
//   RECIPIENT → recipient (blank → NULL).
// - TABLE_NAME → entity_type (CRIME_REPORT event, NOMINAL person, ADDRESS location, VEHICLE object,
//   SEARCH search); RECORD_KEY → entity_ref; lookup {entity: TABLE_NAME, key: RECORD_KEY} so the
//   loader sets entity_id through lineage (an entry about an unmigrated record keeps only entity_ref).
// - DETAIL: SEARCH criteria object; UPDATE changed field names only; else NULL (see auditDetail).
import type { AuditOut, Mapping, Outcome } from '../src/pipeline/types.ts';
import {
  ACTION_OPERATION, CRIS_ENTITY_TYPE, UNKNOWN_ACTOR, auditDetail, normaliseAction, wallClockText,
} from '../src/audit/legacy-rules.ts';
import { Ctx, INVALID, localInstant, show, str, text } from './lib.ts';

const SYSTEM = 'CRIS';
const ENTITY = 'AUDIT_TRAIL';

export const mapping: Mapping = {
  system: SYSTEM,
  entity: ENTITY,
  schemas: {},
  audit: true,
  exclude: () => null,
  map(rec): Outcome {
    const raw = rec.raw;
    const ctx = new Ctx(rec.key);

    const idRaw = raw['audit_id'];
    const legacyId = typeof idRaw === 'number' || typeof idRaw === 'bigint' ? String(idRaw) : typeof idRaw === 'string' ? idRaw.trim() : '';
    if (legacyId === '') return ctx.quarantine('missing_required', 'audit_id', 'AUDIT_ID is missing');

    const action = normaliseAction(raw['action']);
    const operation = action === null ? undefined : ACTION_OPERATION[action];
    if (operation === undefined || action === null) {
      return ctx.quarantine('invalid_value', 'action', `ACTION ${show(raw['action'])} is not one of ${Object.keys(ACTION_OPERATION).join(', ')}`);
    }

    const local = wallClockText(raw['action_dt']);
    if (local === undefined) return ctx.quarantine('invalid_required', 'action_dt', `ACTION_DT ${show(raw['action_dt'])} is not a date-time`);
    const at = localInstant(ctx, local, 'action_dt');
    if (at === null) return ctx.quarantine('missing_required', 'action_dt', 'ACTION_DT is missing');
    if (at === INVALID) return ctx.quarantine('invalid_required', 'action_dt', `ACTION_DT ${show(local)} is not a valid date-time`);

    let actor = text(ctx, str(ctx, raw['user_id'], 'user_id'), 'user_id');
    if (actor === null) {
      ctx.warn('missing_actor', 'user_id', `USER_ID is blank; actor stored as ${show(UNKNOWN_ACTOR)}`);
      actor = UNKNOWN_ACTOR;
    }

    const table = normaliseAction(raw['table_name']);
    let entityType = table === null ? null : CRIS_ENTITY_TYPE[table] ?? null;
    if (entityType === null) {
      ctx.warn('invalid_value', 'table_name', `TABLE_NAME ${show(raw['table_name'])} is not a known table; entity_type stored as NULL`);
      entityType = null;
    }
    const recordKey = text(ctx, str(ctx, raw['record_key'], 'record_key'), 'record_key');

    const d = auditDetail(action, raw['detail']);
    if (d.warning) ctx.warn('invalid_detail', 'detail', d.warning);

    const entry: AuditOut = {
      occurred_at: at,
      actor,
      operation,
      justification: text(ctx, str(ctx, raw['reason'], 'reason'), 'reason'),
      recipient: text(ctx, str(ctx, raw['recipient'], 'recipient'), 'recipient'),
      entity_type: entityType,
      entity_id: null,
      entity_ref: recordKey,
      detail: d.detail,
      origin: SYSTEM,
      legacy_audit_id: legacyId,
      lookup: entityType !== null && entityType !== 'search' && recordKey !== null ? { entity: table!, key: recordKey } : null,
    };
    return { kind: 'loaded', mapped: { rows: [], links: [], audit: [entry], warnings: ctx.warnings } };
  },
};

export default mapping;
