// The stored 'parity' result (board-safe, src/report/board-safe.ts): the schema the report and the gate parse it with.
import { z } from 'zod';

export const ParityStoredSchema = z.looseObject({});
export type ParityStored = z.output<typeof ParityStoredSchema>;
