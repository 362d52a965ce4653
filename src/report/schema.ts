// The summary: the whole structured result the board's report, the gate and CI read.
// Versioned: `schemaVersion` changes when a field is removed, renamed or changes meaning; new
// optional fields do not change it. `summary.schema.json` is emitted from this file
// (`npx tsx src/report/emit-schema.ts`); a test fails when the two drift apart. Every field is
// documented in src/report/README.md.
import { z } from 'zod';
import { ChainAnchorsSchema } from './areas-anchors.ts';
import { RESULT_KINDS } from './store.ts';

export const SCHEMA_VERSION = 1 as const;

const count = z.number().int().min(0);
const share = z.number().min(0);
const nCount = count.nullable();
const nNum = z.number().nullable();
const nStr = z.string().nullable();

export const LightSchema = z.enum(['green', 'amber', 'red', 'grey']).describe('traffic light: green = fine, amber = look at it, red = defect, grey = not run');
export type Light = z.output<typeof LightSchema>;
export const CheckKindSchema = z.enum(RESULT_KINDS);
export const VerdictSchema = z.enum(['PARITY', 'DEGRADED', 'LOST']);
export const AREA_IDS = ['completeness', 'fidelity', 'searchParity', 'auditHistory', 'deletion', 'subjectAccess', 'dataQuality'] as const;
export type AreaId = (typeof AREA_IDS)[number];

const areaBase = {
  title: z.string().describe('human title of the area'),
  light: LightSchema,
  reason: z.string().describe('one line: why the light has this colour'),
  inputs: z.array(CheckKindSchema).describe('the stored checks this area is built from'),
};

/** A legacy key named in an example (missing, unexpected, quarantined…). */
const KeyExample = z.strictObject({
  system: nStr,
  entity: nStr,
  key: z.string(),
  detail: nStr.describe('reason or extra context, when the check gives one'),
});
const Found = z.strictObject({ count: nCount.describe('exact count; null when the check does not say'), examples: z.array(KeyExample) });

const CheckStatus = z.strictObject({
  kind: CheckKindSchema,
  present: z.boolean().describe('a stored result exists'),
  ok: z.boolean().nullable().describe('the check\'s own verdict; null when not run'),
  savedAt: nStr,
  problems: z.array(z.string()).describe('problems met while reading the stored result'),
  unreadable: nStr.describe('why the stored result cannot be read: not a result envelope, or the check\'s schema rejects it (a renamed or missing field); null when it parses'),
  standing: z.enum(['current', 'stale', 'foreign', 'unbound', 'not-run']).optional()
    .describe('against the target the report runs against: current; stale (the target changed after it: run it again); foreign (taken on another target: counts as not run); unbound (stored without a target binding: counts as not run); absent when not judged against a target'),
  standingReason: nStr.optional().describe('why that standing, in one line'),
  rerun: nStr.optional().describe('the command that takes this result again (when it is stale, foreign, unbound or not run)'),
});

const Step = z.strictObject({
  pipeline: z.string(),
  step: z.string(),
  entity: z.string(),
  sourceCount: nCount,
  read: count,
  loaded: count,
  quarantined: count,
  excluded: count,
  superseded: count,
  orphans: count,
  complete: z.boolean().nullable(),
  seconds: nNum,
  conserved: z.boolean().describe('read = loaded + quarantined + excluded + superseded'),
});
const Totals = z.strictObject({ read: count, loaded: count, quarantined: count, excluded: count, superseded: count, orphans: count });

const Completeness = z.strictObject({
  ...areaBase,
  conservation: z.strictObject({
    ok: z.boolean().nullable().describe('every step conserved its records; null when no run result'),
    violations: z.array(z.strictObject({ pipeline: z.string(), step: z.string(), read: count, accounted: count })),
  }),
  runs: z.array(z.strictObject({ pipeline: z.string(), runId: nStr, status: nStr, source: nStr, startedAt: nStr, endedAt: nStr, seconds: nNum })),
  steps: z.array(Step),
  totals: Totals,
  entities: z.array(z.strictObject({ entity: z.string(), source: nCount, target: nCount, missing: nCount, unexpected: nCount, mismatched: nCount })).describe('reconcile: per-entity counts'),
  controlTotals: z.array(z.strictObject({ name: z.string(), source: nNum, target: nNum, ok: z.boolean().nullable() })),
  links: z.array(z.strictObject({ name: z.string(), source: nCount, target: nCount, missing: nCount, unexpected: nCount, orphans: nCount, ok: z.boolean().nullable() })),
  missing: Found,
  unexpected: Found,
  untraced: z.array(z.strictObject({ table: z.string(), reason: z.string(), count, examples: z.array(z.string()) })).describe('target rows no legacy record accounts for'),
  reconcileCounts: z.record(z.string(), z.number()).describe('the reconciliation\'s own summary counters, as it gives them'),
  problems: z.array(z.string()).describe('the reconciliation\'s failure lines (first 50)'),
});

