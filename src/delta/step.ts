// One step of a delta: detect the entity's changes (src/sources/changes.ts against known.ts),
// deletions first, then apply them in batches of one transaction each (batch.ts).
import type pg from 'pg';
import { feedChanges, scanRecords, universalChanges, type SourceChange } from '../sources/changes.ts';
import { CutoverError } from '../core/problems.ts';
import { knownState } from './known.ts';
import { narrowedState } from './narrow.ts';
import { applyDeltaBatch } from './batch.ts';
import type { StepRef } from '../load/batch.ts';
import type { Source } from '../sources/types.ts';
import type { ChangedKeys } from './mentions.ts';

export interface DeltaStepResult {
  step: string;
  entity: string;
  /** changes by what they did (insert, update, delete, flip_deleted, flip_live, quarantined, resolved, dependent, moved, audit) */
  changes: Record<string, number>;
  /** records removed from the target (each logged with an erasure event) */
  removed: number;
  batches: number;
  seconds: number;
  /** how the changes were found: the universal comparison, Change Tracking, or the audit watermark */
  method?: 'universal' | 'change_tracking' | 'watermark' | 'audit_ids';
  /** where the universal method hashed the records: the source's server (only records that differ are read), or here (every record read) */
  hashedBy?: 'source' | 'cutover';
}

export interface StepContext {
  pool: pg.Pool;
  source: Source;
  ref: StepRef;
  batchSize: number;
  /** Keys (of earlier steps) whose records came or went: the records that mention them are re-derived. */
  mentions: ChangedKeys;
  /** The source's change version stored by the previous load or delta (Change Tracking), if any. */
  since?: string | null;
  signal?: AbortSignal;
  onBatch?: (n: number) => void;
  /** the command that continues after a failed batch (default `cutover run --delta`) */
  again?: string;
  /** The source's own hashes of the entity, read ahead while the step before ran (hashesAhead), if taken. */
  hashes?: HashesAhead | null;
}

/** The rows of Source.keyHashes held in memory (blocks of COPY text), or null when the source's server cannot hash the entity. */
export type HashesAhead = Promise<Uint8Array[] | null>;

const HASH_BLOCK_BYTES = 1 << 20;

/**
 * Start reading the source's own hashes of a step's entity (Source.keyHashes) into memory, so
 * that the source's server hashes one entity while the target compares and writes the one
 * before; null where the servers cannot narrow the comparison: file-order sources (a key may
 * repeat, its position matters), sources that cannot hash, look for mentions or read by key.
 */
export function hashesAhead(source: Source, ref: StepRef): HashesAhead | null {
  if (ref.mapping.audit || ref.keysMayRepeat || !source.keyHashes || !source.keysMentioning || !source.readKeys) return null;
  const p = (async () => {
    const rows = await source.keyHashes!(ref.mapping.entity);
    if (!rows) return null;
    // one block per megabyte, not one Buffer per row
    const blocks: Uint8Array[] = [];
    let pending: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of rows) {
      pending.push(chunk);
      size += chunk.length;
      if (size >= HASH_BLOCK_BYTES) {
        blocks.push(Buffer.concat(pending));
        pending = [];
        size = 0;
      }
    }
    if (pending.length) blocks.push(Buffer.concat(pending));
    return blocks;
  })();
  p.catch(() => {}); // its failure is thrown where the step awaits it
  return p;
}

export function emptyStepResult(ref: StepRef): DeltaStepResult {
  return { step: ref.step, entity: ref.mapping.entity, changes: {}, removed: 0, batches: 0, seconds: 0 };
}

