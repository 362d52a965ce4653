// The audit trail: hash chain (append, verify), legacy audit mapping rules, reconciliation and
// completeness (compliance.md "Audit history"). See src/audit/README.md.
export * from './canonical.ts';
export { appendAudit, storableRow, AUDIT_CHAIN_LOCK_KEY, AUDIT_COPY_COLUMNS, type AppendResult } from './chain.ts';
export { verifyChain, ChainVerifier, VERIFY_COPY_SQL, type VerifyResult, type VerifyOptions, type ChainBreak } from './verify.ts';
export { parseAnchor, formatAnchor, readAnchors, keepAnchor, chainHead, targetKey, anchorsFile, ANCHORS_FILE, type Anchor, type KeptAnchor } from './anchors.ts';
export { compareAnchors, checkAnchors, type AnchorCheck, type AnchorBreak } from './anchor-check.ts';
export { verifyAnchored, keptAnchors, recordHead } from './anchored.ts';
export * from './legacy-rules.ts';
export { legacyPass, expectedOf, lookupTarget, londonMonth, AUDIT_MAPPINGS, type Expected, type TargetRow, type Joined, type PassResult } from './legacy-pass.ts';
export { auditReconcile, compareAudit, COMPARED_FIELDS, type AuditReconcileOptions, type AuditReconcileResult } from './reconcile.ts';
export { auditCompleteness, type AuditCompletenessOptions, type AuditCompletenessResult, type Gap, type GapCount } from './completeness.ts';
export { BloomFilter } from './bloom.ts';
