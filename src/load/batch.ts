// One batch, one transaction: target rows (COPY into staging, then INSERT … ON CONFLICT),
// lineage, links (orphans reported), quarantine, exclusions, supersessions, warnings, the
// migration's own audit events, the batch counts and the checkpoint commit together.
import { sourceHash } from '../sources/changes.ts';
import type pg from 'pg';
import { copyRows } from './copy.ts';
import { copyOrMerge } from './direct.ts';
import { rowProblem } from './validate.ts';
import { TARGET_COLUMNS, TARGET_ORDER, PRESERVED_ON_MERGE, LINK_COLUMNS, REF_TABLE, ENTITY_TYPE, stageName } from './tables.ts';
import { supersede, type Prior } from './supersede.ts';
import type { PendingRecord, StepRef } from './types.ts';
import { appendAudit } from '../audit/chain.ts';
import { lockOutErasure } from '../core/erasure-lock.ts';
import type { Problem } from '../core/problems.ts';
import { targetId } from '../core/ids.ts';
import type { SystemName } from '../sources/types.ts';
import type { AuditIn, LinkOut, LinkTable, RowOut, TargetTable } from '../pipeline/types.ts';

export type { PendingRecord, StepRef } from './types.ts';

export interface BatchCounts {
  read: number;
  loaded: number;
  quarantined: number;
  excluded: number;
  superseded: number;
  orphans: number;
  warnings: Record<string, number>;
}

export interface BatchResult extends BatchCounts {
  batchId: string | null;
  /** target rows inserted or changed (0 on a re-run that changes nothing) */
  written: number;
}

export function emptyCounts(): BatchCounts {
  return { read: 0, loaded: 0, quarantined: 0, excluded: 0, superseded: 0, orphans: 0, warnings: {} };
}

// lineage.source_hash: one definition, shared with the change detection that compares against it
export { sourceHash } from '../sources/changes.ts';

/** jsonb cannot hold U+0000 or lone surrogates: keep the raw record readable and visible. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\0') ? value.replace(/\0/g, '\u2400').toWellFormed() : value.toWellFormed();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonSafe(v);
    return out;
  }
  return value;
}

/**
 * A session's staging tables: `created` by a batch whose transaction may yet roll back (and take
 * them with it: a worker's connection whose first batch failed then failed every later one with
 * "stage_location does not exist"), `confirmed` once a later transaction has found them there.
 */
const sessionsWithStaging = new WeakMap<object, 'created' | 'confirmed'>();

async function ensureStaging(client: pg.ClientBase): Promise<void> {
  const state = sessionsWithStaging.get(client);
  if (state === 'confirmed') return;
  if (state === 'created') {
    const { rows: [r] } = await client.query<{ there: boolean }>(`SELECT to_regclass('pg_temp.stage_lineage') IS NOT NULL AS there`);
    if (r!.there) {
      sessionsWithStaging.set(client, 'confirmed');
      return;
    }
  }
  const ddl: string[] = [];
  for (const t of TARGET_ORDER) ddl.push(`CREATE TEMP TABLE IF NOT EXISTS ${stageName(t)} (LIKE ${t}) ON COMMIT DELETE ROWS`);
  for (const t of Object.keys(LINK_COLUMNS)) ddl.push(`CREATE TEMP TABLE IF NOT EXISTS ${stageName(t)} (LIKE ${t}) ON COMMIT DELETE ROWS`);
  ddl.push(`CREATE TEMP TABLE IF NOT EXISTS stage_lineage (LIKE migration.lineage) ON COMMIT DELETE ROWS`);
  await client.query(ddl.join(';\n'));
  sessionsWithStaging.set(client, 'created');
}

