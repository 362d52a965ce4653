// Search parity (search-catalog.md): catalog, oracle, workload, metrics, runner.
export * from './types.ts';
export {
  CATALOG, PARAMS, TARGET_ROLES, LEGACY_ROLES, capability, canonicalRole, isCapabilityId, validateParams, parseParams, parseDateInput,
  InvalidParamsError, type CapabilityDef, type ParamsOf, type Returns, type TargetRole,
} from './catalog.ts';
export { buildOracle, Oracle, type BuildOracleOptions, type OracleProgress, type OracleStats, type RunOptions } from './oracle.ts';
export { replayedWorkload, parseWorkload, loadWorkloadFile, generateWorkload, WorkloadFileError, type GenerateOptions, type InvalidQuery } from './workload.ts';
export { capabilityMetrics, CapabilityTally, notMigratedMatcher, percentile, type CapabilityResult, type QueryOutcome, type TargetRecord, type Example } from './metrics.ts';
export { runParity, searchOne, type ParityOptions, type ParityResult, type ParityProgress, type SearchOneOptions, type SearchOneResult, type SearchOneRecord } from './runner.ts';
export { readRestricted, readNotMigrated, IdentityMapper, auditIdentity, expectedTargetId } from './lineage.ts';
