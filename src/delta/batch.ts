// One batch of a delta, one transaction: take back what the changed keys left in the target
// (retract.ts), write their new versions through the loader's own writeBatch, log each record
// the delta removes from the target (an `erasure` event by the migration, as compliance.md asks
// of erasure), rewrite read positions that a newer export moved, and record every change in
// migration.delta_change. Killed at any point, the transaction leaves nothing; the resumed delta
// detects what is still different and does it.
import type pg from 'pg';
import { writeBatch, type BatchResult, type PendingRecord, type StepRef } from '../load/batch.ts';
import { rowProblem } from '../load/validate.ts';
import { ENTITY_TYPE } from '../load/tables.ts';
import { appendAudit } from '../audit/chain.ts';
import { outcomeOf } from '../pipeline/runner.ts';
import { retract, type Removed } from './retract.ts';
import type { SourceChange } from '../sources/changes.ts';
import type { AuditIn, TargetTable } from '../pipeline/types.ts';

/** What a change did, as the step counts it and migration.delta_change records it (all but `moved`). */
export type ChangeLabel = 'insert' | 'update' | 'delete' | 'flip_deleted' | 'flip_live' | 'quarantined' | 'resolved' | 'dependent' | 'moved' | 'audit';

export function labelOf(c: SourceChange, outcome: string | null): ChangeLabel {
  if (c.kind === 'delete') return 'delete';
  if (c.kind === 'moved') return 'moved';
  const was = c.was?.state;
  if (was === 'loaded' && outcome === 'legacy_deleted') return 'flip_deleted';
  if (was === 'legacy_deleted' && outcome === 'loaded') return 'flip_live';
  if (was === 'loaded' && outcome === 'quarantined') return 'quarantined';
  if (was === 'quarantined' && outcome === 'loaded') return 'resolved';
  if (c.kind === 'touch') return 'dependent';
  return c.kind;
}

const REMOVAL_REASON: Partial<Record<ChangeLabel, string>> = {
  delete: 'deleted in the legacy system before the freeze',
  flip_deleted: 'logically deleted in the legacy system before the freeze',
  quarantined: 'edited in the legacy system into an invalid state: quarantined, no longer current',
};

export interface DeltaBatchResult {
  labels: Record<string, number>;
  /** keys whose record came into the target or left it: the records of later steps that mention them are re-derived */
  presence: string[];
  removed: number;
  written: BatchResult | null;
}

export async function applyDeltaBatch(client: pg.PoolClient, step: StepRef, changes: SourceChange[]): Promise<DeltaBatchResult> {
  const { mapping, system } = step;
  const moved = changes.filter((c) => c.kind === 'moved');
  const changed = changes.filter((c) => c.kind !== 'moved');

  // the new outcome of each changed key (its last copy wins) and the target ids it produces
  const keep = new Set<string>();
  const outcome = new Map<string, string>();
  const pending: PendingRecord[] = [];
  for (const c of changed) {
    for (const rec of c.records) pending.push({ rec, outcome: outcomeOf(mapping, rec) });
    const last = pending[pending.length - 1];
    if (!c.records.length || !last) continue;
    const o = last.outcome;
    if (o.kind === 'loaded' && !rowProblem(mapping, o.mapped.rows, c.key)) {
      outcome.set(c.key, 'loaded');
      for (const r of o.mapped.rows) keep.add(r.row.id);
    } else outcome.set(c.key, o.kind === 'excluded' ? o.reason : 'quarantined');
  }
  const keys = changed.map((c) => c.key);
  const removed = await retract(client, mapping, keys, keep);
  if (step.keysMayRepeat) await keepPositions(client, step, changed);

  const written = pending.length ? await writeBatch(client, step, pending, { lastKey: null, lastOrdinal: null, keyFrom: null }, new Date()) : null;
  // the loader keeps lineage whose content is unchanged; a rewritten key's rows now stem from this batch
  if (written?.batchId) {
    await client.query(
      `UPDATE migration.lineage SET run_id = $4, batch_id = $5 WHERE source_system = $1 AND source_entity = $2 AND (source_key = ANY($3) OR parent_key = ANY($3))
         AND batch_id IS DISTINCT FROM $5`,
      [system, mapping.entity, keys, step.runId, written.batchId]);
  }
  if (moved.length) await movePositions(client, step, moved);

  const labels: Record<string, number> = {};
  const rows: Array<{ key: string; kind: ChangeLabel }> = [];
  const label = new Map<string, ChangeLabel>();
  for (const c of changes) {
    const l = labelOf(c, outcome.get(c.key) ?? null);
    label.set(c.key, l);
    labels[l] = (labels[l] ?? 0) + 1;
    // a record only read at another position holds what it held: counted, not recorded per key
    // (nothing compares or replays it; 39,368 rows of a delta at scale 100,000)
    if (l !== 'moved') rows.push({ key: c.key, kind: l });
  }
  const gone = removed.filter((r) => !keep.has(r.id));
  if (gone.length) await logRemovals(client, step, gone, label, written?.batchId ?? null);
  await client.query(
    `INSERT INTO migration.delta_change (run_id, source_system, source_entity, source_key, kind, batch_id)
     SELECT $1, $2, $3, x.key, x.kind, $4 FROM jsonb_to_recordset($5::jsonb) AS x(key text, kind text)
     ON CONFLICT (run_id, source_system, source_entity, source_key) DO UPDATE SET kind = EXCLUDED.kind, batch_id = EXCLUDED.batch_id`,
    [step.runId, system, mapping.entity, written?.batchId ?? null, JSON.stringify(rows)],
  );
  // a record that stays loaded keeps its (key-derived) target ids: what links to it does not change
  const loaded = (state: string | null | undefined) => state === 'loaded';
  const presence = changed.filter((c) => loaded(c.was?.state) !== loaded(outcome.get(c.key))).map((c) => c.key);
  return { labels, presence, removed: gone.length, written };
}

