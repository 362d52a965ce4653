// The `run` result: the latest run of each pipeline on this target (an 'already complete' call
// keeps the earlier one), bound to the target's state after the run's writes.
import { loadReadable, saveResult, bindingOf, type StoredResult } from '../report/store.ts';
import { readTarget, sourceIdentities } from '../report/target.ts';
import type { RunResult } from '../pipeline/runner.ts';
import type { RunStored, StoredRun } from '../pipeline/stored.ts';
import type { CheckSources } from './record.ts';

export async function rememberRuns(databaseUrl: string, sources: CheckSources, results: RunResult[]): Promise<StoredResult<RunStored>> {
  const now = await readTarget(databaseUrl);
  const prevStored = loadReadable('run', now.id).stored; // an unreadable earlier result is replaced
  // runs stored before the database was recreated are not this target's
  const prev = prevStored && prevStored.binding?.state?.epoch === now.state?.epoch ? prevStored.result.runs : [];
  const byName = new Map<string, StoredRun | RunResult>(prev.map((r) => [r.pipeline, r]));
  for (const r of results) if (r.status !== 'already_complete' || !byName.has(r.pipeline)) byName.set(r.pipeline, r);
  const runs = [...byName.values()];
  return saveResult(bindingOf(now, sourceIdentities(sources)), 'run', runs.every((r) => r.status === 'completed' || r.status === 'already_complete'), { runs });
}