function mergeSql(table: TargetTable): string {
  const cols = TARGET_COLUMNS[table];
  const upd = cols.filter((c) => !PRESERVED_ON_MERGE.has(c));
  return `INSERT INTO ${table} AS t (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM ${stageName(table)}
    ON CONFLICT (id) DO UPDATE SET (${upd.join(', ')}) = ROW(${upd.map((c) => `EXCLUDED.${c}`).join(', ')})
    WHERE (${upd.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${upd.map((c) => `EXCLUDED.${c}`).join(', ')})`;
}

const LINEAGE_COLS = ['source_system', 'source_entity', 'source_key', 'target_table', 'target_id', 'parent_key', 'source_hash', 'source_ordinal', 'run_id', 'batch_id'];
const LINEAGE_MERGE = `INSERT INTO migration.lineage AS l (${LINEAGE_COLS.join(', ')}) SELECT ${LINEAGE_COLS.join(', ')} FROM stage_lineage
  ON CONFLICT (source_system, source_entity, source_key) DO UPDATE
  SET target_table = EXCLUDED.target_table, target_id = EXCLUDED.target_id, parent_key = EXCLUDED.parent_key,
      source_hash = EXCLUDED.source_hash, source_ordinal = EXCLUDED.source_ordinal, run_id = EXCLUDED.run_id, batch_id = EXCLUDED.batch_id
  WHERE (l.target_table, l.target_id, l.parent_key, l.source_hash, l.source_ordinal) IS DISTINCT FROM
        (EXCLUDED.target_table, EXCLUDED.target_id, EXCLUDED.parent_key, EXCLUDED.source_hash, EXCLUDED.source_ordinal)`;

type Quarantined = { key: string; ordinal: number; raw: unknown; problems: Problem[] };
type Excluded = { key: string; ordinal: number; reason: string };
type AuditOut = AuditIn & { lookup: { entity: string; key: string } | null };

/** A batch's live records sorted into what each becomes (no database: see classifyBatch). */
interface Classified {
  rows: Map<TargetTable, RowOut[]>;
  /** migration.lineage rows, in LINEAGE_COLS order */
  lineage: unknown[][];
  links: Array<{ link: LinkOut; pending: PendingRecord }>;
  quarantine: Quarantined[];
  exclusions: Excluded[];
  warnings: Problem[];
  audit: AuditOut[];
  loaded: PendingRecord[];
}

/**
 * Write one batch in the caller's open transaction. The caller commits (or rolls back on error),
 * so the target rows, lineage, counts and checkpoint are atomic.
 */
