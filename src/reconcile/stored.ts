// The stored 'reconcile' result (board-safe, src/report/board-safe.ts): the schema the report and the gate parse it with.
import { z } from 'zod';

export const ReconcileStoredSchema = z.looseObject({});
export type ReconcileStored = z.output<typeof ReconcileStoredSchema>;
