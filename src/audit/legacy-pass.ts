// One pass over a legacy audit source, joined with audit.event, in flat memory: the common
// engine of the audit reconciliation and the completeness report.
//
// Each legacy entry is mapped by the SAME mapping the pipeline uses (so the expected row is
// exactly what the loader should have written), buffered in chunks, and each chunk is looked up
// in audit.event with one indexed query (origin, legacy_audit_id = ANY(...)). A Bloom filter of
// the ids read serves two purposes:
// - repeated ids (a re-export may repeat a key; the later occurrence wins): while the ids arrive
//   in strictly increasing order (CRIS AUDIT_ID, CRIMINT ids as exported) none can repeat; after
//   the first id that does not increase, every id the filter may have seen is a candidate. If
//   there are candidates, a second pass counts them exactly, and the earlier occurrences of truly
//   repeated ids are handed back with sign -1 so their effect is undone.
// - extra target rows: an id the filter has not seen is certainly not in the source.
import type pg from 'pg';
import type { Mapping } from '../pipeline/types.ts';
import type { Source, SourceRecord, SystemName } from '../sources/types.ts';
import type { Problem } from '../core/problems.ts';
import { londonOffsetMs } from '../transform/london.ts';
import { parseCrimintDateTime } from '../transform/time.ts';
import { mapping as crisAuditMapping } from '../../mappings/cris-audit-trail.ts';
import { mapping as crimintAuditMapping } from '../../mappings/crimint-audit.ts';
import { storableRow } from './chain.ts';
import type { CanonicalRow } from './canonical.ts';
import { AUDIT_ENTITY, normaliseAction, wallClockText } from './legacy-rules.ts';
import { BloomFilter } from './bloom.ts';

export const AUDIT_MAPPINGS: Readonly<Record<SystemName, Mapping>> = Object.freeze({ CRIS: crisAuditMapping, CRIMINT: crimintAuditMapping });

/** A legacy entry and the row the mapping expects for it. */
export interface Expected {
  system: SystemName;
  /** The source key (quarantine and lineage key). */
  key: string;
  ordinal: number;
  /** legacy_audit_id: the mapped one, or the source key when the mapping rejects the entry. */
  id: string;
  /** The action as recorded (trimmed, upper case), `(blank)` when none. */
  action: string;
  /** Month of the legacy wall-clock time, `YYYY-MM`, or `unknown`. */
  month: string;
  /** The expected stored row (entity_id left NULL: the loader resolves it); null when quarantined. */
  row: CanonicalRow | null;
  /** The reason the mapping rejects the entry. */
  problem: Problem | null;
}

/** A target row as the joins read it. */
export interface TargetRow {
  seq: string;
  legacy_audit_id: string;
  /** occurred_at in microseconds since 1970 (exact; text). */
  us: string;
  actor: string;
  operation: string;
  justification: string | null;
  recipient: string | null;
  entity_type: string | null;
  entity_ref: string | null;
  detail: unknown;
}

const HOUR = 3_600_000;
let cachedHour = NaN;
let cachedOffset = 0;

/** `YYYY-MM` of an instant in Europe/London. */
export function londonMonth(ms: number): string {
  const hour = Math.floor(ms / HOUR); // offsets change on the hour: one lookup per hour (entries come in time order)
  if (hour !== cachedHour) {
    cachedHour = hour;
    cachedOffset = londonOffsetMs(hour * HOUR);
  }
  return new Date(ms + cachedOffset).toISOString().slice(0, 7);
}

function legacyMonth(system: SystemName, raw: Record<string, unknown>): string {
  if (system === 'CRIS') {
    const t = wallClockText(raw['action_dt']);
    return typeof t === 'string' && /^\s*\d{4}-\d{2}/.test(t) ? t.trim().slice(0, 7) : 'unknown';
  }
  const at = raw['at'];
  const local = typeof at === 'string' ? parseCrimintDateTime(at) : null;
  return local ? local.slice(0, 7) : 'unknown';
}

/** Map one legacy record to what audit.event should hold for it. */
export function expectedOf(system: SystemName, rec: SourceRecord): Expected {
  const o = AUDIT_MAPPINGS[system].map(rec);
  const action = normaliseAction(rec.raw['action']) ?? '(blank)';
  const month = legacyMonth(system, rec.raw);
  if (o.kind === 'loaded' && o.mapped.audit.length === 1) {
    const { lookup: _lookup, ...a } = o.mapped.audit[0]!;
    const row = storableRow({ ...a, entity_id: null });
    return { system, key: rec.key, ordinal: rec.ordinal, id: row.legacy_audit_id ?? rec.key, action, month, row, problem: null };
  }
  const problem: Problem = o.kind === 'quarantined'
    ? o.problems[0]!
    : { code: o.kind === 'excluded' ? o.reason : 'unexpected_outcome', field: null, sourceKey: rec.key, message: 'the audit mapping did not produce one entry' };
  return { system, key: rec.key, ordinal: rec.ordinal, id: rec.key, action, month, row: null, problem };
}

const TARGET_SQL = `SELECT seq::text AS seq, legacy_audit_id, (extract(epoch FROM occurred_at) * 1000000)::bigint::text AS us,
  actor, operation, justification, recipient, entity_type, entity_ref, detail
  FROM audit.event WHERE origin = $1 AND legacy_audit_id = ANY($2::text[])`;

