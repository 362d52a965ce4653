// Change detection behind the source interface (legacy-data.md, "Changes after the full load").
// The universal method works on every source: read each record's key and content hash and compare
// them with what the target knows (lineage, quarantine, exclusions). A new key was inserted, a
// different hash was updated, a known key the source no longer has was deleted. A re-save with
// identical content hashes the same: no change. Sources with a faster path (SQL Server Change
// Tracking: mssql-ct.ts) narrow the keys to compare; the comparison itself stays this one.
import { sha256Hex } from '../core/sha256.ts';
import type { ChangeFeed, JsonRecord, Source, SourceRecord } from './types.ts';

export type ChangeKind = 'insert' | 'update' | 'delete' | 'touch' | 'moved';

export interface SourceChange {
  /** insert, update, delete; touch: unchanged, but it mentions a changed record (a link to it);
   *  moved: unchanged, read at another position of a newer export (its ordinals are rewritten). */
  kind: ChangeKind;
  key: string;
  /** Every copy of the key in read order (a re-export may repeat a key: the last wins). Empty for a delete. */
  records: SourceRecord[];
  /** What the target held for the key before (absent for an insert). */
  was?: KnownRecord;
}

/** What the target holds for a source key: the hash of the record as read, and its read position. */
export interface KnownRecord {
  hash: string | null;
  ordinal: number;
  /** loaded, quarantined, or the exclusion reason (legacy_deleted, retention_expired) */
  state: string;
}

export interface ChangeScan {
  /** The target's state of the entity, by source key. */
  known: Map<string, KnownRecord>;
  /** Keys never reported (erased on the new platform: the legacy copy must not come back). */
  frozen?: ReadonlySet<string>;
  /** The exclusion rule: an excluded record (stored without content or hash) is unchanged while it gives the same reason. */
  exclude?: (raw: Record<string, unknown>) => string | null;
  /** Keys of other entities whose presence changed: a record that mentions one is reported as `touch`. */
  mentions?: ReadonlySet<string>;
}

/**
 * The known hash of a record whose content is its key (a CRIS link-only row: `cris_no|other|role`):
 * the same key is the same content, so neither side is hashed.
 */
export const CONTENT_IS_KEY = '=key';

/** Hash of the source record as read (lineage.source_hash): sha256 of its JSON, keys in source order. */
export function sourceHash(raw: unknown): string {
  return sha256Hex(JSON.stringify(raw));
}

/** Whether any scalar inside `raw` (nested arrays and objects too) is one of `keys`, as text. */
export function mentionsAny(raw: unknown, keys: ReadonlySet<string>): boolean {
  if (keys.size === 0 || raw === null || raw === undefined) return false;
  if (typeof raw === 'string') return keys.has(raw.trimEnd());
  if (typeof raw === 'number' || typeof raw === 'bigint') return keys.has(String(raw));
  if (Array.isArray(raw)) return raw.some((v) => mentionsAny(v, keys));
  if (typeof raw === 'object') return Object.values(raw as Record<string, unknown>).some((v) => mentionsAny(v, keys));
  return false;
}

/** What change detection reads: a record as built, or its JSON text (built only when it changed). */
export type ScannedRecord = SourceRecord | JsonRecord;

/**
 * The records change detection compares: as JSON text where the source's server renders it
 * (readJson), so that an unchanged record is hashed and never built; as read when every record is
 * to be built anyway (`build`: records whose content is their key need no hash, and while keys of
 * earlier steps changed, each record is looked through for them).
 */
export function scanRecords(source: Source, entity: string, build = false): AsyncIterable<ScannedRecord> {
  return source.readJson && !build ? source.readJson(entity) : source.read(entity);
}

const hashOf = (r: ScannedRecord): string => ('json' in r ? sha256Hex(r.json) : sourceHash(r.raw));
const built = (r: ScannedRecord): SourceRecord => ('json' in r ? { key: r.key, ordinal: r.ordinal, raw: JSON.parse(r.json) as Record<string, unknown> } : r);

interface Seen {
  records: SourceRecord[];
  hash: string;
}

/**
 * The changes of one entity, in the source's read order, deletions last. The known map is
 * consumed (what is left at the end was deleted). Only changed records are held in memory.
 */
export async function* universalChanges(source: Source, entity: string, scan: ChangeScan, records: AsyncIterable<ScannedRecord> = scanRecords(source, entity)): AsyncGenerator<SourceChange> {
  const repeats = source.entities().find((e) => e.name === entity)?.keyKind === 'ordinal';
  const { known, frozen } = scan;
  // A key may repeat only in file-order sources: its copies are gathered until the end.
  const gathered = new Map<string, Seen>();
  // each key read is taken out of `known` (no second set of every key): what is left was deleted
  for await (const rec of records) {
    if (frozen?.has(rec.key)) continue;
    if (repeats) {
      const hash = hashOf(rec);
      const g = gathered.get(rec.key);
      if (g) { g.records.push(built(rec)); g.hash = hash; } else gathered.set(rec.key, { records: [built(rec)], hash });
      continue;
    }
    const was = known.get(rec.key);
    if (was) known.delete(rec.key);
    // an insert, or a record whose content is its key, needs no hash
    const hash = was && was.hash !== CONTENT_IS_KEY ? hashOf(rec) : '';
    // the same content, and no changed key it could mention: no change (as classify says), nothing built
    if (was && (was.hash === CONTENT_IS_KEY || was.hash === hash) && !scan.mentions?.size) continue;
    const change = classify(rec.key, [built(rec)], hash, was, scan, false);
    if (change) yield change;
  }
  for (const [key, g] of gathered) {
    const was = known.get(key);
    if (was) known.delete(key);
    const change = classify(key, g.records, g.hash, was, scan, true);
    if (change) yield change;
  }
  for (const [key, was] of known) {
    if (frozen?.has(key)) continue;
    yield { kind: 'delete', key, records: [], was };
  }
}

function classify(key: string, records: SourceRecord[], hash: string, was: KnownRecord | undefined, scan: ChangeScan, byOrdinal: boolean): SourceChange | null {
  if (!was) return { kind: 'insert', key, records };
  const { mentions } = scan;
  const last = records[records.length - 1]!;
  const same = was.hash === null && was.state !== 'loaded' && was.state !== 'quarantined'
    ? scan.exclude?.(last.raw) === was.state
    : was.hash === CONTENT_IS_KEY || was.hash === hash;
  if (!same) return { kind: 'update', key, records, was };
  if (mentions && records.some((r) => mentionsAny(r.raw, mentions))) return { kind: 'touch', key, records, was };
  // a newer export shifts positions: the stored ordinals follow (superseded copies' too)
  if (byOrdinal && records[records.length - 1]!.ordinal !== was.ordinal) return { kind: 'moved', key, records, was };
  return null;
}

/**
 * The changes a change feed reports (SQL Server Change Tracking), compared with the target the
 * same way: an update that only re-saved identical content is no change, a deletion of a key
 * the target never held is none either.
 */
export async function* feedChanges(feed: ChangeFeed, scan: ChangeScan): AsyncGenerator<SourceChange> {
  const { known, frozen } = scan;
  const deleted: SourceChange[] = [];
  for await (const { key, record } of feed.changes) {
    if (frozen?.has(key)) continue;
    const was = known.get(key);
    if (!record) {
      if (was) deleted.push({ kind: 'delete', key, records: [], was });
      continue;
    }
    const change = classify(key, [record], sourceHash(record.raw), was, { ...scan, mentions: undefined }, false);
    if (change) yield change;
  }
  yield* deleted;
}
