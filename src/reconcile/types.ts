// The structured result of a reconciliation: what the report renders and the gate reads.
import type { ManifestCheck } from '../sources/json-export.ts';
import type { Found } from './found.ts';
import type { ProfileSummary } from './profile.ts';

export type { Found } from './found.ts';
export type { ProfileSummary } from './profile.ts';

export interface ReconcileOptions {
  /** Target PostgreSQL (record, migration and audit schemas). */
  databaseUrl: string;
  /** CRIS source: postgres:// (the dbo stand-in) or mssql://. */
  crisUrl: string;
  /** CRIMINT export directory (manifest.json and the data files). */
  crimintDir: string;
  /** Pipelines to reconcile (default: all, in run order). */
  pipelines?: string[];
  /** Steps compared at once (default 2). Each holds one source reader and a few target cursors. */
  concurrency?: number;
  /** Rows per cursor fetch from the target (default 250, db.ts). */
  batchSize?: number;
  /**
   * Worker threads that run steps (default `defaultWorkers`: one beside this thread on 2 or 3
   * cores; from 4, one per lane, leaving 2 cores to the database; 0: all in this thread). The
   * mapping, the comparison and the profiles are CPU work; workers spread it over cores.
   */
  workers?: number;
  /**
   * Every difference, written as found (`cutover reconcile --differences FILE`): kind, source
   * record, target row, field names, no values. Steps then run on this thread (no workers).
   */
  differences?: import('./differences.ts').DifferenceSink | null;
  /**
   * Run the merge-join steps as jobs on `cutover worker` processes (src/distributed) instead of
   * threads: every step queued at once, outputs combined as the threads' are.
   */
  distributed?: boolean;
}

export type Value = string | number | boolean | null;

/** One field that differs: the source record's key, the value the mapping gives, the value stored. */
export interface Mismatch {
  key: string;
  expected: Value;
  actual: Value;
}

export interface FieldResult {
  column: string;
  mismatches: number;
  examples: Mismatch[];
}

export interface ProfileResult {
  column: string;
  /** the legacy field(s) the declared rule reads (field-rules.ts) */
  from: string;
  expected: ProfileSummary;
  actual: ProfileSummary;
  /** statistics that differ: rows, nulls, distinct, min, max, lengths */
  differs: string[];
}

export interface TableResult {
  table: string;
  /** rows the mapping gives for the live source records */
  expected: number;
  /** rows found in the target through lineage for this entity */
  target: number;
  /** rows on both sides, compared field by field */
  compared: number;
  /** an expected row with no target row */
  missing: Found<{ key: string; reason: string }>;
  /** a target row with no live source record behind it */
  unexpected: Found<{ key: string; id: string | null; reason: string }>;
  /** lineage of a key points to another id than the one the mapping derives */
  lineageChanged: Found<{ key: string; expectedId: string; actualId: string }>;
  /** every compared column, with its mismatch count and up to 10 examples */
  fields: FieldResult[];
  profiles: ProfileResult[];
}

/** Each source record against the outcome the target records for it (lineage, quarantine, exclusion, supersession). */
export interface OutcomeResult {
  /** records read from the source */
  read: number;
  loaded: number;
  quarantined: number;
  excluded: number;
  superseded: number;
  /** erased on the new platform since it was loaded, not read again since (no outcome row; recognised by its erasure token) */
  erased: number;
  /** a source record with no outcome at all in the target */
  unaccounted: Found<{ key: string; expected: string }>;
  /** the recorded outcome differs from the one the mapping gives */
  mismatched: Found<{ key: string; expected: string; actual: string }>;
  /** an outcome recorded for a key the source does not have (at that position) */
  unexpected: Found<{ key: string; actual: string }>;
}

export interface LinkResult {
  pipeline: string;
  step: string;
  table: string;
  expected: number;
  /** target link rows traced to this step */
  target: number;
  present: number;
  /** expected but not loaded because the other side is missing or excluded, and recorded in migration.orphan */
  orphaned: number;
  /** expected, but a side of it was erased on the new platform */
  erased: number;
  missing: Found<{ key: string; link: Record<string, string>; reason: string }>;
  unexpected: Found<{ key: string; link: Record<string, string | null>; reason: string }>;
  /** a link present with another role (the pair matches, the role does not) */
  fields: FieldResult[];
  ok: boolean;
}

export interface EntityResult {
  pipeline: string;
  system: string;
  entity: string;
  step: string;
  kind: 'record' | 'link' | 'audit';
  keyKind: string;
  outcomes: OutcomeResult;
  tables: TableResult[];
  /** a fatal error that stopped this entity's comparison (source unreadable …) */
  error: string | null;
  seconds: number;
  ok: boolean;
}

export interface StepCounts {
  loaded: number;
  quarantined: number;
  excluded: number;
  superseded: number;
}

export interface ConservationResult {
  pipeline: string;
  step: string;
  entity: string;
  kind: 'record' | 'link' | 'audit';
  /** records in the source now (CRIS: COUNT(*); CRIMINT: records in the file as read) */
  source: number | null;
  /**
   * from the target tables: lineage main rows with their row present / link rows / audit rows;
   * quarantine, exclusion, superseded; and `erased`: records erased on the new platform that have
   * no outcome row yet (recognised by the merge-join through the erasure tokens)
   */
  target: StepCounts & { erased: number; total: number };
  /** the runs' batch counters (since the last run that did not resume), for comparison */
  run: (StepCounts & { read: number; orphans: number }) | null;
  /** source = loaded + quarantined + excluded + superseded, from the target tables */
  balanced: boolean;
  /** differences between the run counters and the target tables or the source (reported, not gating) */
  notes: string[];
  ok: boolean;
}

export interface ManifestResult {
  dir: string;
  ok: boolean;
  files: ManifestCheck[];
  /** the manifest itself cannot be read */
  error: string | null;
}

export interface UntracedResult {
  table: string;
  /** why the rows are not traced: no lineage, lineage of an unknown entity, a link owned by no record */
  reason: string;
  count: number;
  examples: string[];
}

export interface ReconcileSummary {
  entities: number;
  sourceRecords: number;
  targetRows: number;
  missing: number;
  unexpected: number;
  mismatchedFields: number;
  lineageChanged: number;
  outcomeDefects: number;
  linkDefects: number;
  profileDifferences: number;
  conservationFailures: number;
  controlTotalFailures: number;
  errors: number;
}

export interface ReconcileResult {
  ok: boolean;
  startedAt: string;
  endedAt: string;
  seconds: number;
  pipelines: string[];
  controlTotals: {
    manifest: ManifestResult | null;
    cris: Array<{ entity: string; rows: number }> | null;
    conservation: ConservationResult[];
  };
  entities: EntityResult[];
  links: LinkResult[];
  untraced: UntracedResult[];
  summary: ReconcileSummary;
  /** one line per failure, for logs and the CLI */
  problems: string[];
}
