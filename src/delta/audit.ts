// The legacy audit logs only grow. CRIS AUDIT_TRAIL: AUDIT_ID is strictly increasing, so the
// highest id already migrated (or quarantined) is an exact watermark and only the rows above it
// are read. CRIMINT audit.json: each export holds the whole history again, so an entry is new
// when its id is neither in audit.event nor in quarantine. Either way the new entries are
// appended through the loader in source order, and appendAudit skips any id already chained.
import type pg from 'pg';
import { writeBatch, type PendingRecord } from '../load/batch.ts';
import { outcomeOf } from '../pipeline/runner.ts';
import type { StepContext, DeltaStepResult } from './step.ts';
import { emptyStepResult } from './step.ts';
import type { SourceRecord } from '../sources/types.ts';

/** The highest legacy id of an entity already migrated or quarantined (numeric ids only), or null. */
export async function auditWatermark(db: pg.Pool | pg.ClientBase, system: string, entity: string): Promise<string | null> {
  const { rows } = await db.query<{ w: string | null }>(
    `SELECT max(id)::text AS w FROM (
       SELECT legacy_audit_id::numeric AS id FROM audit.event WHERE origin = $1 AND legacy_audit_id ~ '^[0-9]{1,30}$'
       UNION ALL SELECT source_key::numeric FROM migration.quarantine WHERE source_system = $1 AND source_entity = $2 AND source_key ~ '^[0-9]{1,30}$') x`,
    [system, entity],
  );
  return rows[0]?.w ?? null;
}

/** Which of the keys are already migrated or quarantined. */
async function alreadyHave(db: pg.ClientBase, system: string, entity: string, keys: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ k: string }>(
    `SELECT legacy_audit_id AS k FROM audit.event WHERE origin = $1 AND legacy_audit_id = ANY($3)
     UNION SELECT source_key FROM migration.quarantine WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3)`,
    [system, entity, keys],
  );
  return new Set(rows.map((r) => r.k));
}

export async function auditStep(ctx: StepContext): Promise<DeltaStepResult> {
  const t0 = Date.now();
  const { ref, source, pool } = ctx;
  const { system, mapping } = ref;
  const result = emptyStepResult(ref);
  const byId = source.entities().find((e) => e.name === mapping.entity)?.keyKind === 'int';
  const after = byId ? await auditWatermark(pool, system, mapping.entity) : null;
  result.method = byId ? 'watermark' : 'audit_ids';
  let batch: SourceRecord[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const have = byId ? new Set<string>() : await alreadyHave(client, system, mapping.entity, batch.map((r) => r.key));
      const fresh: PendingRecord[] = batch.filter((r) => !have.has(r.key)).map((rec) => ({ rec, outcome: outcomeOf(mapping, rec) }));
      if (fresh.length) {
        await writeBatch(client, ref, fresh, { lastKey: null, lastOrdinal: null, keyFrom: null }, new Date());
        await client.query(
          `INSERT INTO migration.delta_change (run_id, source_system, source_entity, source_key, kind)
           SELECT $1, $2, $3, k, 'audit' FROM unnest($4::text[]) AS k ON CONFLICT DO NOTHING`,
          [ref.runId, system, mapping.entity, fresh.map((p) => p.rec.key)],
        );
        result.changes.audit = (result.changes.audit ?? 0) + fresh.length;
        result.batches++;
      }
      await client.query('COMMIT');
      ctx.onBatch?.(fresh.length);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => { broken = true; });
      throw err;
    } finally {
      client.release(broken);
    }
    batch = [];
  };
  for await (const rec of source.read(mapping.entity, byId ? { after, upTo: null } : undefined)) {
    if (ctx.signal?.aborted) break;
    batch.push(rec);
    if (batch.length >= ctx.batchSize) await flush();
  }
  if (!ctx.signal?.aborted) await flush();
  result.seconds = (Date.now() - t0) / 1000;
  return result;
}
