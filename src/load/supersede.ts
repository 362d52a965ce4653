// Re-exports may repeat a key: the later occurrence (higher ordinal) wins and the earlier copy
// is counted as superseded. Within a batch this is decided in memory; across batches by the
// outcome already stored for the key (lineage, quarantine or exclusion), whose effect is undone.
import type pg from 'pg';
import type { PendingRecord, StepRef } from './batch.ts';

export interface Prior {
  key: string;
  ordinal: number;
}

/** What an earlier batch counted for copies this batch supersedes: taken back so every batch balances. */
export interface Undone {
  loaded: number;
  quarantined: number;
  excluded: number;
}

export async function supersede(client: pg.PoolClient | pg.Client, step: StepRef, records: PendingRecord[]): Promise<{ live: PendingRecord[]; superseded: Prior[]; undone: Undone }> {
  const undone: Undone = { loaded: 0, quarantined: 0, excluded: 0 };
  const superseded: Prior[] = [];
  // in-batch: keep the last occurrence of each key
  const last = new Map<string, PendingRecord>();
  for (const p of records) {
    const prev = last.get(p.rec.key);
    if (prev) superseded.push({ key: prev.rec.key, ordinal: prev.rec.ordinal });
    last.set(p.rec.key, p);
  }
  let live = superseded.length ? records.filter((p) => last.get(p.rec.key) === p) : records;
  if (!step.keysMayRepeat || !live.length) return { live, superseded, undone };

  const sys = step.system;
  const ent = step.mapping.entity;
  const keys = live.map((p) => p.rec.key);
  const { rows } = await client.query<{ key: string; ordinal: string; kind: string }>(
    `SELECT source_key AS key, source_ordinal::text AS ordinal, 'loaded' AS kind FROM migration.lineage
       WHERE source_system = $1 AND source_entity = $2 AND parent_key IS NULL AND source_key = ANY($3)
     UNION ALL SELECT source_key, source_ordinal::text, 'quarantined' FROM migration.quarantine
       WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3)
     UNION ALL SELECT source_key, source_ordinal::text, 'excluded' FROM migration.exclusion
       WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3)`,
    [sys, ent, keys],
  );
  if (!rows.length) return { live, superseded, undone };
  const prior = new Map(rows.map((r) => [r.key, { ordinal: Number(r.ordinal), kind: r.kind }]));
  const keep: PendingRecord[] = [];
  const undo: Array<{ key: string; kind: string }> = [];
  for (const p of live) {
    const before = prior.get(p.rec.key);
    if (!before || before.ordinal === p.rec.ordinal) keep.push(p); // new, or a re-run of the same record
    else if (before.ordinal > p.rec.ordinal) superseded.push({ key: p.rec.key, ordinal: p.rec.ordinal }); // a later copy already won
    else {
      superseded.push({ key: p.rec.key, ordinal: before.ordinal });
      undo.push({ key: p.rec.key, kind: before.kind });
      undone[before.kind as keyof Undone]++;
      keep.push(p);
    }
  }
  live = keep;
  if (undo.length) {
    // the earlier copy's warnings and orphans go with it
    const ks = undo.map((u) => u.key);
    await client.query(`DELETE FROM migration.dq_warning WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3)`, [sys, ent, ks]);
    await client.query(
      `DELETE FROM migration.orphan WHERE source_system = $1 AND source_entity = $2 AND (source_key = ANY($3) OR source_key LIKE ANY($4))`,
      [sys, ent, ks, ks.map((k) => k.replace(/[\\%_]/g, '\\$&') + '/%')],
    );
  }
  for (const kind of ['loaded', 'quarantined', 'excluded']) {
    const ks = undo.filter((u) => u.kind === kind).map((u) => u.key);
    if (!ks.length) continue;
    if (kind === 'loaded') {
      // remove the earlier copy's rows (its inline children too); links cascade
      const { rows: targets } = await client.query<{ target_table: string; ids: string[] }>(
        `DELETE FROM migration.lineage WHERE source_system = $1 AND source_entity = $2 AND (source_key = ANY($3) OR parent_key = ANY($3))
         RETURNING target_table, target_id::text AS id`,
        [sys, ent, ks],
      ).then((r) => {
        const by = new Map<string, string[]>();
        for (const row of r.rows as unknown as Array<{ target_table: string; id: string }>) {
          let l = by.get(row.target_table);
          if (!l) by.set(row.target_table, (l = []));
          l.push(row.id);
        }
        return { rows: [...by].map(([target_table, ids]) => ({ target_table, ids })) };
      });
      // children (names) before parents is not needed: FKs cascade
      for (const t of targets) await client.query(`DELETE FROM ${t.target_table} WHERE id = ANY($1::uuid[])`, [t.ids]);
    } else {
      const table = kind === 'quarantined' ? 'migration.quarantine' : 'migration.exclusion';
      await client.query(`DELETE FROM ${table} WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3)`, [sys, ent, ks]);
    }
  }
  return { live, superseded, undone };
}
