// The stored 'parity' result: ParityResult (./runner.ts) as saveResult writes it, board-safe
// (src/report/board-safe.ts: a query is kept as its kind and a keyed reference of its parameters,
// an example without the record's description). `cutover parity --delta` stores the full parity
// carried forward, with a `delta` note. The report, the gate and the engineers' report parse it
// with this schema; a renamed or missing count makes the result unreadable, never a 0.
import { z } from 'zod';
import { CAPABILITY_IDS } from './types.ts';

const count = z.number().int().nonnegative();
const VerdictSchema = z.enum(['PARITY', 'DEGRADED', 'LOST']);
const OriginSchema = z.enum(['replayed', 'generated', 'workload']);

/** A query as the board sees it (board-safe.ts safeQuery): capability, origin and note only when the query gave them. */
const SafeQuery = {
  capability: z.enum(CAPABILITY_IDS).optional(),
  queryKind: z.string(),
  paramsRef: z.string(),
  origin: OriginSchema.optional(),
  note: z.string().optional(),
};

/** A capability's figures, stored as the parity runner gives them. */
export const CapabilityFiguresSchema = z.looseObject({
  id: z.enum(CAPABILITY_IDS),
  name: z.string(),
  verdict: VerdictSchema,
  queries: count,
  byOrigin: z.record(OriginSchema, count),
  recall: z.looseObject({ mean: z.number(), worst: z.number() }),
  precision: z.number(),
  precisionWorst: z.number(),
  volumeRatio: z.number().nullable(),
  oracleResults: count,
  targetResults: count,
  latencyMs: z.looseObject({ p50: z.number(), p95: z.number() }),
  queriesShort: count,
  notMigrated: count,
  shortByNote: z.record(z.string(), count),
  warnings: z.array(z.string()),
});

/** The parts board-safe.ts rewrites: examples and errors without the parameters, no descriptions. */
const CapabilityStoredSchema = CapabilityFiguresSchema.extend({
  examples: z.array(z.looseObject({ kind: z.enum(['lost', 'extra']), ...SafeQuery, identity: z.string(), targetId: z.string().optional() })),
  notMigratedExamples: z.array(z.looseObject({ identity: z.string() })),
  errors: z.array(z.looseObject({ ...SafeQuery, message: z.string() })),
});

export const ParityFiguresSchema = z.looseObject({
  ok: z.boolean(),
  adapter: z.string(),
  seconds: z.number().nonnegative(),
  oracle: z.looseObject({ buildSeconds: z.number(), peakRssMb: z.number(), records: z.record(z.string(), count) }),
  target: z.looseObject({ restricted: count, notMigrated: count }),
  /** with a replay (`parity --delta`): queries of the workload, and those run on both sides */
  selection: z.looseObject({ workload: count, replayed: count }).optional(),
});

export const WorkloadFiguresSchema = z.looseObject({
  replayed: z.looseObject({ seen: count, used: count }),
  generated: count,
  generatedShortfall: z.array(z.looseObject({ capability: z.enum(CAPABILITY_IDS), generated: count })),
  file: z.looseObject({ path: z.string(), queries: count }).nullable(),
  invalidCount: count,
});

/** `parity --delta` carried the full parity forward (src/delta/parity.ts): when, over which runs, and how the full one fared. */
export const ParityDeltaNoteSchema = z.looseObject({
  fullOk: z.boolean(),
  fullSavedAt: z.string(),
  runs: z.array(z.string()),
  replayed: count,
  verifiedAt: z.string(),
});
export type ParityDeltaNote = z.output<typeof ParityDeltaNoteSchema>;

export const ParityStoredSchema = ParityFiguresSchema.extend({
  capabilities: z.array(CapabilityStoredSchema),
  workload: WorkloadFiguresSchema.extend({
    /** board-safe: the message scrubbed, the parameters left out */
    invalid: z.array(z.looseObject({ origin: OriginSchema, source: z.string(), message: z.string() })),
  }),
  delta: ParityDeltaNoteSchema.optional(),
});
export type ParityStored = z.output<typeof ParityStoredSchema>;
export type CapabilityStored = ParityStored['capabilities'][number];