/** The target rows of the given legacy ids (one indexed query), grouped by id. */
export async function lookupTarget(client: pg.ClientBase, system: SystemName, ids: string[]): Promise<Map<string, TargetRow[]>> {
  const out = new Map<string, TargetRow[]>();
  if (ids.length === 0) return out;
  const { rows } = await client.query<TargetRow>(TARGET_SQL, [system, ids]);
  for (const r of rows) {
    const list = out.get(r.legacy_audit_id);
    if (list) list.push(r);
    else out.set(r.legacy_audit_id, [r]);
  }
  return out;
}

/** Source keys of the given entries recorded in migration.quarantine. */
async function lookupQuarantine(client: pg.ClientBase, system: SystemName, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { rows } = await client.query<{ k: string }>(
    `SELECT source_key AS k FROM migration.quarantine WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3::text[])`,
    [system, AUDIT_ENTITY[system], keys],
  );
  return new Set(rows.map((r) => r.k));
}

/** An entry with what the target holds for it. */
export interface Joined {
  e: Expected;
  target: TargetRow[];
  /** For an entry the mapping rejects: whether migration.quarantine records it. */
  quarantineRecorded: boolean;
}

export interface PassResult {
  system: SystemName;
  /** Legacy entries read (all occurrences). */
  read: number;
  /** Earlier occurrences of repeated ids (their effect was undone). */
  superseded: Array<{ key: string; ordinal: number }>;
  supersededCount: number;
  /** Every id read; `has(id) === false` means certainly not in the source. */
  seen: BloomFilter;
}

export interface PassOptions {
  chunkSize?: number;
  /** Cap on superseded examples kept (the count stays exact). */
  maxExamples?: number;
}

/** Key order used for the "strictly increasing" test: numeric for digit strings, else by length then code units. */
function increasing(prev: string | null, next: string): boolean {
  if (prev === null) return true;
  if (prev.length !== next.length) return prev.length < next.length;
  return prev < next;
}

/** Entries joined with their rows in audit.event and, for those without one, with the quarantine. */
async function joinChunk(client: pg.ClientBase, system: SystemName, chunk: Expected[]): Promise<Joined[]> {
  const target = await lookupTarget(client, system, chunk.map((e) => e.id));
  const quarantined = await lookupQuarantine(client, system, chunk.filter((e) => !e.row).map((e) => e.key));
  return chunk.map((e) => ({ e, target: target.get(e.id) ?? [], quarantineRecorded: quarantined.has(e.key) }));
}

/** Second pass over the source: every occurrence of the candidate ids but the last of each. */
async function earlierOccurrences(source: Source, entity: string, candidates: Set<string>): Promise<Expected[]> {
  const occurrences = new Map<string, Expected[]>();
  for await (const rec of source.read(entity)) {
    const e = expectedOf(source.system, rec);
    if (!candidates.has(e.id)) continue;
    const list = occurrences.get(e.id);
    if (list) list.push(e);
    else occurrences.set(e.id, [e]);
  }
  const earlier: Expected[] = [];
  for (const list of occurrences.values()) {
    if (list.length < 2) continue;
    const lastOrdinal = Math.max(...list.map((e) => e.ordinal));
    for (const e of list) if (e.ordinal !== lastOrdinal) earlier.push(e);
  }
  return earlier;
}

/**
 * Stream one system's legacy audit entries, joined with audit.event, calling `visit(j, +1)` for
 * every entry and `visit(j, -1)` for earlier occurrences of a repeated id after the fact.
 */
export async function legacyPass(
  client: pg.ClientBase,
  source: Source,
  visit: (j: Joined, sign: 1 | -1) => void,
  options: PassOptions = {},
): Promise<PassResult> {
  const system = source.system;
  const entity = AUDIT_ENTITY[system];
  const chunkSize = options.chunkSize ?? 5000;
  const seen = new BloomFilter(await source.count(entity).catch(() => 1_000_000));
  const candidates = new Set<string>();
  let monotonic = true;
  let last: string | null = null;
  let read = 0;

  // one chunk's lookups in flight while the next chunk is read and mapped (visits stay in order)
  let inflight: Promise<void> | null = null;
  const submit = async (chunk: Expected[]) => {
    if (inflight) await inflight;
    inflight = joinChunk(client, system, chunk).then((joined) => {
      for (const j of joined) visit(j, 1);
    });
    inflight.catch(() => {}); // awaited below; never unhandled
  };

  let chunk: Expected[] = [];
  for await (const rec of source.read(entity)) {
    read++;
    const e = expectedOf(system, rec);
    if (monotonic && !increasing(last, e.id)) monotonic = false;
    last = e.id;
    if (!monotonic && seen.has(e.id)) candidates.add(e.id);
    seen.add(e.id);
    chunk.push(e);
    if (chunk.length >= chunkSize) {
      await submit(chunk);
      chunk = [];
    }
  }
  if (chunk.length) await submit(chunk);
  if (inflight) await inflight;

  const superseded: Array<{ key: string; ordinal: number }> = [];
  let supersededCount = 0;
  const earlier = candidates.size > 0 ? await earlierOccurrences(source, entity, candidates) : [];
  for (let i = 0; i < earlier.length; i += chunkSize) {
    for (const j of await joinChunk(client, system, earlier.slice(i, i + chunkSize))) {
      visit(j, -1);
      supersededCount++;
      if (superseded.length < (options.maxExamples ?? 20)) superseded.push({ key: j.e.key, ordinal: j.e.ordinal });
    }
  }
  return { system, read, superseded, supersededCount, seen };
}
