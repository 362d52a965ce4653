// buildSummary: the stored check results → the versioned, structured summary (schema.ts) that the
// HTML, Markdown and JSON reports render and the gate evaluates.
import { RESULT_KINDS, type ResultKind, type StoredResult, type StoredResults } from './store.ts';
import { SCHEMA_VERSION, SummarySchema, type Summary } from './schema.ts';
import { inputOf, type Input } from './read.ts';
import { completenessArea, dataQualityArea, fidelityArea } from './areas-records.ts';
import { searchParityArea, subjectAccessArea } from './areas-search.ts';
import { auditArea, deletionArea } from './areas-audit.ts';
import type { KeptAnchorLike } from './areas-anchors.ts';
import { buildProvenance, maskSecrets, type ProvenanceInput } from './provenance.ts';
import type { Provenance } from './schema.ts';
import type { TargetResults } from './load.ts';
import { standingOf } from './freshness.ts';
import { summaryDigest } from './digest.ts';
import { freezeWindowArea } from './freeze-window.ts';
import type { FreezeWindow } from '../delta/store.ts';

export { SummarySchema, SCHEMA_VERSION, summaryJsonSchema, AREA_IDS, type Summary, type AreaId, type Light, type Provenance, type GateResult, type GateCriterion } from './schema.ts';
export type { ProvenanceInput } from './provenance.ts';

export type { StoredResults } from './store.ts';

export interface SummaryOptions {
  /** generation time (default: now) */
  now?: Date;
  /** quarantine share above which data quality is red (default 0.05, the gate's default) */
  maxQuarantineShare?: number;
  /** the audit anchors kept for the verified target (compared with the chain the verify saw) */
  anchors?: KeptAnchorLike[];
  /** the target the results are judged against (loadTargetResults): foreign and unbound results count as not run, stale ones are marked */
  target?: Pick<TargetResults, 'now' | 'judged' | 'elsewhere'>;
  /** the target's freeze window (src/delta/store.ts): the report's freeze-window section when a delta was applied after the latest run */
  freezeWindow?: FreezeWindow;
}

/** Build the summary from the stored results (missing ones are "not run"; one its schema rejects is unreadable). Never throws on a result's shape. */
export function buildSummary(results: StoredResults, provenance?: ProvenanceInput | Provenance, options: SummaryOptions = {}): Summary {
  const t = options.target;
  // a result of another target, or one stored without a binding, counts as not run here
  const counted = (k: ResultKind) => (t && ['foreign', 'unbound'].includes(t.judged[k]?.standing ?? '') ? null : results[k]);
  const inputs = Object.fromEntries(RESULT_KINDS.map((k) => [k, inputOf(k, counted(k))])) as { [K in ResultKind]: Input<K> };
  const clean: Partial<Record<ResultKind, StoredResult>> = {};
  for (const k of RESULT_KINDS) if (counted(k)) clean[k] = counted(k)!;

  const completeness = completenessArea(inputs.run, inputs.reconcile);
  for (const r of completeness.runs) if (r.source) r.source = maskSecrets(r.source);
  const summary: Summary = {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: (options.now ?? new Date()).toISOString(),
    digest: '',
    provenance: buildProvenance(provenance, clean),
    ...(t ? { target: { id: t.now.id, ...t.now.identity, changes: t.now.state?.changes ?? null, auditHead: t.now.auditHead, untracked: t.now.untracked } } : {}),
    checks: RESULT_KINDS.map((k) => ({
      kind: k, present: inputs[k].present, ok: inputs[k].ok, savedAt: inputs[k].savedAt, problems: inputs[k].problems, unreadable: inputs[k].unreadable,
      ...(t ? standingOf(k, Boolean(results[k]), t) : {}),
    })),
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
  const fw = options.freezeWindow ? freezeWindowArea(options.freezeWindow, counted('run')?.binding?.state?.changes ?? null) : null;
  if (fw) summary.freezeWindow = fw;
  summary.digest = summaryDigest(summary);
  // The builders produce the schema by construction; parsing here catches a drift at once.
  const parsed = SummarySchema.safeParse(summary);
  if (!parsed.success) {
    throw new Error(`internal: the summary does not match its schema: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
