// Restriction of processing (DPA 2018 s.47(2); compliance.md "Restriction"): sets or lifts
// `restricted` on one person or event and logs an `alteration` in the same transaction.
// Searches S01–S19 stop finding a restricted record; S20 (subject access) still does.
// A re-run of the migration keeps the flag (src/load/tables.ts PRESERVED_ON_MERGE).
import { connect } from '../db/pool.ts';
import { appendAudit } from '../audit/chain.ts';
import { ConfigError, CutoverError } from '../core/problems.ts';
import { inTransaction, lastAuditSeq, requireText, requireUrl, requireUuid } from './common.ts';

export interface RestrictOptions {
  url: string;
  /** Exactly one of person and event: the target id. */
  person?: string;
  event?: string;
  actor: string;
  justification: string;
  /** Lift the restriction instead of setting it. */
  lift?: boolean;
}

export interface RestrictResult {
  entityType: 'person' | 'event';
  id: string;
  restricted: boolean;
  /** false when the record already had that state: nothing written, no audit event. */
  changed: boolean;
  /** seq of the alteration event in audit.event, null when nothing changed. */
  auditSeq: string | null;
}

export async function restrict(opts: RestrictOptions): Promise<RestrictResult> {
  const url = requireUrl(opts.url);
  if ((opts.person === undefined) === (opts.event === undefined)) {
    throw new ConfigError('restrict needs exactly one of --person and --event', 'give the target id of the person or the event');
  }
  const entityType = opts.person !== undefined ? 'person' : 'event';
  const id = requireUuid(opts.person ?? opts.event, entityType);
  const actor = requireText(opts.actor, 'actor', 'who restricts (s.62 logs who altered a record)');
  const justification = requireText(opts.justification, 'justification', 'why the processing is restricted (or lifted)');
  const restricted = !opts.lift;
  const table = entityType === 'person' ? 'record.person' : 'record.event';

  const c = await connect(url);
  try {
    return await inTransaction(c, async () => {
      const { rows } = await c.query<{ restricted: boolean }>(`SELECT restricted FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
      if (rows.length === 0) {
        throw new CutoverError(`no ${entityType} with id ${id} in ${table}`, `check the id (an erased ${entityType} cannot be restricted); nothing was changed`);
      }
      if (rows[0]!.restricted === restricted) return { entityType, id, restricted, changed: false, auditSeq: null };
      await c.query(`UPDATE ${table} SET restricted = $2 WHERE id = $1`, [id, restricted]);
      await appendAudit(c, [{
        occurred_at: new Date(), actor, operation: 'alteration', justification, recipient: null,
        entity_type: entityType, entity_id: id, entity_ref: null, detail: { restricted }, origin: 'RMS', legacy_audit_id: null,
      }]);
      return { entityType, id, restricted, changed: true, auditSeq: await lastAuditSeq(c) };
    });
  } finally {
    await c.end();
  }
}