const Fidelity = z.strictObject({
  ...areaBase,
  compared: nCount.describe('records compared field by field'),
  mismatchedRecords: nCount,
  mismatchedValues: nCount.describe('field values that differ (a record may have several)'),
  fields: z.array(z.strictObject({ entity: z.string(), field: z.string(), compared: nCount, mismatched: count, rate: share.nullable() })),
  examples: z.array(z.strictObject({ entity: nStr, field: z.string(), key: z.string() })).describe('the legacy key and the field that differs; the values are in the source and the target (the engineers\' report shows them)'),
  profileDifferences: z.array(z.strictObject({ entity: z.string(), column: z.string(), from: nStr, differs: z.array(z.string()) })).describe('column profiles (rows, nulls, distinct, min, max, lengths) that differ'),
});

const ParityExample = z.strictObject({
  kind: z.enum(['lost', 'extra']).describe('lost: legacy found it, the target did not; extra: the target found it, legacy did not'),
  query: z.string().describe('the kind of query and a keyed reference of its parameters (`surname + dob · h:…`), never the parameters'),
  origin: nStr.describe('replayed, generated or workload'),
  note: nStr.describe('hard-case label of the query'),
  identity: z.string().describe('legacy identity SYSTEM:ENTITY:KEY (or target:<id>)'),
  description: nStr.describe('always null in the board\'s report: a description names the person'),
});
const Capability = z.strictObject({
  id: z.string(),
  name: nStr,
  verdict: VerdictSchema,
  queries: nCount,
  recallMean: nNum.describe('null when LOST (nothing measured)'),
  recallWorst: nNum,
  precisionMean: nNum,
  precisionWorst: nNum,
  volumeRatio: nNum,
  latencyP50Ms: nNum,
  latencyP95Ms: nNum,
  queriesShort: nCount.describe('queries with recall < 1 or precision < 1'),
  notMigrated: nCount,
  reason: nStr.describe('why the verdict, in one line'),
  errors: z.array(z.strictObject({ query: z.string(), message: z.string() })),
  warnings: z.array(z.string()),
  examples: z.array(ParityExample),
});
const SearchParity = z.strictObject({
  ...areaBase,
  counts: z.strictObject({ PARITY: count, DEGRADED: count, LOST: count }),
  capabilities: z.array(Capability),
  adapter: nStr.describe('the target search adapter checked'),
  queries: nCount.describe('workload size over all capabilities'),
  workload: z.strictObject({ replayed: nCount, generated: nCount, invalid: nCount }),
  notMigrated: nCount.describe('oracle results that are legacy records deliberately not migrated (not counted as lost)'),
});

const AuditHistory = z.strictObject({
  ...areaBase,
  chain: z.strictObject({
    ran: z.boolean(),
    verified: z.boolean().nullable(),
    rows: nCount,
    firstBroken: z.strictObject({ seq: z.string(), reason: z.string(), detail: z.string() }).nullable(),
    anchors: ChainAnchorsSchema.nullable().describe('the chain against the anchors kept outside the database (null: not verified)'),
  }),
  reconcile: z.strictObject({
    ran: z.boolean(),
    legacy: nCount,
    target: nCount,
    missing: Found,
    duplicated: Found,
    altered: Found,
    extra: Found,
    quarantined: Found,
    alteredByField: z.array(z.strictObject({ field: z.string(), count })),
    byOperation: z.array(z.strictObject({ operation: z.string(), legacy: count, target: count })).describe('legacy entries and target rows per s.62 operation'),
    bySystemActionMonth: z.array(z.strictObject({ system: z.string(), action: z.string(), month: z.string(), legacy: count, target: count })).describe('only the cells where legacy ≠ target'),
  }),
  completeness: z.strictObject({
    ran: z.boolean(),
    byOperation: z.array(z.strictObject({ operation: z.string(), count })),
    byOrigin: z.array(z.strictObject({ origin: z.string(), count })),
    gaps: z.array(z.strictObject({
      gap: z.string(), operation: z.string(), legacyMissing: count, lostInMigration: count, notFromLegacy: nCount, examples: z.array(KeyExample),
    })),
    legacyMissing: nCount,
    lostInMigration: nCount,
    missingInTarget: nCount,
  }),
});

