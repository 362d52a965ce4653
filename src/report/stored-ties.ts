// Compile-time ties of each check's result type to the schema its stored result is parsed with
// (result-schemas.ts): tsc fails here when a producer drops, renames or retypes a field its schema
// requires. Nothing imports this file (tsc checks every file of src): the schemas stay free of
// imports of their producers, which import the store that imports the schemas. What board-safe.ts
// rewrites (parity examples, errors, invalid queries) is checked at runtime instead: saveResult
// parses what it writes, so a drift there fails at once in the tests.
import type { z } from 'zod';
import type { Fits, JsonOf, StoredForm } from './stored-fit.ts';
import type { RunResult } from '../pipeline/runner.ts';
import type { RunStoredSchema } from '../pipeline/stored.ts';
import type { ReconcileResult } from '../reconcile/types.ts';
import type { ReconcileStoredSchema } from '../reconcile/stored.ts';
import type { ParityResult } from '../parity/runner.ts';
import type { CapabilityResult } from '../parity/metrics.ts';
import type { CapabilityFiguresSchema, ParityFiguresSchema, WorkloadFiguresSchema } from '../parity/stored.ts';
import type { verifyAnchored } from '../audit/anchored.ts';
import type { AuditReconcileResult } from '../audit/reconcile.ts';
import type { AuditCompletenessResult } from '../audit/completeness.ts';
import type { AuditCompletenessStoredSchema, AuditReconcileStoredSchema, AuditVerifyStoredSchema } from '../audit/stored.ts';
import type { EraseResult } from '../privacy/erase.ts';
import type { ResidualScanResult } from '../privacy/residual-scan.ts';
import type { SubjectAccessResult } from '../privacy/sar.ts';
import type { ErasureStoredSchema, ResidualScanStoredSchema, SarStoredSchema } from '../privacy/stored.ts';

/** The runs the runner returns (Dates as JSON makes them) fit the run schema. */
export function runFitsItsSchema(runs: Array<JsonOf<RunResult>>): z.input<typeof RunStoredSchema> {
  return { runs };
}

/** What the reconciliation returns fits the reconcile schema. */
export function reconcileFitsItsSchema(r: JsonOf<ReconcileResult>): z.input<typeof ReconcileStoredSchema> {
  return r;
}

export type CapabilityFits = Fits<CapabilityResult, StoredForm<typeof CapabilityFiguresSchema>>;
export type ParityFits = Fits<ParityResult, StoredForm<typeof ParityFiguresSchema>>;
export type WorkloadFits = Fits<ParityResult['workload'], StoredForm<typeof WorkloadFiguresSchema>>;
export type VerifyFits = Fits<Awaited<ReturnType<typeof verifyAnchored>>, StoredForm<typeof AuditVerifyStoredSchema>>;
export type AuditReconcileFits = Fits<AuditReconcileResult, StoredForm<typeof AuditReconcileStoredSchema>>;
export type CompletenessFits = Fits<AuditCompletenessResult, StoredForm<typeof AuditCompletenessStoredSchema>>;
export type ErasureFits = Fits<EraseResult, StoredForm<typeof ErasureStoredSchema>>;
export type ResidualScanFits = Fits<ResidualScanResult, StoredForm<typeof ResidualScanStoredSchema>>;
export type SarFits = Fits<SubjectAccessResult, StoredForm<typeof SarStoredSchema>>;
