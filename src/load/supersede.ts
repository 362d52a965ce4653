// Re-exports may repeat a key: the later occurrence (higher ordinal) wins and the earlier copy
// is counted as superseded. Within a batch this is decided in memory; across batches by the
// outcome already stored for the key (lineage, quarantine or exclusion), whose effect is undone.
import type pg from 'pg';
import { deleteKeysAndItems } from './key-rows.ts';
import { removeRecords } from './remove.ts';
import type { PendingRecord, StepRef } from './types.ts';

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

type Kind = keyof Undone;
const KINDS = ['loaded', 'quarantined', 'excluded'] as const satisfies readonly Kind[];
type Client = pg.PoolClient | pg.Client;

/** How the effect of an earlier copy is undone, per outcome it had. */
const UNDO = {
  // remove the earlier copy's rows (its inline children too) and what points at them
  loaded: async (client, sys, ent, keys) => {
    const { rows } = await client.query<{ table: string; id: string }>(
      `DELETE FROM migration.lineage WHERE source_system = $1 AND source_entity = $2 AND (source_key = ANY($3) OR parent_key = ANY($3))
       RETURNING target_table AS table, target_id::text AS id`,
      [sys, ent, keys],
    );
    await removeRecords(client, rows);
  },
  quarantined: async (client, sys, ent, keys) => {
    await client.query(`DELETE FROM migration.quarantine WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3)`, [sys, ent, keys]);
  },
  excluded: async (client, sys, ent, keys) => {
    await client.query(`DELETE FROM migration.exclusion WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3)`, [sys, ent, keys]);
  },
} satisfies Record<Kind, (client: Client, sys: string, ent: string, keys: string[]) => Promise<void>>;

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
  const { rows } = await client.query<{ key: string; ordinal: string; kind: Kind }>(
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
  const undo: Array<{ key: string; kind: Kind }> = [];
  for (const p of live) {
    const before = prior.get(p.rec.key);
    if (!before || before.ordinal === p.rec.ordinal) keep.push(p); // new, or a re-run of the same record
    else if (before.ordinal > p.rec.ordinal) superseded.push({ key: p.rec.key, ordinal: p.rec.ordinal }); // a later copy already won
    else {
      superseded.push({ key: p.rec.key, ordinal: before.ordinal });
      undo.push({ key: p.rec.key, kind: before.kind });
      undone[before.kind]++;
      keep.push(p);
    }
  }
  live = keep;
  if (undo.length) {
    // the earlier copy's warnings and orphans go with it
    const ks = undo.map((u) => u.key);
    await client.query(`DELETE FROM migration.dq_warning WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3)`, [sys, ent, ks]);
    await deleteKeysAndItems(client, 'migration.orphan', sys, ent, ks);
  }
  for (const kind of KINDS) {
    const ks = undo.filter((u) => u.kind === kind).map((u) => u.key);
    if (ks.length) await UNDO[kind](client, sys, ent, ks);
  }
  return { live, superseded, undone };
}
