// buildSummary: the stored check results → the versioned, structured summary (schema.ts) that the
// HTML, Markdown and JSON reports render and the gate evaluates.
import { RESULT_KINDS, type ResultKind, type StoredResult } from './store.ts';
import { SCHEMA_VERSION, SummarySchema, type Summary } from './schema.ts';
import { inputOf, type Input } from './read.ts';
import { completenessArea, dataQualityArea, fidelityArea } from './areas-records.ts';
import { searchParityArea, subjectAccessArea } from './areas-search.ts';
import { auditArea, deletionArea } from './areas-audit.ts';
import type { KeptAnchorLike } from './areas-anchors.ts';
import { buildProvenance, maskSecrets, type ProvenanceInput } from './provenance.ts';
import type { Provenance } from './schema.ts';

export { SummarySchema, SCHEMA_VERSION, summaryJsonSchema, AREA_IDS, type Summary, type AreaId, type Light, type Provenance, type GateResult, type GateCriterion } from './schema.ts';
export type { ProvenanceInput } from './provenance.ts';

export type StoredResults = Partial<Record<ResultKind, StoredResult | null>>;

export interface SummaryOptions {
  /** generation time (default: now) */
  now?: Date;
  /** quarantine share above which data quality is red (default 0.05, the gate's default) */
  maxQuarantineShare?: number;
  /** the audit anchors kept for the verified target (compared with the chain the verify saw) */
  anchors?: KeptAnchorLike[];
}

/** Build the summary from the stored results (missing ones are "not run"). Never throws on a result's shape. */
export function buildSummary(results: StoredResults, provenance?: ProvenanceInput | Provenance, options: SummaryOptions = {}): Summary {
  const inputs = {} as Record<ResultKind, Input>;
  for (const k of RESULT_KINDS) inputs[k] = inputOf(k, results[k]);
  const clean: Partial<Record<ResultKind, StoredResult>> = {};
  for (const k of RESULT_KINDS) if (results[k]) clean[k] = results[k]!;

  const completeness = completenessArea(inputs.run, inputs.reconcile);
  for (const r of completeness.runs) if (r.source) r.source = maskSecrets(r.source);
  const summary: Summary = {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: (options.now ?? new Date()).toISOString(),
    provenance: buildProvenance(provenance, clean),
    checks: RESULT_KINDS.map((k) => ({ kind: k, present: inputs[k].present, ok: inputs[k].ok, savedAt: inputs[k].savedAt, problems: inputs[k].problems })),
    areas: {
      completeness,
      fidelity: fidelityArea(inputs.reconcile),
      searchParity: searchParityArea(inputs.parity),
      auditHistory: auditArea(inputs['audit-verify'], inputs['audit-reconcile'], inputs['audit-completeness'], options.anchors),
      deletion: deletionArea(inputs.run, inputs.erasure, inputs['residual-scan']),
      subjectAccess: subjectAccessArea(inputs.sar),
      dataQuality: dataQualityArea(inputs.run, inputs.reconcile, inputs.retention, options.maxQuarantineShare ?? 0.05),
    },
  };
  // The builders produce the schema by construction; parsing here catches a drift at once.
  const parsed = SummarySchema.safeParse(summary);
  if (!parsed.success) {
    throw new Error(`internal: the summary does not match its schema: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
