// The stored results of the target a report or gate runs against, judged against its state now.
import { RESULT_KINDS, loadReadable, otherTargetsWith, type ResultKind, type StoredResult, type StoredResults } from './store.ts';
import { changesAfter, readTarget, type TargetNow } from './target.ts';
import { earliestStale, judgeResults, type Judgement } from './freshness.ts';

/** A result whose file cannot be read: passed on as a failed result naming the problem (never as "not run"). */
export type UnreadableResult = StoredResult & { unreadable: string };

export interface TargetResults {
  now: TargetNow;
  results: StoredResults;
  judged: Partial<Record<ResultKind, Judgement>>;
  /** kinds with no result for this target but one on file for another */
  elsewhere: Partial<Record<ResultKind, string[]>>;
}

/** Every stored result of one target, parsed with its kind's schema; one that cannot be read comes back as a failed result naming the problem. */
export function loadStoredResults(targetId: string): StoredResults {
  const out: StoredResults = {};
  for (const k of RESULT_KINDS) {
    const { stored, unreadable } = loadReadable(k, targetId);
    if (stored) out[k] = stored;
    else if (unreadable !== null) {
      const failed: UnreadableResult = { kind: k, savedAt: '', ok: false, result: null, unreadable };
      out[k] = failed;
    }
  }
  return out;
}

/** Read the target at `url`, load its results, judge each (current, stale, foreign, unbound). */
export async function loadTargetResults(url: string): Promise<TargetResults> {
  const now = await readTarget(url);
  const results = loadStoredResults(now.id);
  let judged = judgeResults(results, now);
  const since = earliestStale(results, judged);
  if (since && now.state) judged = judgeResults(results, now, await changesAfter(url, since.at));
  const elsewhere: TargetResults['elsewhere'] = {};
  for (const k of RESULT_KINDS) {
    if (results[k]) continue;
    const others = otherTargetsWith(k, now.id);
    if (others.length) elsewhere[k] = others;
  }
  return { now, results, judged, elsewhere };
}
