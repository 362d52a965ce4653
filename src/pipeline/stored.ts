// The stored 'run' result (src/checks/runs.ts): the schema the report and the gate parse it with.
// It is `{runs: RunResult[]}` (runner.ts), the latest run of each pipeline on the target.
import { z } from 'zod';

const count = z.number().int().nonnegative();
const seconds = z.number().nonnegative();

/** StepResult: one step's counters (BatchCounts summed over its batches). */
export const StepStoredSchema = z.looseObject({
  step: z.string(),
  entity: z.string(),
  sourceCount: count.nullable(),
  read: count,
  loaded: count,
  quarantined: count,
  excluded: count,
  superseded: count,
  orphans: count,
  /** warnings by code */
  warnings: z.record(z.string(), count),
  partitions: count,
  batches: count,
  seconds,
  complete: z.boolean(),
});

export const RunOfPipelineStoredSchema = z.looseObject({
  pipeline: z.string(),
  runId: z.string().nullable(),
  status: z.enum(['completed', 'already_complete', 'partial', 'dry_run']),
  startedAt: z.string(),
  endedAt: z.string(),
  seconds,
  source: z.string(),
  steps: z.array(StepStoredSchema),
});

export const RunStoredSchema = z.looseObject({ runs: z.array(RunOfPipelineStoredSchema) });
export type RunStored = z.output<typeof RunStoredSchema>;
export type StoredRun = z.output<typeof RunOfPipelineStoredSchema>;
export type StoredStep = z.output<typeof StepStoredSchema>;