export async function recordStep(ctx: StepContext): Promise<DeltaStepResult> {
  const t0 = Date.now();
  const { ref } = ctx;
  const result = emptyStepResult(ref);
  const deletes: SourceChange[] = [];
  const others: SourceChange[] = [];
  // The feed lists only rows that changed themselves: while earlier steps changed keys that this
  // step's records may link to, the whole entity is compared (and those records re-derived).
  const mentions = ctx.mentions.for(ref.mapping.references);
  const feed = mentions.size === 0 && ctx.source.changeFeed ? await ctx.source.changeFeed(ref.mapping.entity, ctx.since ?? null) : null;
  result.method = feed ? 'change_tracking' : 'universal';
  const hashes = feed ? null : await (ctx.hashes !== undefined ? ctx.hashes : hashesAhead(ctx.source, ref));
  const take = async (changes: AsyncIterable<SourceChange>) => {
    for await (const c of changes) (c.kind === 'delete' ? deletes : others).push(c);
  };
  if (!feed) result.hashedBy = hashes ? 'source' : 'cutover';
  if (hashes) await take(narrowedChanges(ctx, hashes, mentions));
  else {
    // the source is read while the target's state of the entity is being read
    const known = knownState(ctx.pool, ref.mapping);
    const ahead = feed ? null : readAhead(scanRecords(ctx.source, ref.mapping.entity, Boolean(ref.mapping.linkOnly) || mentions.size > 0), known);
    ahead?.catch(() => {}); // its failure is thrown where it is awaited below
    try {
      const { known: byKey, erased } = await known;
      const scan = { known: byKey, frozen: erased, mentions, exclude: ref.mapping.exclude };
      await take(feed ? feedChanges(feed, scan) : universalChanges(ctx.source, ref.mapping.entity, scan, (await ahead!).records));
    } finally {
      await ahead?.then((a) => a.close(), () => {});
    }
  }
  // deletions first: a key rewritten under another spelling then writes its row again
  // the records of later steps that mention a key whose record came or went are re-derived
  await applyAll(ctx, [...deletes, ...others], result, (keys) => { for (const k of keys) ctx.mentions.add(ref.mapping.entity, k); });
  result.seconds = (Date.now() - t0) / 1000;
  return result;
}

/** The universal comparison over the keys the servers found different (narrow.ts): only those records are read. */
async function* narrowedChanges(ctx: StepContext, hashes: Uint8Array[], mentions: ReadonlySet<string>): AsyncGenerator<SourceChange> {
  const { source, ref: { mapping } } = ctx;
  const mentioning = mentions.size ? await source.keysMentioning!(mapping.entity, mentions) : [];
  const { present, state: { known, erased } } = await narrowedState(ctx.pool, mapping, hashes, mentioning);
  const scan = { known, frozen: erased, mentions, exclude: mapping.exclude };
  yield* universalChanges(source, mapping.entity, scan, source.readKeys!(mapping.entity, present));
}

/**
 * Pull records from `source` into memory until `until` settles (only as many as arrive meanwhile),
 * then hand back those and the rest; `close` ends the source's read however far it got.
 */
async function readAhead<T>(source: AsyncIterable<T>, until: Promise<unknown>): Promise<{ records: AsyncIterable<T>; close(): Promise<void> }> {
  const it = source[Symbol.asyncIterator]();
  const buffered: T[] = [];
  let settled = false;
  const stop = until.then(() => { settled = true; }, () => { settled = true; });
  let pending: Promise<IteratorResult<T>> | null = null;
  let ended = false;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (pending) await pending.catch(() => {});
    await it.return?.();
  };
  try {
    while (!settled) {
      pending = it.next();
      const r = await Promise.race([pending, stop.then(() => null)]);
      if (r === null) break; // `until` settled while a read was in flight: it is taken first below
      pending = null;
      if (r.done) { ended = true; break; }
      buffered.push(r.value);
    }
  } catch (err) {
    pending = null;
    await close();
    throw err;
  }
  async function* records(): AsyncGenerator<T> {
    yield* buffered.splice(0);
    if (pending) {
      const r = await pending;
      pending = null;
      if (r.done) return;
      yield r.value;
    }
    if (!ended) for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { records: records(), close };
}

/** Apply changes in batches of about batchSize records, one transaction each. */
export async function applyAll(ctx: StepContext, changes: SourceChange[], into: DeltaStepResult, onPresence?: (keys: string[]) => void): Promise<void> {
  let batch: SourceChange[] = [];
  let size = 0;
  const flush = async () => {
    if (!batch.length) return;
    const client = await ctx.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const r = await applyDeltaBatch(client, ctx.ref, batch);
      await client.query('COMMIT');
      for (const [k, v] of Object.entries(r.labels)) into.changes[k] = (into.changes[k] ?? 0) + v;
      into.removed += r.removed;
      into.batches++;
      onPresence?.(r.presence);
      ctx.onBatch?.(batch.length);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => { broken = true; });
      throw new CutoverError(`${ctx.ref.step}: delta batch of ${batch.length} changes (keys ${batch[0]!.key}…${batch[batch.length - 1]!.key}) failed and was rolled back: ${(err as Error).message}`,
        `nothing committed earlier is lost; fix the cause and run \`${ctx.again ?? 'cutover run --delta'}\` again: it continues with what is still different`, { cause: err });
    } finally {
      client.release(broken);
    }
    batch = [];
    size = 0;
  };
  for (const c of changes) {
    if (ctx.signal?.aborted) break;
    batch.push(c);
    size += Math.max(1, c.records.length);
    if (size >= ctx.batchSize) await flush();
  }
  if (!ctx.signal?.aborted) await flush();
}
