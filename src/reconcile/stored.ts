// The stored 'reconcile' result (board-safe, src/report/board-safe.ts): the schema the report and the gate parse it with.
// It is ReconcileResult (types.ts) as saveResult writes it: examples of differing fields keep their
// key only, column profiles lose min and max, problems are scrubbed. `reconcile --delta` stores the
// same result carried forward, with a `delta` field (src/delta/verify.ts).
import { z } from 'zod';

const count = z.number().int().nonnegative();
const seconds = z.number().nonnegative();
const found = <T extends z.ZodType>(example: T) => z.looseObject({ count, examples: z.array(example) });
const stepKind = z.enum(['record', 'link', 'audit']);

/** A differing field: its key only (the values stay in the source and the target). */
const FieldStored = z.looseObject({ column: z.string(), mismatches: count, examples: z.array(z.looseObject({ key: z.string() })) });

/** A column profile's statistics without min and max (values). */
const ProfileSummaryStored = z.looseObject({ rows: count, nulls: count, distinct: count, lengths: z.record(z.string(), count).nullable() });

const TableStored = z.looseObject({
  table: z.string(),
  expected: count,
  target: count,
  compared: count,
  missing: found(z.looseObject({ key: z.string(), reason: z.string() })),
  unexpected: found(z.looseObject({ key: z.string(), id: z.string().nullable(), reason: z.string() })),
  lineageChanged: found(z.looseObject({ key: z.string(), expectedId: z.string(), actualId: z.string() })),
  fields: z.array(FieldStored),
  profiles: z.array(z.looseObject({ column: z.string(), from: z.string(), expected: ProfileSummaryStored, actual: ProfileSummaryStored, differs: z.array(z.string()) })),
});

const OutcomesStored = z.looseObject({
  read: count,
  loaded: count,
  quarantined: count,
  excluded: count,
  superseded: count,
  erased: count,
  unaccounted: found(z.looseObject({ key: z.string(), expected: z.string() })),
  mismatched: found(z.looseObject({ key: z.string(), expected: z.string(), actual: z.string() })),
  unexpected: found(z.looseObject({ key: z.string(), actual: z.string() })),
});

const EntityStored = z.looseObject({
  pipeline: z.string(),
  system: z.string(),
  entity: z.string(),
  step: z.string(),
  kind: stepKind,
  keyKind: z.string(),
  outcomes: OutcomesStored,
  tables: z.array(TableStored),
  error: z.string().nullable(),
  seconds,
  ok: z.boolean(),
});

const LinkStored = z.looseObject({
  pipeline: z.string(),
  step: z.string(),
  table: z.string(),
  expected: count,
  target: count,
  present: count,
  orphaned: count,
  erased: count,
  missing: found(z.looseObject({ key: z.string(), link: z.record(z.string(), z.string()), reason: z.string() })),
  unexpected: found(z.looseObject({ key: z.string(), link: z.record(z.string(), z.string().nullable()), reason: z.string() })),
  fields: z.array(FieldStored),
  ok: z.boolean(),
});

const stepCounts = { loaded: count, quarantined: count, excluded: count, superseded: count };

export const ConservationStoredSchema = z.looseObject({
  pipeline: z.string(),
  step: z.string(),
  entity: z.string(),
  kind: stepKind,
  /** null: the source count is not available (the step is then not balanced) */
  source: count.nullable(),
  target: z.looseObject({ ...stepCounts, erased: count, total: count }),
  run: z.looseObject({ ...stepCounts, read: count, orphans: count }).nullable(),
  balanced: z.boolean(),
  notes: z.array(z.string()),
  ok: z.boolean(),
});

export const ManifestStoredSchema = z.looseObject({
  dir: z.string(),
  ok: z.boolean(),
  files: z.array(z.looseObject({
    entity: z.string(), file: z.string(), expectedRecords: count.nullable(), actualRecords: count,
    expectedSha256: z.string().nullable(), actualSha256: z.string(), bytes: count, ok: z.boolean(),
  })),
  error: z.string().nullable(),
});

const SummaryStored = z.looseObject({
  entities: count,
  sourceRecords: count,
  targetRows: count,
  missing: count,
  unexpected: count,
  mismatchedFields: count,
  lineageChanged: count,
  outcomeDefects: count,
  linkDefects: count,
  profileDifferences: count,
  conservationFailures: count,
  controlTotalFailures: count,
  errors: count,
});

/** What a reconciliation carried forward by `reconcile --delta` adds to the full one (its `delta` field). */
export const CarriedDeltaSchema = z.looseObject({
  /** the full reconciliation's own verdict and when it was stored */
  fullOk: z.boolean(),
  fullSavedAt: z.string(),
  /** delta runs whose changed keys were compared since the full reconciliation */
  runs: z.array(z.string()),
  keys: count,
  defects: count,
  verifiedAt: z.string(),
});
export type CarriedDelta = z.output<typeof CarriedDeltaSchema>;

export const ReconcileStoredSchema = z.looseObject({
  ok: z.boolean(),
  startedAt: z.string(),
  endedAt: z.string(),
  seconds,
  pipelines: z.array(z.string()),
  controlTotals: z.looseObject({
    manifest: ManifestStoredSchema.nullable(),
    cris: z.array(z.looseObject({ entity: z.string(), rows: count })).nullable(),
    conservation: z.array(ConservationStoredSchema),
  }),
  entities: z.array(EntityStored),
  links: z.array(LinkStored),
  untraced: z.array(z.looseObject({ table: z.string(), reason: z.string(), count, examples: z.array(z.string()) })),
  summary: SummaryStored,
  /** one line per failure, scrubbed of quoted values */
  problems: z.array(z.string()),
  /** present when `reconcile --delta` carried the full reconciliation forward */
  delta: CarriedDeltaSchema.optional(),
});
export type ReconcileStored = z.output<typeof ReconcileStoredSchema>;
export type ReconcileStoredEntity = ReconcileStored['entities'][number];
export type ReconcileStoredTable = ReconcileStoredEntity['tables'][number];
