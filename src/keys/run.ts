// `cutover run --keys FILE`: re-migrate exactly the records a keys file names (README
// "Re-migrating exactly the records that differ"). A migration.run of its own (options.keys),
// made of the delta's batches (src/delta/step.ts applyAll → batch.ts): each batch one
// transaction that takes back what the keys left, writes them again through the loader (lineage,
// audit, counts) and records each key in migration.delta_change. Only keys whose target differs
// from their source record through today's mapping are rewritten (compared the way
// `reconcile --delta` compares: src/reconcile/delta-keys.ts). An interrupted keys run is continued
// by the next `run --keys` of the same file: the keys it already rewrote are skipped.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type pg from 'pg';
import { progress as makeProgress } from '../pipeline/progress.ts';
import { stepName, type PipelineDef } from '../pipeline/define.ts';
import { log } from '../core/log.ts';
import { knownState } from '../delta/known.ts';
import { asRun, requireFullLoad } from '../delta/run.ts';
import { applyAll, emptyStepResult, type DeltaStepResult, type StepContext } from '../delta/step.ts';
import { ChangedKeys } from '../delta/mentions.ts';
import { compareRecords } from '../reconcile/delta-keys.ts';
import { findRecords, resolveKnown } from './resolve.ts';
import { unresolved, type Unresolved } from './plan.ts';
import type { KeyRequest } from './file.ts';
import type { SourceChange } from '../sources/changes.ts';
import type { Source } from '../sources/types.ts';

export interface KeysOptions {
  batchSize?: number;
  progress?: boolean;
  signal?: AbortSignal;
  /** after each committed batch, with its number of keys (besides the progress bar) */
  onBatch?: (n: number) => void;
}

export interface KeysResult {
  pipeline: string;
  runId: string;
  kind: 'keys';
  status: 'completed' | 'partial';
  /** an interrupted keys run of the same file was continued */
  resumed: boolean;
  file: string;
  seconds: number;
  /** records rewritten because their target differed (a resumed run counts its earlier batches too) */
  rewritten: number;
  /** records whose target already matched their source record: left as they were */
  unchanged: number;
  /** records no longer in the source, removed from the target like a delta deletion */
  removed: number;
  /** of the rewritten, those whose new outcome is quarantine */
  quarantined: number;
  /** records linking to a removed or newly present record, re-derived with it */
  dependent: number;
  /** lines whose key neither the source nor the target holds */
  notFound: Unresolved[];
  /** lines naming a record this command must not or cannot re-migrate, with the reason */
  notMigratable: Unresolved[];
  steps: DeltaStepResult[];
}

/** Labels of delta_change whose keys appeared in or left the target: records linking to them are re-derived. */
const PRESENCE = ['insert', 'delete', 'flip_deleted', 'flip_live', 'quarantined', 'resolved'];
const ERASED = 'erased on the new platform: the legacy copy is never brought back';