const Deletion = z.strictObject({
  ...areaBase,
  excluded: z.strictObject({
    total: nCount,
    byReason: z.array(z.strictObject({ reason: z.string(), count })),
    bySteps: z.array(z.strictObject({ step: z.string(), entity: z.string(), excluded: count })),
  }),
  erasure: z.strictObject({
    done: z.boolean(),
    ok: z.boolean().nullable(),
    erasureId: nStr,
    erasedAt: nStr,
    subjects: z.array(z.string()).describe('erased target ids'),
    removed: z.array(z.strictObject({ table: z.string(), rows: count })).describe('rows physically removed, per table'),
    kept: z.array(z.strictObject({ what: z.string(), count })).describe('what deliberately stays (linked events, shared locations and objects)'),
    auditSeq: nStr.describe('seq of the erasure event in audit.event'),
    auditEvents: nCount.describe('erasure audit events written'),
  }),
  residualScan: z.strictObject({
    ran: z.boolean(),
    ok: z.boolean().nullable(),
    person: nStr.describe('target id of the erased person the scan searched for'),
    hits: nCount,
    truncated: z.boolean().nullable().describe('more hits were found than listed'),
    coverage: z.strictObject({ schemas: z.array(z.string()), tables: nCount, columns: nCount, rowsExamined: nCount }).nullable(),
    retainedInAuditLog: nCount.describe('references kept in audit.event by design (ids, no content)'),
    examples: z.array(z.strictObject({ table: z.string(), column: nStr, identifier: nStr.describe('which identifier matched, as the scan names it'), row: nStr.describe('row locator (key or id) as the scan gives it') })),
  }),
});

const SubjectAccess = z.strictObject({
  ...areaBase,
  ran: z.boolean(),
  ok: z.boolean().nullable(),
  records: nCount.describe('records in the target answer'),
  disclosures: nCount,
  parity: z.strictObject({
    ok: z.boolean().nullable(),
    verdict: VerdictSchema.nullable(),
    expected: nCount.describe('records legacy S20 finds'),
    actual: nCount.describe('records in the target answer compared'),
    missing: z.array(z.string()).describe('legacy identities not in the answer, with the reason when given (erased = expected)'),
    extra: z.array(z.string()),
    missingCount: nCount,
    extraCount: nCount,
  }).nullable(),
});

const DataQuality = z.strictObject({
  ...areaBase,
  warnings: z.array(z.strictObject({ code: z.string(), count })),
  warningTotal: count,
  quarantine: z.strictObject({ read: count, quarantined: count, share: share.nullable(), threshold: share }),
  quarantineByReason: z.array(z.strictObject({ reason: z.string(), count })),
  orphans: z.strictObject({ total: count, bySteps: z.array(z.strictObject({ step: z.string(), entity: z.string(), orphans: count })) }),
  retention: z.strictObject({
    ran: z.boolean(),
    asOf: nStr,
    overdueTotal: nCount,
    groups: z.array(z.strictObject({ group: z.string(), records: nCount, overdue: count })),
  }),
});

const secs = z.number().min(0);
/** The freeze window (issue 16): the deltas applied after the full load and how they were verified. Present only when a delta was applied. */
export const FreezeWindowAreaSchema = z.strictObject({
  title: z.string(),
  light: LightSchema,
  reason: z.string(),
  deltas: z.array(z.strictObject({ pipeline: z.string(), runId: z.string(), status: z.string(), endedAt: z.string(), seconds: secs, changes: z.record(z.string(), count).describe('changes by kind as the delta logged them') })),
  changes: z.strictObject({
    inserts: count, updates: count, deletions: count.describe('deleted in legacy: removed from the target, each logged'),
    logicalDeletions: count.describe('logical-deletion flag set'), logicalUndeletions: count.describe('logical-deletion flag cleared'),
    quarantined: count.describe('loaded records edited into an invalid state'), unquarantined: count.describe('quarantined records now valid, loaded'),
    dependents: count.describe('records re-derived because a record they link to changed'), auditAppended: count.describe('legacy audit entries appended to the chain'),
    removed: count.describe('records removed from the target'),
  }),
  applySeconds: secs.describe('time to apply the deltas'),
  verify: z.strictObject({
    ran: z.boolean(), current: z.boolean().describe('taken after the latest delta'), ok: z.boolean().nullable(),
    keys: nCount, defects: nCount, seconds: nNum, carried: z.boolean().describe('the full reconciliation was carried forward to now'), reason: nStr,
  }).describe('cutover reconcile --delta'),
  parity: z.strictObject({
    ran: z.boolean(), current: z.boolean(), ok: z.boolean().nullable(), workload: nCount, replayed: nCount.describe('queries whose results the deltas can have changed'), seconds: nNum,
  }).describe('cutover parity --delta'),
  verifySeconds: secs.describe('time to verify: reconcile --delta and the targeted parity, when taken after the latest delta'),
  windowSeconds: secs.describe('apply + verify'),
});
export type FreezeWindowArea = z.output<typeof FreezeWindowAreaSchema>;

