// One zod schema per kind of stored result, each exported by the check that stores it. The store
// parses every result it loads with its kind's schema (src/report/store.ts): a result that does not
// parse is "unreadable", which fails the gate (criterion results-readable); the report's readers
// get the parsed types, so a renamed field is a parse failure, never a guessed spelling or a 0.
import type { z } from 'zod';
import type { ResultKind } from './kinds.ts';
import { RunStoredSchema } from '../pipeline/stored.ts';
import { ReconcileStoredSchema } from '../reconcile/stored.ts';
import { ParityStoredSchema } from '../parity/stored.ts';
import { AuditCompletenessStoredSchema, AuditReconcileStoredSchema, AuditVerifyStoredSchema } from '../audit/stored.ts';
import { ErasureStoredSchema, ResidualScanStoredSchema, SarStoredSchema } from '../privacy/stored.ts';
import { RetentionStoredSchema } from './retention.ts';

export const RESULT_SCHEMAS = {
  run: RunStoredSchema,
  reconcile: ReconcileStoredSchema,
  parity: ParityStoredSchema,
  'audit-verify': AuditVerifyStoredSchema,
  'audit-reconcile': AuditReconcileStoredSchema,
  'audit-completeness': AuditCompletenessStoredSchema,
  erasure: ErasureStoredSchema,
  'residual-scan': ResidualScanStoredSchema,
  sar: SarStoredSchema,
  retention: RetentionStoredSchema,
} as const satisfies Record<ResultKind, z.ZodType>;

/** The parsed type of a stored result of kind K. */
export type ResultOf<K extends ResultKind> = z.output<(typeof RESULT_SCHEMAS)[K]>;

export type ParsedResult<K extends ResultKind> = { ok: true; data: ResultOf<K> } | { ok: false; problem: string };

/** Parse a stored result with its kind's schema; the problem names the first fields that do not fit. */
export function parseResult<K extends ResultKind>(kind: K, value: unknown): ParsedResult<K> {
  const r = RESULT_SCHEMAS[kind].safeParse(value);
  if (r.success) return { ok: true, data: r.data as ResultOf<K> };
  const issues = r.error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.join('.') : '(the result)'}: ${i.message}`);
  const more = r.error.issues.length > 3 ? ` (and ${r.error.issues.length - 3} more)` : '';
  return { ok: false, problem: `the ${kind} result does not match its schema: ${issues.join('; ')}${more}` };
}