/** One `erasure` event by the migration per record removed from the target: the target id and legacy key, no content. */
async function logRemovals(client: pg.ClientBase, step: StepRef, gone: Removed[], label: Map<string, ChangeLabel>, batchId: string | null) {
  const now = new Date();
  await appendAudit(client, gone.map((g): AuditIn => {
    const why = label.get(g.key) ?? 'delete';
    return {
      occurred_at: now, actor: 'migration', operation: 'erasure', justification: REMOVAL_REASON[why] ?? 'removed by the delta cutover', recipient: null,
      entity_type: ENTITY_TYPE[g.table as TargetTable] ?? null, entity_id: g.id, entity_ref: g.key,
      detail: { run: step.runId, batch: batchId, pipeline: step.pipeline, step: step.step, source_system: step.system, change: why },
      origin: 'MIGRATION', legacy_audit_id: null,
    };
  }));
}

/** A kept record of a file-order source is rewritten at its new position: the loader's supersession must see it as the same copy. */
async function keepPositions(client: pg.ClientBase, step: StepRef, changed: SourceChange[]) {
  const moves = changed.filter((c) => c.records.length).map((c) => ({ key: c.key, ordinal: c.records[c.records.length - 1]!.ordinal }));
  if (!moves.length) return;
  await client.query(
    `UPDATE migration.lineage l SET source_ordinal = x.ordinal FROM jsonb_to_recordset($3::jsonb) AS x(key text, ordinal bigint)
     WHERE l.source_system = $1 AND l.source_entity = $2 AND l.source_key = x.key AND l.parent_key IS NULL`,
    [step.system, step.mapping.entity, JSON.stringify(moves)],
  );
}

/** Unchanged records read at another position of a newer export: their ordinals (and their superseded copies') follow. */
async function movePositions(client: pg.ClientBase, step: StepRef, moved: SourceChange[]) {
  const sys = step.system;
  const ent = step.mapping.entity;
  const last = JSON.stringify(moved.map((c) => ({ key: c.key, ordinal: c.records[c.records.length - 1]!.ordinal })));
  // (only a record's own lineage row holds its position: its inline items' rows hold 0)
  for (const table of ['migration.lineage', 'migration.quarantine', 'migration.exclusion']) {
    const own = table === 'migration.lineage' ? ' AND t.parent_key IS NULL' : '';
    await client.query(
      `UPDATE ${table} t SET source_ordinal = x.ordinal FROM jsonb_to_recordset($3::jsonb) AS x(key text, ordinal bigint)
       WHERE t.source_system = $1 AND t.source_entity = $2 AND t.source_key = x.key${own} AND t.source_ordinal <> x.ordinal`,
      [sys, ent, last],
    );
  }
  const keys = moved.map((c) => c.key);
  await client.query(`DELETE FROM migration.superseded WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3)`, [sys, ent, keys]);
  const earlier = moved.flatMap((c) => c.records.slice(0, -1).map((r) => ({ key: c.key, ordinal: r.ordinal })));
  if (earlier.length) {
    await client.query(
      `INSERT INTO migration.superseded (source_system, source_entity, source_key, source_ordinal, run_id)
       SELECT $1, $2, x.key, x.ordinal, $3 FROM jsonb_to_recordset($4::jsonb) AS x(key text, ordinal bigint) ON CONFLICT DO NOTHING`,
      [sys, ent, step.runId, JSON.stringify(earlier)],
    );
  }
}
