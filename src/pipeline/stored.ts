// The stored 'run' result (src/checks/runs.ts): the schema the report and the gate parse it with.
import { z } from 'zod';

export const RunStoredSchema = z.looseObject({});
export type RunStored = z.output<typeof RunStoredSchema>;
