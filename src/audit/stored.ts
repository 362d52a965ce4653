// The stored audit results, as the checks save them (src/checks/index.ts): 'audit-verify' is
// verifyAnchored's result (VerifyResult with the target's key and the anchor it kept),
// 'audit-reconcile' AuditReconcileResult, 'audit-completeness' AuditCompletenessResult. The report
// and the gate parse them with these schemas; a renamed or missing count makes the result
// unreadable, never a 0.
import { z } from 'zod';

const count = z.number().int().nonnegative();
const SystemSchema = z.enum(['CRIS', 'CRIMINT']);
const AnchorSchema = z.looseObject({ seq: z.string(), hash: z.string() });

/** The chain compared with its anchors (./anchor-check.ts AnchorCheck). */
const AnchorCheckSchema = z.looseObject({
  checked: count,
  last: AnchorSchema.nullable(),
  head: AnchorSchema.nullable(),
  reached: z.boolean(),
  broken: z.array(z.looseObject({
    anchor: AnchorSchema.extend({ recordedAt: z.string().optional(), by: z.string().optional() }),
    kind: z.enum(['truncated', 'rewritten']),
    found: z.string().nullable(),
    range: z.string(),
    detail: z.string(),
  })),
});

export const AuditVerifyStoredSchema = z.looseObject({
  ok: z.boolean(),
  /** rows read (all of them, also after a break) */
  rows: count,
  firstBroken: z.looseObject({ seq: z.string(), reason: z.enum(['changed', 'missing', 'inserted', 'truncated', 'rewritten']), detail: z.string() }).nullable(),
  tail: AnchorSchema.nullable(),
  anchors: AnchorCheckSchema,
  ms: z.number().nonnegative(),
  /** the target the chain belongs to (./anchors.ts targetKey): the kept anchors compared are this target's */
  target: z.string(),
  /** the head kept as an anchor after a clean verify */
  kept: AnchorSchema.extend({ target: z.string(), recordedAt: z.string(), by: z.string() }).nullable(),
});
export type AuditVerifyStored = z.output<typeof AuditVerifyStoredSchema>;

/** `{count, examples}`: the count exact, the examples capped. */
const found = <T extends z.ZodRawShape>(example: T) => z.looseObject({ count, examples: z.array(z.looseObject({ system: SystemSchema, key: z.string(), ...example })) });

export const AuditReconcileStoredSchema = z.looseObject({
  ok: z.boolean(),
  perSystemActionMonth: z.array(z.looseObject({ system: SystemSchema, action: z.string(), month: z.string(), legacy: count, target: count })),
  totals: z.array(z.looseObject({ system: SystemSchema, legacy: count, target: count, quarantined: count, superseded: count })),
  missing: found({ reason: z.string() }),
  duplicated: found({ rows: count, seqs: z.array(z.string()) }),
  altered: found({ field: z.string(), expected: z.unknown(), actual: z.unknown() }).extend({ byField: z.record(z.string(), count) }),
  extra: found({ seq: z.string() }),
  quarantined: found({ code: z.string(), field: z.string().nullable(), message: z.string() }),
  superseded: found({ ordinal: count }),
  anchors: AnchorCheckSchema,
  ms: z.number().nonnegative(),
});
export type AuditReconcileStored = z.output<typeof AuditReconcileStoredSchema>;

export const AuditCompletenessStoredSchema = z.looseObject({
  ok: z.boolean(),
  byOperation: z.array(z.looseObject({ operation: z.string(), count })),
  byOrigin: z.array(z.looseObject({ origin: z.string(), count })),
  byOriginOperation: z.array(z.looseObject({ origin: z.string(), operation: z.string(), count })),
  gaps: z.array(z.looseObject({
    gap: z.enum(['justification', 'actor', 'recipient']),
    operation: z.enum(['consultation', 'disclosure']),
    legacyMissing: count,
    lostInMigration: count,
    notFromLegacy: count,
    inTarget: count,
    examples: z.array(z.looseObject({
      system: SystemSchema, key: z.string(), kind: z.enum(['legacyMissing', 'lostInMigration']),
      why: z.enum(['blank in target', 'entry missing in target']).optional(),
    })),
  })),
  /** legacy entries of these operations not in the target at all */
  missingInTarget: count,
  quarantinedSkipped: count,
  ms: z.number().nonnegative(),
});
export type AuditCompletenessStored = z.output<typeof AuditCompletenessStoredSchema>;

