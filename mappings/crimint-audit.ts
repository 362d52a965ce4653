// CRIMINT audit.json → audit.event (compliance.md "Audit history"). Every entry is migrated, also
// those about records that are not (status DELETED): the log outlives the data, so exclude() is
// always null. Key: `id` (= legacy_audit_id).
//
// - action → operation as for CRIS; unknown → quarantine invalid_value.
// - at (`dd/mm/yyyy HH:MM:SS`, Europe/London) → instant; blank → missing_required, unparseable →
//   invalid_required (quarantine); repeated/skipped hour → ambiguous_local_time / nonexistent_local_time.
// - user → actor (blank: UNKNOWN_ACTOR + missing_actor); reason → justification; recipient.
// - entity intel_report → event, nominal → person, search → search; key → entity_ref;
//   lookup {entity: intel_reports.json | nominals.json, key} (null for searches).
// - criteria (SEARCH): the `{capability, params}` object as recorded; UPDATE: changed field names
//   only when a `detail` object is present (the export has none today); else NULL.
import type { AuditOut, Mapping, Outcome } from '../src/pipeline/types.ts';
import {
  ACTION_OPERATION, CRIMINT_ENTITY, UNKNOWN_ACTOR, auditDetail, normaliseAction,
} from '../src/audit/legacy-rules.ts';
import { Ctx, INVALID, crimintInstant, show, str, text } from './lib.ts';

const SYSTEM = 'CRIMINT';
const ENTITY = 'audit.json';

export const mapping: Mapping = {
  system: SYSTEM,
  entity: ENTITY,
  schemas: {},
  audit: true,
  exclude: () => null,
  map(rec): Outcome {
    const raw = rec.raw;
    const ctx = new Ctx(rec.key);

    const idRaw = raw['id'];
    const legacyId = typeof idRaw === 'number' && Number.isFinite(idRaw) ? String(idRaw) : typeof idRaw === 'string' ? idRaw.trim() : '';
    if (legacyId === '') return ctx.quarantine('missing_required', 'id', `id ${show(idRaw)} is missing or not text`);

    const action = normaliseAction(raw['action']);
    const operation = action === null ? undefined : ACTION_OPERATION[action];
    if (operation === undefined || action === null) {
      return ctx.quarantine('invalid_value', 'action', `action ${show(raw['action'])} is not one of ${Object.keys(ACTION_OPERATION).join(', ')}`);
    }

    const atRaw = raw['at'];
    if (atRaw !== null && atRaw !== undefined && typeof atRaw !== 'string') {
      return ctx.quarantine('invalid_required', 'at', `at ${show(atRaw)} is not a dd/mm/yyyy HH:MM:SS date-time`);
    }
    const at = crimintInstant(ctx, atRaw ?? null, 'at');
    if (at === null) return ctx.quarantine('missing_required', 'at', 'at is missing');
    if (at === INVALID) return ctx.quarantine('invalid_required', 'at', `at ${show(atRaw)} is not a valid dd/mm/yyyy HH:MM:SS date-time`);

    let actor = text(ctx, str(ctx, raw['user'], 'user'), 'user');
    if (actor === null) {
      ctx.warn('missing_actor', 'user', `user is blank; actor stored as ${show(UNKNOWN_ACTOR)}`);
      actor = UNKNOWN_ACTOR;
    }

    const entityName = typeof raw['entity'] === 'string' ? raw['entity'].trim().toLowerCase() : '';
    const entity = Object.hasOwn(CRIMINT_ENTITY, entityName) ? CRIMINT_ENTITY[entityName]! : null;
    if (entity === null) ctx.warn('invalid_value', 'entity', `entity ${show(raw['entity'])} is not intel_report, nominal or search; entity_type stored as NULL`);
    const key = text(ctx, str(ctx, raw['key'], 'key'), 'key');

    const d = auditDetail(action, action === 'UPDATE' ? raw['detail'] : raw['criteria']);
    if (d.warning) ctx.warn('invalid_detail', action === 'UPDATE' ? 'detail' : 'criteria', d.warning);

    const entry: AuditOut = {
      occurred_at: at,
      actor,
      operation,
      justification: text(ctx, str(ctx, raw['reason'], 'reason'), 'reason'),
      recipient: text(ctx, str(ctx, raw['recipient'], 'recipient'), 'recipient'),
      entity_type: entity?.type ?? null,
      entity_id: null,
      entity_ref: key,
      detail: d.detail,
      origin: SYSTEM,
      legacy_audit_id: legacyId,
      lookup: entity?.lineage && key !== null ? { entity: entity.lineage, key } : null,
    };
    return { kind: 'loaded', mapped: { rows: [], links: [], audit: [entry], warnings: ctx.warnings } };
  },
};

export default mapping;