export function fileDigest(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

async function keysRun(pool: pg.Pool, def: PipelineDef, source: Source, file: string, digest: string, batchSize: number): Promise<{ runId: string; resumed: boolean }> {
  await requireFullLoad(pool, def, 're-migrate keys into');
  const { rows: [open] } = await pool.query<{ run_id: string }>(
    `SELECT run_id::text FROM migration.run WHERE pipeline = $1 AND options->'keys'->>'sha256' = $2 AND status <> 'completed' ORDER BY run_id DESC LIMIT 1`, [def.name, digest]);
  if (open) {
    await pool.query(`UPDATE migration.run SET status = 'running', ended_at = NULL, error = NULL WHERE run_id = $1`, [open.run_id]);
    return { runId: open.run_id, resumed: true };
  }
  const { rows: [run] } = await pool.query<{ run_id: string }>(
    `INSERT INTO migration.run (pipeline, status, options, source_identity) VALUES ($1, 'running', $2, $3) RETURNING run_id::text`,
    [def.name, JSON.stringify({ keys: { file: path.resolve(file), sha256: digest }, batchSize }), source.identity]);
  return { runId: run!.run_id, resumed: false };
}

/** Each step's requested keys (step name → key → the lines naming it). */
export type StepKeys = ReadonlyMap<string, ReadonlyMap<string, KeyRequest[]>>;

export async function runKeys(def: PipelineDef, source: Source, pool: pg.Pool, keys: StepKeys, file: string, digest: string, opts: KeysOptions = {}): Promise<KeysResult> {
  const t0 = Date.now();
  const batchSize = opts.batchSize ?? def.batchSize;
  const { runId, resumed } = await keysRun(pool, def, source, file, digest, batchSize);
  if (resumed) log.info(`${def.name}: continuing the interrupted re-migration of ${path.basename(file)} (run #${runId})`);
  const result: KeysResult = {
    pipeline: def.name, runId, kind: 'keys', status: 'completed', resumed, file: path.resolve(file), seconds: 0,
    rewritten: 0, unchanged: 0, removed: 0, quarantined: 0, dependent: 0, notFound: [], notMigratable: [], steps: [],
  };
  const mentions = new ChangedKeys();
  result.status = await asRun(pool, runId, opts.signal, async () => {
    for (const step of def.steps) {
      const name = stepName(def, step);
      const wanted = keys.get(name);
      if (step.mapping.audit || (!wanted?.size && !mentions.for(step.mapping.references).size)) continue;
      const ref = { runId, pipeline: def.name, step: name, partition: -1, system: def.system, mapping: step.mapping,
        keysMayRepeat: source.entities().find((e) => e.name === step.mapping.entity)?.keyKind === 'ordinal' };
      const bar = opts.progress === false ? null : makeProgress(`${name} (keys)`, null);
      const ctx: StepContext = { pool, source, ref, batchSize: step.batchSize ?? batchSize, mentions, signal: opts.signal, onBatch: (n) => { bar?.add(n); opts.onBatch?.(n); }, again: `cutover run --keys ${file}` };
      result.steps.push(await keysStep(ctx, wanted ?? new Map(), result));
      bar?.done();
      if (opts.signal?.aborted) break;
    }
    await tally(pool, runId, result);
  });
  result.seconds = (Date.now() - t0) / 1000;
  return result;
}

async function keysStep(ctx: StepContext, wanted: ReadonlyMap<string, KeyRequest[]>, out: KeysResult): Promise<DeltaStepResult> {
  const t0 = Date.now();
  const { pool, ref } = ctx;
  const { system, mapping } = ref;
  const result = emptyStepResult(ref);
  const { rows: doneRows } = await pool.query<{ key: string }>(
    `SELECT source_key AS key FROM migration.delta_change WHERE run_id = $1 AND source_system = $2 AND source_entity = $3`, [ref.runId, system, mapping.entity]);
  const done = new Set(doneRows.map((r) => r.key));
  const { known, erased } = await knownState(pool, mapping);
  const found = await findRecords(ctx.source, mapping.entity, new Set(wanted.keys()), { known, mentions: ctx.mentions.for(mapping.references), signal: ctx.signal });
  const absent = [...wanted.keys()].filter((k) => !found.resolved.has(k));
  const gone = resolveKnown(absent, known);
  for (const k of absent) if (!gone.has(k)) for (const r of wanted.get(k)!) (erased.has(k) ? out.notMigratable : out.notFound).push(erased.has(k) ? unresolved(r, ERASED) : unresolved(r, 'neither the source nor the target holds this key'));
  for (const [k, source] of found.resolved) if (erased.has(source)) for (const r of wanted.get(k)!) out.notMigratable.push(unresolved(r, ERASED));

  const changes: SourceChange[] = [];
  for (const [key, records] of found.records) {
    if (done.has(key) || erased.has(key)) continue;
    const was = known.get(key);
    changes.push({ kind: found.dependents.has(key) ? 'touch' : was ? 'update' : 'insert', key, records, was });
  }
  for (const key of new Set(gone.values())) if (!done.has(key)) changes.push({ kind: 'delete', key, records: [], was: known.get(key) });

  // compare a batch of keys with the target, then rewrite the ones that differ
  for (let i = 0; i < changes.length && !ctx.signal?.aborted; i += ctx.batchSize) {
    const chunk = changes.slice(i, i + ctx.batchSize);
    const keys = new Set(chunk.map((c) => c.key));
    const records = new Map(chunk.filter((c) => c.records.length).map((c) => [c.key, c.records[c.records.length - 1]!]));
    const differs = new Set<string>();
    let unattributed = false;
    await compareRecords(pool, { pipeline: ref.pipeline, step: ref.step, system, mapping }, keys, records, (d) => {
      if (keys.has(d.key)) differs.add(d.key);
      else unattributed = true;
    });
    const rewrite = unattributed ? chunk : chunk.filter((c) => differs.has(c.key));
    const rewritten = new Set(rewrite);
    out.unchanged += chunk.filter((c) => c.kind !== 'touch' && !rewritten.has(c)).length;
    await applyAll(ctx, rewrite, result);
  }
  // records of later steps that link to keys which appeared or left are compared too
  const { rows: moved } = await pool.query<{ key: string }>(
    `SELECT source_key AS key FROM migration.delta_change WHERE run_id = $1 AND source_system = $2 AND source_entity = $3 AND kind = ANY($4)`,
    [ref.runId, system, mapping.entity, PRESENCE]);
  for (const m of moved) ctx.mentions.add(mapping.entity, m.key);
  result.seconds = (Date.now() - t0) / 1000;
  return result;
}

/** The run's figures from migration.delta_change, so that a continued run counts its earlier batches too. */
async function tally(pool: pg.Pool, runId: string, out: KeysResult): Promise<void> {
  const { rows } = await pool.query<{ kind: string; n: string; quarantined: string }>(
    `SELECT d.kind, count(*)::text AS n, count(q.source_key)::text AS quarantined FROM migration.delta_change d
       LEFT JOIN migration.quarantine q ON q.source_system = d.source_system AND q.source_entity = d.source_entity AND q.source_key = d.source_key
     WHERE d.run_id = $1 GROUP BY d.kind`, [runId]);
  for (const r of rows) {
    const n = Number(r.n);
    if (r.kind === 'delete') out.removed += n;
    else if (r.kind === 'dependent') out.dependent += n;
    else out.rewritten += n;
    if (r.kind !== 'delete' && r.kind !== 'dependent') out.quarantined += Number(r.quarantined);
  }
}
