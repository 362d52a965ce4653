// Whether a stored result still speaks for the target the report or gate runs against (issue 14).
//
//   foreign  taken on another target (server or database): counts as not run here
//   unbound  stored without a binding (an older version): counts as not run
//   stale    taken on this target, but the target changed after it: the gate fails and names the
//            check to run again
//   current  taken on this target, nothing changed since
//
// A result's state is the target's change count (tracking.change) and epoch when it was taken —
// before a read-only check read anything, after a writing check's own writes. Any committed write
// to record, migration or audit since moves the count, so the result is stale. `run` and
// `erasure` record actions rather than checks: later changes do not make them stale, but they
// order the checks (a check taken before the latest run or erasure is stale, and says so).
import { RESULT_KINDS, type ResultKind, type StoredResult } from './store.ts';
import { sameIdentity, type ChangeNote, type TargetNow } from './target.ts';

export const STANDINGS = ['current', 'stale', 'foreign', 'unbound'] as const;
export type Standing = (typeof STANDINGS)[number];
export interface Judgement {
  standing: Standing;
  /** why, in one line */
  reason: string;
  /** the command that takes the result again (stale, foreign, unbound), else null */
  rerun: string | null;
}

/** What to run to take a result of this kind again. */
export const RERUN: Record<ResultKind, string> = {
  run: 'cutover run',
  reconcile: 'cutover reconcile',
  parity: 'cutover parity',
  'audit-verify': 'cutover audit verify',
  'audit-reconcile': 'cutover audit reconcile',
  'audit-completeness': 'cutover audit completeness',
  erasure: 'cutover erase',
  'residual-scan': 'cutover residual-scan --person ID',
  sar: 'cutover sar … --parity',
  retention: 'cutover report',
};

/** Records of actions: they order the checks, later changes do not make them stale. */
export const ACTION_KINDS: readonly ResultKind[] = ['run', 'erasure'];

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export interface ChangesSince { transactions: number; latest: ChangeNote[] }

/** `1 transaction by psql at …: record.person, record.event_person` — what the change log says changed. */
function describe(notes: ChangesSince | null): string {
  if (!notes?.latest.length) return '';
  const one = (n: ChangeNote) => `by ${n.app || n.user || 'unknown'} at ${n.at}: ${n.tables.slice(0, 4).join(', ')}${n.tables.length > 4 ? `, … (${n.tables.length} tables)` : ''}`;
  const shown = notes.latest.slice(0, 2).map(one).join('; ');
  return ` (${plural(notes.transactions, 'transaction')}${notes.transactions > 2 ? ', the latest' : ''} ${shown})`;
}

/**
 * Judge every stored result against the target now. `notes` (optional) are the changes after the
 * earliest stale state, for the messages; the verdict never depends on them.
 */
export function judgeResults(results: Partial<Record<ResultKind, StoredResult | null>>, now: TargetNow, notes: ChangesSince | null = null): Partial<Record<ResultKind, Judgement>> {
  const out: Partial<Record<ResultKind, Judgement>> = {};
  const here = (k: ResultKind) => {
    const r = results[k];
    return r?.binding && sameIdentity(r.binding.target, now.identity) && r.binding.state?.epoch === now.state?.epoch ? r : null;
  };
  const run = here('run');
  const erasure = here('erasure');
  for (const kind of RESULT_KINDS) {
    const r = results[kind];
    if (!r) continue;
    const b = r.binding;
    if (!b) {
      out[kind] = { standing: 'unbound', reason: 'stored without a target binding (by an older version): not counted', rerun: RERUN[kind] };
      continue;
    }
    if (!sameIdentity(b.target, now.identity)) {
      out[kind] = { standing: 'foreign', reason: `taken on another target (database ${b.target.database} on server ${b.target.systemIdentifier}): not counted for this one`, rerun: RERUN[kind] };
      continue;
    }
    const stale = (why: string): Judgement => ({ standing: 'stale', reason: why, rerun: RERUN[kind] });
    if (!now.state) {
      out[kind] = stale('the target has no change tracking, so nothing shows it unchanged (run `cutover db migrate` first)');
      continue;
    }
    if (!b.state) {
      out[kind] = stale('taken before the target had change tracking');
      continue;
    }
    if (b.state.epoch !== now.state.epoch) {
      out[kind] = stale('the target database was recreated after it was taken');
      continue;
    }
    if (ACTION_KINDS.includes(kind)) {
      out[kind] = { standing: 'current', reason: 'taken on this target', rerun: null };
      continue;
    }
    const at = b.state.changes;
    if (at > now.state.changes) {
      out[kind] = stale(`the target's change log has fewer entries (${now.state.changes}) than when it was taken (${at}): it was tampered with`);
    } else if (run?.binding?.state && run.binding.state.changes > at) {
      out[kind] = stale(`taken before the latest run (stored ${run.savedAt})`);
    } else if (erasure?.binding?.state && erasure.binding.state.changes > at) {
      out[kind] = stale(`taken before the erasure of ${erasure.savedAt}`);
    } else if (now.state.changes > at) {
      out[kind] = stale(`the target changed after it was taken${describe(notes)}`);
    } else if ((b.auditHead?.seq ?? null) !== (now.auditHead?.seq ?? null) || (b.auditHead?.hash ?? null) !== (now.auditHead?.hash ?? null)) {
      out[kind] = stale(`the audit chain's head moved (seq ${b.auditHead?.seq ?? 'none'} then, ${now.auditHead?.seq ?? 'none'} now) with no change noted: were triggers disabled?`);
    } else {
      out[kind] = { standing: 'current', reason: 'taken on this target; nothing changed since', rerun: null };
    }
  }
  return out;
}

/** The change log position of the earliest stale result: `at` is the last change it had seen (null: none), to list what changed since. */
export function earliestStale(results: Partial<Record<ResultKind, StoredResult | null>>, judged: Partial<Record<ResultKind, Judgement>>): { at: string | null } | null {
  let best: { changes: number; at: string | null } | null = null;
  for (const k of RESULT_KINDS) {
    const s = results[k]?.binding?.state;
    if (judged[k]?.standing === 'stale' && s && (!best || s.changes < best.changes)) best = { changes: s.changes, at: s.lastChangeAt };
  }
  return best ? { at: best.at } : null;
}

/** A check's standing as the summary gives it (`not-run` when nothing is stored for this target). */
export function standingOf(kind: ResultKind, stored: boolean, t: { judged: Partial<Record<ResultKind, Judgement>>; elsewhere: Partial<Record<ResultKind, string[]>> }): { standing: Standing | 'not-run'; standingReason: string | null; rerun: string | null } {
  const j = t.judged[kind];
  if (stored && j) return { standing: j.standing, standingReason: j.reason, rerun: j.rerun };
  const others = t.elsewhere[kind];
  return { standing: 'not-run', standingReason: others?.length ? `a result of another target is on file and not counted (${others.join(', ')})` : null, rerun: RERUN[kind] };
}
