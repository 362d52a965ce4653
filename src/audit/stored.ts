// The stored audit results ('audit-verify', 'audit-reconcile', 'audit-completeness'): the schemas the report and the gate parse them with.
import { z } from 'zod';

export const AuditVerifyStoredSchema = z.looseObject({});
export const AuditReconcileStoredSchema = z.looseObject({});
export const AuditCompletenessStoredSchema = z.looseObject({});
