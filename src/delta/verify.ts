// `cutover reconcile --delta` as a check. The changed keys are compared (reconcile/delta.ts) and
// the figures kept for the freeze window. A delta changes the target, so the full reconciliation
// taken before it is stale (the gate says so). It is carried forward to the target's state now
// only when nothing but deltas wrote to the target since it was taken — the change-tracking count
// when it was taken is where the first delta began, each delta began where the previous one
// ended, and the last one ended where this verification began — and every delta is verified.
// Then full reconciliation + the changed keys compared = the whole target reconciled.
import { withClient } from '../db/pool.ts';
import { reconcileDelta, type DeltaReconcileResult } from '../reconcile/delta.ts';
import { bindingOf, loadReadable, saveResult, type StoredResult } from '../report/store.ts';
import { readTarget, sourceIdentities } from '../report/target.ts';
import { loadFreezeWindow, rememberDeltaVerify, type DeltaApplied, type DeltaVerify } from './store.ts';
import type { Connections } from '../db/config.ts';
import type { CarriedDelta, ReconcileStored } from '../reconcile/stored.ts';
import type { JsonOf } from '../report/stored-fit.ts';
import type { ConservationResult, ManifestResult } from '../reconcile/types.ts';

const PROBLEM = 'reconcile --delta:';

/**
 * Why the change log from `start` (the full reconciliation's state) to `to` (now) is not made of
 * deltas alone, or null when it is. Counts are tracking.change rows (statement-level triggers).
 */
export function notOnlyDeltas(start: number, applied: DeltaApplied[], to: number): string | null {
  let at = start;
  const after = applied.filter((a) => (a.binding.state?.changes ?? 0) > start).sort((x, y) => (x.before?.changes ?? -1) - (y.before?.changes ?? -1));
  for (const a of after) {
    if (a.before?.changes !== at) return `the target changed outside the deltas before the delta of ${a.binding.takenAt}`;
    at = a.binding.state!.changes;
  }
  if (at !== to) return `the target changed outside the deltas after ${after.length ? `the delta of ${after[after.length - 1]!.binding.takenAt}` : 'the full reconciliation'}`;
  return after.length ? null : 'no delta since the full reconciliation';
}

async function unverifiedDeltas(url: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query<{ n: string }>(
    `SELECT count(*) AS n FROM migration.run r WHERE r.options->>'delta' = 'true' AND NOT EXISTS (SELECT 1 FROM migration.delta_verified v WHERE v.run_id = r.run_id)`)).rows[0]!.n));
}

function carried(prior: StoredResult<ReconcileStored>, r: DeltaReconcileResult, defects: number): { ok: boolean; result: ReconcileStored } {
  const full = prior.result;
  const base = full.delta ?? { fullOk: prior.ok, fullSavedAt: prior.savedAt, runs: [], keys: 0, defects: 0, verifiedAt: '' };
  const delta: CarriedDelta = { ...base, runs: [...new Set([...base.runs, ...r.runs])], keys: base.keys + r.keys, defects, verifiedAt: new Date().toISOString() };
  const ok = delta.fullOk && r.ok;
  const bad = r.steps.filter((s) => !s.ok).map((s) => `${PROBLEM} ${s.entity}: ${s.defects} defect(s) in the changed keys, e.g. ${s.examples[0]?.problem ?? '?'} ${s.examples[0]?.key ?? ''}`.trim());
  for (const c of r.conservation.filter((x) => !x.ok)) bad.push(`${PROBLEM} ${c.step} not conserved: source ${c.source} ≠ target ${c.target.total}`);
  if (r.manifest && !r.manifest.ok) bad.push(`${PROBLEM} the CRIMINT manifest does not match the export`);
  // the delta's control totals as they are stored (JSON), in place of the full reconciliation's
  const conservation: Array<JsonOf<ConservationResult>> = r.conservation;
  const manifest: JsonOf<ManifestResult> | null = r.manifest;
  return {
    ok,
    result: {
      ...full, ok, delta,
      controlTotals: { ...full.controlTotals, conservation, manifest: manifest ?? full.controlTotals.manifest },
      problems: [...bad, ...full.problems.filter((p) => !p.startsWith(PROBLEM))],
    },
  };
}

export interface DeltaVerification { result: DeltaReconcileResult; verify: DeltaVerify }

/** Compare the changed keys; keep the figures; carry the full reconciliation forward when the change log allows it. */
export async function checkReconcileDelta(c: Connections, pipelines?: string[]): Promise<DeltaVerification> {
  const before = await readTarget(c.databaseUrl);
  const r = await reconcileDelta({ ...c, pipelines });
  const after = await readTarget(c.databaseUrl);
  const sources = sourceIdentities(c);
  const defects = r.steps.reduce((a, s) => a + s.defects, 0);
  const { stored: prior, unreadable } = loadReadable('reconcile', before.id);
  const start = prior?.binding?.state?.epoch === before.state?.epoch ? prior?.binding?.state?.changes : undefined;
  let carryReason = unreadable !== null ? `the full reconciliation on file cannot be read (${unreadable}): run \`cutover reconcile\` again`
    : !prior ? 'no full reconciliation of this target on file'
    : start === undefined || !before.state ? 'the full reconciliation was not taken on this target as it is now (another epoch, or no change tracking)'
      : notOnlyDeltas(start, loadFreezeWindow(before).applied, before.state.changes);
  // its own write (the runs marked verified) is one change; any other is someone else's
  const own = r.ok && r.runs.length ? 1 : 0;
  if (!carryReason && before.state && after.state && after.state.changes - before.state.changes !== own) carryReason = 'the target changed while the delta was verified';
  const pending = await unverifiedDeltas(c.databaseUrl);
  if (!carryReason && r.ok && pending) carryReason = `${pending} delta run(s) not verified (run \`cutover reconcile --delta\` for every pipeline)`;
  if (!carryReason && prior) {
    const { ok, result } = carried(prior, r, defects);
    saveResult(bindingOf(after, sources), 'reconcile', ok, result);
  }
  const verify: DeltaVerify = {
    before: before.state, binding: bindingOf(after, sources), ok: r.ok, runs: r.runs, keys: r.keys, defects,
    conservationOk: r.conservation.every((x) => x.ok), manifestOk: r.manifest ? r.manifest.ok : null, seconds: r.seconds,
    carried: !carryReason, carryReason: carryReason ?? `the full reconciliation of ${prior!.savedAt} carried forward with the changed keys`,
  };
  rememberDeltaVerify(before.id, verify);
  return { result: r, verify };
}
