// The stored privacy results, as `cutover erase`, `residual-scan`, `sar` and the demo save them
// (src/cli/privacy.ts, src/checks/demo.ts): 'erasure' EraseResult, 'residual-scan'
// ResidualScanResult, 'sar' SubjectAccessResult. Counts, keys, table names and references only:
// none of them holds a value of the person. The report and the gate parse them with these
// schemas; a renamed or missing count makes the result unreadable, never a 0.
import { z } from 'zod';

const count = z.number().int().nonnegative();
const IdentifierKindSchema = z.enum(['id', 'pnc', 'cro', 'surname+dob']);

export const ErasureStoredSchema = z.looseObject({
  erasureId: z.string(),
  /** the erased person's target id */
  person: z.string(),
  erasedAt: z.string(),
  /** seq of the erasure's one audit event */
  auditSeq: z.string(),
  /** rows physically removed, per table */
  removed: z.record(z.string(), count),
  /** what deliberately stays */
  kept: z.looseObject({ events: count, sharedLocations: count, sharedObjects: count }),
  refreshed: z.array(z.string()),
  ms: z.number().nonnegative(),
});
export type ErasureStored = z.output<typeof ErasureStoredSchema>;

const FileHitSchema = z.looseObject({ file: z.string(), kinds: z.array(IdentifierKindSchema) });

export const ResidualScanStoredSchema = z.looseObject({
  /** no hit in the database, the results store or an engineers' report */
  ok: z.boolean(),
  person: z.string(),
  erasures: z.array(z.looseObject({ erasureId: z.string(), erasedAt: z.string().nullable(), auditSeq: z.string().nullable() })),
  /** the first hits listed (hitCount counts them all) */
  hits: z.array(z.looseObject({ table: z.string(), column: z.string(), key: z.record(z.string(), z.string().nullable()), kind: IdentifierKindSchema, dobColumn: z.string().optional() })),
  hitCount: count,
  retainedInAuditLog: z.array(z.looseObject({ table: z.literal('audit.event'), column: z.string(), seq: z.string(), kind: IdentifierKindSchema })),
  retainedCount: count,
  truncated: z.boolean(),
  coverage: z.looseObject({
    schemas: z.array(z.string()), tables: count, columns: count, rowsExamined: count,
    perTable: z.array(z.looseObject({ table: z.string(), columns: z.array(z.string()), rowsExamined: count, hits: count, ms: z.number().nonnegative() })),
  }),
  /** outside the database: the results store and every engineers' report written */
  files: z.looseObject({
    resultsStore: z.looseObject({ dir: z.string(), files: count, hits: z.array(FileHitSchema) }),
    engineersReports: z.looseObject({
      known: count,
      holding: z.array(z.looseObject({ dir: z.string(), writtenAt: z.string(), actor: z.string(), files: z.array(FileHitSchema) })),
    }),
  }),
  ms: z.number().nonnegative(),
});
export type ResidualScanStored = z.output<typeof ResidualScanStoredSchema>;

const SarParityRecordSchema = z.looseObject({
  identity: z.string(),
  targetId: z.string(),
  /** missing only: why the record is not in the answer (erased, subject_erased: expected) */
  reason: z.enum(['erased', 'subject_erased', 'not_migrated', 'not_found']).optional(),
});

export const SarStoredSchema = z.looseObject({
  sarId: z.string(),
  generatedAt: z.string(),
  /** where the answer (which names the person) was written: beside the board's report, never in it */
  files: z.looseObject({ json: z.string(), html: z.string() }),
  counts: z.looseObject({ persons: count, otherNames: count, events: count, locations: count, objects: count, disclosures: count, unresolved: count }),
  personIds: z.array(z.string()),
  auditSeq: z.string(),
  /** with --parity: the answer compared with the legacy oracle's S20 */
  parity: z.looseObject({
    ok: z.boolean(),
    legacyCount: count,
    targetCount: count,
    missing: z.array(SarParityRecordSchema),
    extra: z.array(SarParityRecordSchema),
  }).optional(),
  ms: z.number().nonnegative(),
});
export type SarStored = z.output<typeof SarStoredSchema>;

