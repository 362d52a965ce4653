// The one small interface every legacy source implements (postgres, mssql, json-export).
// Shared pipeline code never branches on the kind of source: it asks the adapter.

export type SystemName = 'CRIS' | 'CRIMINT';

/** A legacy record as read. `raw` keeps the source's own field names (CRIS: lower case columns). */
export interface SourceRecord {
  /** The legacy key as written, as text (e.g. `12345`, `0412345/19`, `N0001234`). Composite keys join parts with `|`. */
  key: string;
  /** Position in the source's read order (JSON: index in the array). Later ordinal wins for a repeated key. */
  ordinal: number;
  raw: Record<string, unknown>;
}

/**
 * A record as its JSON text: exactly what `JSON.stringify(raw)` gives for the SourceRecord that
 * `read` yields (same members in the same order, same values), so its hash is the record's
 * content hash and `JSON.parse(json)` is its `raw`.
 */
export interface JsonRecord {
  key: string;
  ordinal: number;
  json: string;
}

/** A key range of one entity: keys in (after, upTo]. null = open end. */
export interface KeyRange {
  after: string | null;
  upTo: string | null;
}

export interface EntityInfo {
  name: string;
  /** How keys order: 'int' numerically, 'text' byte-wise, 'ordinal' (file order, JSON). */
  keyKind: 'int' | 'text' | 'composite' | 'ordinal';
}

/** Rows changed since a version the source gave earlier: each one's current record, or null when deleted. */
export interface ChangeFeed {
  /** the version to store for the next delta (taken before the changes were read) */
  version: string;
  changes: AsyncIterable<{ key: string; record: SourceRecord | null }>;
}

export interface Source {
  readonly system: SystemName;
  /** Identity for logs and reports, secrets masked. */
  readonly identity: string;
  entities(): EntityInfo[];
  /** Record count of an entity as the source states it (SQL COUNT(*), manifest count). */
  count(entity: string): Promise<number>;
  /** Split an entity into up to n key ranges (one range when the source cannot partition). */
  partitions(entity: string, n: number): Promise<KeyRange[]>;
  /** Stream records in key order (file order for JSON) within the range, after the checkpoint key. */
  read(entity: string, range?: KeyRange): AsyncIterable<SourceRecord>;
  /**
   * Optional: only the records with these keys (as `SourceRecord.key` gives them), in no set order;
   * ordinals are file positions where the source reads by position (JSON), else counted within
   * this read. Sources that cannot look keys up leave it out: callers read the entity in full and
   * pick the keys (the delta verification does).
   */
  readKeys?(entity: string, keys: readonly string[]): AsyncIterable<SourceRecord>;
  /**
   * Optional: the whole entity as `read` gives it, in the same order, each record as its JSON
   * text rendered by the source's own server. Change detection hashes the text and builds the
   * record only when it changed (sources/changes.ts); without this method it reads `read`.
   */
  readJson?(entity: string): AsyncIterable<JsonRecord>;
  /**
   * Optional: every record's key and content hash, computed by the source's own server, as the
   * text rows of a PostgreSQL COPY (`key<TAB>hash<LF>`, escaped as COPY escapes), in no set order.
   * The key is `SourceRecord.key`, the hash sha256 of the JSON text `readJson` gives. Null when
   * the server cannot render the entity so: change detection then reads every record.
   */
  keyHashes?(entity: string): Promise<AsyncIterable<Uint8Array> | null>;
  /**
   * Optional, beside keyHashes: the keys of the records that may mention one of `mentions` (a
   * superset of those `mentionsAny` finds: any value that is one of them as text, its trailing
   * white space left out), so that change detection reads them whole and looks.
   */
  keysMentioning?(entity: string, mentions: ReadonlySet<string>): Promise<string[]>;
  /**
   * Optional fast path of change detection (SQL Server Change Tracking): the rows changed since
   * `since`, or null when the source cannot tell (tracking off, no stored version, or a version
   * older than the oldest still valid). Callers then compare everything (sources/changes.ts).
   */
  changeFeed?(entity: string, since: string | null): Promise<ChangeFeed | null>;
  /** Optional: the source's current change version, stored at a load so the next delta can start from it. */
  changeVersion?(): Promise<string | null>;
  close(): Promise<void>;
}