export const ProvenanceSchema = z.strictObject({
  codeVersion: z.strictObject({ version: nStr.describe('package.json version'), commit: nStr.describe('git rev-parse --short HEAD') , dirty: z.boolean().nullable() }),
  options: z.record(z.string(), z.unknown()).describe('options the run and checks were given (secrets masked)'),
  sources: z.array(z.strictObject({ name: z.string(), identity: z.string().describe('URL or path, password masked') })),
  startedAt: nStr,
  endedAt: nStr,
});
export type Provenance = z.output<typeof ProvenanceSchema>;

export const GateCriterionSchema = z.strictObject({
  id: z.string(),
  description: z.string(),
  ok: z.boolean(),
  skipped: z.boolean().describe('switched off in the gate config (counts as ok)'),
  actual: z.union([z.string(), z.number(), z.boolean()]).nullable(),
  threshold: z.union([z.string(), z.number(), z.boolean()]).nullable(),
  reason: z.string(),
});
export const GateResultSchema = z.strictObject({
  go: z.boolean(),
  criteria: z.array(GateCriterionSchema),
  config: z.record(z.string(), z.unknown()).describe('the gate config used, defaults filled in'),
});
export type GateCriterion = z.output<typeof GateCriterionSchema>;
export type GateResult = z.output<typeof GateResultSchema>;

export const TargetSchema = z.strictObject({
  id: z.string().describe('the results folder of this target: <system identifier>-<database>'),
  systemIdentifier: z.string().describe('pg_control_system().system_identifier of the server'),
  database: z.string(),
  changes: nCount.describe('the change-tracking count now (null: the target has no change tracking)'),
  auditHead: z.strictObject({ seq: z.string(), hash: z.string() }).nullable().describe('the last row of audit.event now'),
  untracked: z.array(z.string()).describe('tables of record, migration and audit without the change-tracking trigger'),
});

export const SummarySchema = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  generatedAt: z.string(),
  digest: z.string().describe('SHA-256 (hex) of this summary\'s canonical JSON without generatedAt and digest: the same in summary.json, index.html, summary.md, junit.xml and the gate\'s output'),
  target: TargetSchema.optional().describe('the target the results were judged against'),
  provenance: ProvenanceSchema,
  checks: z.array(CheckStatus),
  areas: z.strictObject({
    completeness: Completeness,
    fidelity: Fidelity,
    searchParity: SearchParity,
    auditHistory: AuditHistory,
    deletion: Deletion,
    subjectAccess: SubjectAccess,
    dataQuality: DataQuality,
  }),
  freezeWindow: FreezeWindowAreaSchema.optional().describe('the deltas applied after the full load, their size, time and verification (absent without a delta)'),
  gate: GateResultSchema.optional().describe('the gate evaluated on this summary (written by writeReport)'),
});
export type Summary = z.output<typeof SummarySchema>;
export type Areas = Summary['areas'];
export type CheckStatusT = z.output<typeof CheckStatus>;
export type KeyExampleT = z.output<typeof KeyExample>;
export type CapabilityT = z.output<typeof Capability>;
export type StepT = z.output<typeof Step>;
export type ParityExampleT = z.output<typeof ParityExample>;

/** The JSON Schema of the summary (draft 2020-12), as written to summary.schema.json. */
export function summaryJsonSchema(): Record<string, unknown> {
  const defs = z.registry<{ id: string; description?: string }>();
  defs.add(KeyExample, { id: 'KeyExample', description: 'a legacy key named in an example' });
  defs.add(Found, { id: 'Found', description: 'an exact count (null when unknown) and capped examples' });
  defs.add(Capability, { id: 'Capability', description: 'one search capability\'s parity metrics and verdict' });
  defs.add(ParityExample, { id: 'ParityExample' });
  defs.add(Step, { id: 'Step', description: 'one migration step\'s counters' });
  defs.add(CheckStatus, { id: 'CheckStatus' });
  defs.add(GateCriterionSchema, { id: 'GateCriterion' });
  const js = z.toJSONSchema(SummarySchema, {
    io: 'output',
    unrepresentable: 'any',
    metadata: defs,
    // descriptions given with .describe() live in the global registry: carry them over
    override: (ctx) => {
      const d = z.globalRegistry.get(ctx.zodSchema)?.description;
      if (d && !ctx.jsonSchema.description) ctx.jsonSchema.description = d;
    },
  }) as Record<string, unknown>;
  return { ...js, $id: 'https://cutover.invalid/schema/summary-v1.json', title: `Cutover parity summary, schemaVersion ${SCHEMA_VERSION}` };
}