export async function writeBatch(
  client: pg.PoolClient | pg.Client,
  step: StepRef,
  records: PendingRecord[],
  checkpoint: { lastKey: string | null; lastOrdinal: number | null; keyFrom: string | null },
  startedAt: Date,
): Promise<BatchResult> {
  const { system, mapping } = step;
  const counts = emptyCounts();
  counts.read = records.length;
  await ensureStaging(client);
  await lockOutErasure(client); // held to COMMIT: no erasure commits between the exclusion check and the merge
  const batchId = (await client.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('migration.batch', 'batch_id'))::text AS id`)).rows[0]!.id;

  // 1. Repeated keys: the later occurrence wins; earlier copies are superseded.
  const { live, superseded, undone } = await supersede(client, step, records);
  counts.superseded = superseded.length;

  // An erased person must not come back from the legacy extract on a re-run.
  const erased = await erasedRecords(client, step, live);

  // 2. Classify outcomes; validate every target row against the mapping's zod schema.
  const c = classifyBatch(step, live, erased, batchId);

  // 3. Target rows: COPY into staging, merge, in dependency order; then their lineage.
  const { written, writtenByType } = await writeTargetRows(client, step, c.rows, c.lineage);

  // 4. Links: loaded only when both sides exist in the target; otherwise an orphan, reported.
  const orphans = await writeLinks(client, c.links, step.direct);
  counts.orphans = orphans.length;
  const orphanLinkOnly = mapping.linkOnly ? quarantineOrphanLinks(step, orphans, c.quarantine) : 0;

  // 5. Audit steps: resolve entity ids through lineage, then append to the chain.
  if (mapping.audit && c.audit.length) {
    await resolveAuditEntities(client, system, c.audit);
    await appendAudit(client, c.audit.map(({ lookup: _lookup, ...a }) => a));
  }

  // A copy superseded here was counted by the earlier batch that read it: take that back, so
  // this batch balances (read = loaded + quarantined + excluded + superseded) and the sums do too.
  counts.loaded = c.loaded.length - orphanLinkOnly - undone.loaded;
  counts.quarantined = c.quarantine.length - undone.quarantined;
  counts.excluded = c.exclusions.length - undone.excluded;
  for (const w of c.warnings) counts.warnings[w.code] = (counts.warnings[w.code] ?? 0) + 1;

  // 6. Control rows: quarantine, exclusions, supersessions, orphans, warnings.
  await writeControlRows(client, step, { quarantine: c.quarantine, exclusions: c.exclusions, superseded, orphans, warnings: c.warnings });

  // 7. The migration logs itself: one collection event per entity type that changed.
  if (!mapping.audit && written > 0) await logCollection(client, step, batchId, writtenByType);

  // 8. Batch counts and checkpoint.
  await recordBatch(client, step, batchId, counts, checkpoint, startedAt);
  return { ...counts, batchId, written };
}

/**
 * The read position stored for a record. Ordinals matter only where a key may repeat (file order
 * of a re-export). A keyed SQL source reads each key once, and its read position changes on
 * resume: store 0 so re-runs are identical.
 */
const readPosition = (step: StepRef, p: PendingRecord): number => (step.keysMayRepeat ? p.rec.ordinal : 0);

/**
 * Step 2, without the database: each live record excluded, quarantined (by its mapping, or a
 * target row its schema rejects), kept out as erased, or loaded with its rows, lineage, links,
 * warnings and audit entries.
 */
function classifyBatch(step: StepRef, live: PendingRecord[], erased: ReadonlySet<PendingRecord>, batchId: string): Classified {
  const { system, mapping } = step;
  const entity = mapping.entity;
  const ord = (p: PendingRecord) => readPosition(step, p);
  const c: Classified = { rows: new Map(), lineage: [], links: [], quarantine: [], exclusions: [], warnings: [], audit: [], loaded: [] };
  for (const p of live) {
    const o = p.outcome;
    if (o.kind === 'excluded') {
      c.exclusions.push({ key: p.rec.key, ordinal: ord(p), reason: o.reason });
      continue;
    }
    if (o.kind === 'quarantined') {
      c.quarantine.push({ key: p.rec.key, ordinal: ord(p), raw: p.rec.raw, problems: o.problems });
      continue;
    }
    if (erased.has(p)) {
      c.exclusions.push({ key: p.rec.key, ordinal: ord(p), reason: 'erased' });
      continue;
    }
    const bad = rowProblem(mapping, o.mapped.rows, p.rec.key);
    if (bad) {
      c.quarantine.push({ key: p.rec.key, ordinal: ord(p), raw: p.rec.raw, problems: [bad] });
      continue;
    }
    c.loaded.push(p);
    const hash = sourceHash(p.rec.raw);
    for (const r of o.mapped.rows) {
      let list = c.rows.get(r.table);
      if (!list) c.rows.set(r.table, (list = []));
      list.push(r);
      // the read position belongs to the record's own row; an inline item's row (parent_key set)
      // holds 0, so that a newer export that only moves the record rewrites one lineage row, not all
      const own = r.key === p.rec.key;
      c.lineage.push([system, entity, r.key, r.table, r.row.id, own ? null : p.rec.key, hash, own ? ord(p) : 0, step.runId, batchId]);
    }
    for (const l of o.mapped.links) c.links.push({ link: l, pending: p });
    for (const w of o.mapped.warnings) c.warnings.push(w);
    for (const a of o.mapped.audit) c.audit.push(a);
  }
  return c;
}

/** Step 3: the target rows, table by table in dependency order, then their lineage; rows written in all and per entity type. */
async function writeTargetRows(client: pg.PoolClient | pg.Client, step: StepRef, rows: Map<TargetTable, RowOut[]>, lineage: unknown[][]): Promise<{ written: number; writtenByType: Map<string, number> }> {
  let written = 0;
  const writtenByType = new Map<string, number>();
  for (const table of TARGET_ORDER) {
    const list = rows.get(table);
    if (!list?.length) continue;
    const cols = TARGET_COLUMNS[table];
    const n = await copyOrMerge(client, { table, stage: stageName(table), columns: cols, merge: mergeSql(table), direct: Boolean(step.direct?.has(table)) }, list.map((r) => cols.map((c) => r.row[c] ?? null)));
    written += n;
    const type = ENTITY_TYPE[table];
    writtenByType.set(type, (writtenByType.get(type) ?? 0) + n);
  }
  if (lineage.length) {
    // new target rows of a first load have no lineage yet either (a conflict falls back to the merge)
    const direct = [...rows.keys()].some((t) => step.direct?.has(t));
    await copyOrMerge(client, { table: 'migration.lineage', stage: 'stage_lineage', columns: LINEAGE_COLS, merge: LINEAGE_MERGE, direct }, lineage);
  }
  return { written, writtenByType };
}

/** A link-only record (a CRIS link row) with an orphan link is quarantined, once; how many were. */
function quarantineOrphanLinks(step: StepRef, orphans: Orphan[], quarantine: Quarantined[]): number {
  const seen = new Set<PendingRecord>();
  for (const o of orphans) {
    if (seen.has(o.pending)) continue;
    seen.add(o.pending);
    quarantine.push({
      key: o.pending.rec.key, ordinal: readPosition(step, o.pending), raw: o.pending.rec.raw,
      problems: [{ code: 'orphan_link', field: o.ref.column, sourceKey: o.pending.rec.key, message: `${o.ref.entity} ${o.ref.key} is not in the target (missing or excluded in the legacy data)` }],
    });
  }
  return seen.size;
}

/** Step 7: one `collection` event per entity type the batch wrote. */
async function logCollection(client: pg.ClientBase, step: StepRef, batchId: string, writtenByType: Map<string, number>): Promise<void> {
  const now = new Date();
  await appendAudit(client, [...writtenByType].filter(([, n]) => n > 0).map(([type, n]) => ({
    occurred_at: now, actor: 'migration', operation: 'collection' as const, justification: 'legacy data migration', recipient: null,
    entity_type: type as AuditIn['entity_type'], entity_id: null, entity_ref: null,
    detail: { run: step.runId, batch: batchId, pipeline: step.pipeline, step: step.step, partition: step.partition, source_system: step.system, records: n },
    origin: 'MIGRATION' as const, legacy_audit_id: null,
  })));
}

/** Step 8: the batch's counts, and its partition's checkpoint moved past it. */
async function recordBatch(client: pg.ClientBase, step: StepRef, batchId: string, counts: BatchCounts, checkpoint: { lastKey: string | null; lastOrdinal: number | null; keyFrom: string | null }, startedAt: Date): Promise<void> {
  await client.query(
    `INSERT INTO migration.batch (batch_id, run_id, pipeline, step, partition, key_from, key_to, read, loaded, quarantined, excluded, superseded, orphans, warnings, started_at)
     OVERRIDING SYSTEM VALUE VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)`,
    [batchId, step.runId, step.pipeline, step.step, step.partition, checkpoint.keyFrom, checkpoint.lastKey, counts.read, counts.loaded, counts.quarantined, counts.excluded, counts.superseded, counts.orphans, JSON.stringify(counts.warnings), startedAt],
  );
  await client.query(
    `UPDATE migration.checkpoint SET last_key = $4, last_ordinal = $5, run_id = $6, updated_at = now() WHERE pipeline = $1 AND step = $2 AND partition = $3`,
    [step.pipeline, step.step, step.partition, checkpoint.lastKey, checkpoint.lastOrdinal, step.runId],
  );
}

/** Records erased on the new platform: `erase` leaves an exclusion with the reason `erased` for each. */
async function erasedRecords(client: pg.ClientBase, step: StepRef, live: PendingRecord[]): Promise<Set<PendingRecord>> {
  const out = new Set<PendingRecord>();
  const loaded = live.filter((p) => p.outcome.kind === 'loaded');
  if (!loaded.length) return out;
  const { rows } = await client.query<{ key: string }>(
    `SELECT source_key AS key FROM migration.exclusion WHERE source_system = $1 AND source_entity = $2 AND reason = 'erased' AND source_key = ANY($3)`,
    [step.system, step.mapping.entity, loaded.map((p) => p.rec.key)],
  );
  if (!rows.length) return out;
  const keys = new Set(rows.map((r) => r.key));
  for (const p of loaded) if (keys.has(p.rec.key)) out.add(p);
  return out;
}

interface Orphan {
  pending: PendingRecord;
  link: LinkOut;
  ref: { column: string; entity: string; key: string };
}

async function writeLinks(client: pg.PoolClient | pg.Client, links: Array<{ link: LinkOut; pending: PendingRecord }>, direct: ReadonlySet<string> | undefined): Promise<Orphan[]> {
  if (!links.length) return [];
  // Which referenced ids exist? One query per referenced table.
  const wanted = new Map<string, Set<string>>();
  for (const { link } of links) {
    for (const ref of link.refs) {
      const table = REF_TABLE[ref.column]!;
      let s = wanted.get(table);
      if (!s) wanted.set(table, (s = new Set()));
      s.add(link.row[ref.column]!);
    }
  }
  const present = new Set<string>();
  for (const [table, ids] of wanted) {
    const { rows } = await client.query<{ id: string }>(`SELECT id::text FROM ${table} WHERE id = ANY($1::uuid[])`, [[...ids]]);
    for (const r of rows) present.add(r.id);
  }
  const orphans: Orphan[] = [];
  const byTable = new Map<LinkTable, string[][]>();
  for (const { link, pending } of links) {
    const missing = link.refs.find((r) => !present.has(link.row[r.column]!));
    if (missing) {
      orphans.push({ pending, link, ref: missing });
      continue;
    }
    let list = byTable.get(link.table);
    if (!list) byTable.set(link.table, (list = []));
    list.push(LINK_COLUMNS[link.table].map((c) => link.row[c]!));
  }
  for (const [table, list] of byTable) {
    const cols = LINK_COLUMNS[table];
    const merge = `INSERT INTO ${table} (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM ${stageName(table)} ON CONFLICT DO NOTHING`;
    await copyOrMerge(client, { table, stage: stageName(table), columns: cols, merge, direct: Boolean(direct?.has(table)) }, list);
  }
  return orphans;
}

async function resolveAuditEntities(client: pg.ClientBase, system: SystemName, audit: AuditOut[]) {
  // The id a migrated record has is known (UUIDv5 of its identity): keep it where lineage holds it.
  const wanted = new Map<string, Array<AuditIn>>();
  for (const a of audit) {
    if (!a.lookup) continue;
    const id = targetId(system, a.lookup.entity, a.lookup.key);
    let l = wanted.get(id);
    if (!l) wanted.set(id, (l = []));
    l.push(a);
  }
  if (!wanted.size) return;
  const { rows } = await client.query<{ id: string }>(`SELECT DISTINCT target_id::text AS id FROM migration.lineage WHERE target_id = ANY($1::uuid[])`, [[...wanted.keys()]]);
  for (const { id } of rows) for (const a of wanted.get(id)!) a.entity_id = id;
}

async function writeControlRows(
  client: pg.PoolClient | pg.Client,
  step: StepRef,
  c: {
    quarantine: Quarantined[];
    exclusions: Excluded[];
    superseded: Prior[];
    orphans: Orphan[];
    warnings: Problem[];
  },
) {
  const sys = step.system;
  const ent = step.mapping.entity;
  if (c.quarantine.length) {
    await client.query(
      `INSERT INTO migration.quarantine (source_system, source_entity, source_key, reason_code, field, message, raw, problems, source_ordinal, run_id, source_hash)
       SELECT $1, $2, x.key, x.code, x.field, x.message, x.raw, x.problems, x.ordinal, $3, x.hash
       FROM jsonb_to_recordset($4::jsonb) AS x(key text, code text, field text, message text, raw jsonb, problems jsonb, ordinal bigint, hash text)
       ON CONFLICT (source_system, source_entity, source_key) DO UPDATE
       SET reason_code = EXCLUDED.reason_code, field = EXCLUDED.field, message = EXCLUDED.message, raw = EXCLUDED.raw,
           problems = EXCLUDED.problems, source_ordinal = EXCLUDED.source_ordinal, run_id = EXCLUDED.run_id, source_hash = EXCLUDED.source_hash`,
      [sys, ent, step.runId, JSON.stringify(jsonSafe(c.quarantine.map((q) => ({
        key: q.key, code: q.problems[0]!.code, field: q.problems[0]!.field, message: q.problems[0]!.message, raw: q.raw, problems: q.problems, ordinal: q.ordinal,
        hash: sourceHash(q.raw),
      }))))],
    );
  }
  if (c.exclusions.length) {
    await client.query(
      `INSERT INTO migration.exclusion (source_system, source_entity, source_key, reason, source_ordinal, run_id)
       SELECT $1, $2, x.key, x.reason, x.ordinal, $3 FROM jsonb_to_recordset($4::jsonb) AS x(key text, reason text, ordinal bigint)
       ON CONFLICT (source_system, source_entity, source_key) DO UPDATE SET reason = EXCLUDED.reason, source_ordinal = EXCLUDED.source_ordinal`,
      [sys, ent, step.runId, JSON.stringify(jsonSafe(c.exclusions))],
    );
  }
  if (c.superseded.length) {
    await client.query(
      `INSERT INTO migration.superseded (source_system, source_entity, source_key, source_ordinal, run_id)
       SELECT $1, $2, x.key, x.ordinal, $3 FROM jsonb_to_recordset($4::jsonb) AS x(key text, ordinal bigint) ON CONFLICT DO NOTHING`,
      [sys, ent, step.runId, JSON.stringify(jsonSafe(c.superseded.map((s) => ({ key: s.key, ordinal: s.ordinal }))))],
    );
  }
  if (c.orphans.length) {
    await client.query(
      `INSERT INTO migration.orphan (source_system, source_entity, source_key, link_table, missing_entity, missing_key, run_id)
       SELECT $1, $2, x.key, x.link_table, x.missing_entity, x.missing_key, $3
       FROM jsonb_to_recordset($4::jsonb) AS x(key text, link_table text, missing_entity text, missing_key text)
       ON CONFLICT DO NOTHING`,
      [sys, ent, step.runId, JSON.stringify(jsonSafe(c.orphans.map((o) => ({ key: o.link.key, link_table: o.link.table, missing_entity: o.ref.entity, missing_key: o.ref.key }))))],
    );
  }
  if (c.warnings.length) {
    await client.query(
      `INSERT INTO migration.dq_warning (source_system, source_entity, source_key, code, field, run_id)
       SELECT $1, $2, x.key, x.code, coalesce(x.field, ''), $3 FROM jsonb_to_recordset($4::jsonb) AS x(key text, code text, field text)
       ON CONFLICT DO NOTHING`,
      [sys, ent, step.runId, JSON.stringify(jsonSafe(c.warnings.map((w) => ({ key: w.sourceKey, code: w.code, field: w.field }))))],
    );
  }
}
