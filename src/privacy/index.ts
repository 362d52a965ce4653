// Deletion, restriction, erasure and subject access, with proof (compliance.md s.45, s.47).
export { restrict, type RestrictOptions, type RestrictResult } from './restrict.ts';
export { erase, refreshDependentViews, type EraseOptions, type EraseResult } from './erase.ts';
export {
  residualScan, scanPlan, textPrefilter, SHAPE_PATTERN, SCANNED_SCHEMAS,
  type ResidualScanOptions, type ResidualScanResult, type ResidualHit, type RetainedHit, type ScannedTable,
} from './residual-scan.ts';
export { erasedIds, findTokens, type ErasureTokens, type IdentifierKind } from './tokens.ts';
export { IdentifierMatcher } from './matcher.ts';
export {
  subjectAccess, type SubjectAccessOptions, type SubjectAccessResult, type SarDocument, type SarCounts, type SarParity, type SarParityRecord,
} from './sar.ts';
export { renderSarHtml } from './sar-html.ts';
export { buildS45, type S45Information } from './sar-info.ts';
