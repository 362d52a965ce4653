// The kinds of stored check result (one file each in the results store). Apart from store.ts so
// that what store.ts imports (board-safe.ts) can name them without importing it back.
export const RESULT_KINDS = [
  'run', 'reconcile', 'parity', 'audit-verify', 'audit-reconcile', 'audit-completeness', 'erasure', 'residual-scan', 'sar', 'retention',
] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];
