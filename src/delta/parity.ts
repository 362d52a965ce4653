// `cutover parity --delta`: inside the freeze window, the parity workload replays only the
// searches whose answers the deltas can have changed (reach.ts), on both sides, with the parity
// runner itself. The figures go to the freeze window; the full parity taken before the deltas is
// carried forward to the target's state now when nothing but deltas wrote since it (as
// reconcile --delta carries the full reconciliation), with any capability the replay found short.
import { withClient } from '../db/pool.ts';
import { validateParams } from '../parity/catalog.ts';
import { parseIdentity, ENT } from '../parity/oracle-store.ts';
import { searchAdapter, withSources, type ParityCheckOptions } from '../checks/index.ts';
import { runParity, type ParityResult } from '../parity/runner.ts';
import { bindingOf, loadReadable, saveResult, type StoredResult } from '../report/store.ts';
import type { ParityDeltaNote, ParityStored } from '../parity/stored.ts';
import { readTarget, sourceIdentities } from '../report/target.ts';
import { deltaReach, searchWords, compact, type DeltaReach } from './reach.ts';
import { loadFreezeWindow, rememberDeltaParity, type DeltaParity } from './store.ts';
import { notOnlyDeltas } from './verify.ts';
import type { Oracle } from '../parity/oracle.ts';
import type { CapabilityId, Query } from '../parity/types.ts';
import type { Connections } from '../db/config.ts';

/** Parameters that are ranges or tolerances, not values a record holds: left out of the word match. */
const RANGES = new Set(['from', 'to', 'onDate', 'minAge', 'maxAge', 'birthYear', 'tolerance']);
/** Parameters that are wildcard patterns (S03, S10). */
const PATTERNS = new Set(['pattern']);
/** Queries made about the changed people, per capability (the first, in key order). */
const MADE_PER_CAPABILITY = 50;

const ITEM = /^(.*)\/(?:aliases|addresses|phones|vehicles|locations)\/\d+$/;

function patternRegex(p: string): RegExp {
  const literal = (ch: string) => compact(ch).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${[...p].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : literal(ch))).join('')}$`, 'u');
}

/**
 * Whether a query's answer can have changed with the deltas: its legacy answer holds a changed
 * record (or an alias or inline item of one, or a record the target links to one); it names a
 * changed person's key (S17); or one of its values (names, dates of birth, postcodes, VRMs,
 * numbers, references, words) is a word of a value the target holds for one of those records —
 * so a record the target still finds by an old value is replayed too. Ranges (dates, ages,
 * tolerance) are not matched as values; patterns are matched against whole values.
 */
export function touches(reach: DeltaReach, q: Query, legacy: string[]): boolean {
  for (const id of legacy) if (reach.identities.has(id) || reach.identities.has(ITEM.exec(id)?.[1] ?? '')) return true;
  const nominal = q.capability === 'S17' ? String(q.params.nominal ?? '') : null;
  if (nominal && (reach.identities.has(`CRIS:NOMINAL:${nominal}`) || reach.identities.has(`CRIMINT:nominals.json:${nominal}`))) return true;
  for (const [k, v] of Object.entries(q.params)) {
    if (RANGES.has(k)) continue;
    if (PATTERNS.has(k) && typeof v === 'string') {
      const re = patternRegex(v);
      for (const value of reach.values) if (re.test(value)) return true;
      continue;
    }
    for (const w of searchWords(v)) if (reach.words.has(w)) return true;
  }
  return false;
}

/** Queries about the changed people still in the legacy data: exact name (S01), date of birth (S04), linked events (S17), subject access (S20). */
export function queriesAbout(reach: DeltaReach, oracle: Oracle): Query[] {
  const by = new Map<CapabilityId, Query[]>();
  const add = (capability: CapabilityId, params: Record<string, unknown>) => {
    const list = by.get(capability) ?? [];
    if (list.length >= MADE_PER_CAPABILITY) return;
    const v = validateParams(capability, params);
    if (v.ok) by.set(capability, [...list, { capability, params: v.params as Record<string, unknown>, origin: 'generated', note: 'delta-changed' }]);
  };
  for (const identity of reach.people) {
    const r = parseIdentity(identity);
    if (!r || (r.ent !== ENT.CRIS_NOMINAL && r.ent !== ENT.CRIMINT_NOMINAL)) continue;
    add('S17', { nominal: r.key });
    const slot = oracle.personSlot(identity);
    const p = slot === undefined ? null : oracle.personSearchInput(slot);
    if (!p) continue;
    add('S01', { surname: p.surname, ...(p.forenames ? { forenames: p.forenames } : {}) });
    if (p.dob) add('S04', { dob: p.dob });
    if (p.dob && p.forenames) add('S20', { surname: p.surname, forenames: p.forenames, dob: p.dob });
  }
  return [...by.values()].flat();
}

export interface ParityDeltaResult {
  parity: ParityResult;
  /** runs and keys covered */
  runs: string[];
  changedKeys: number;
  record: DeltaParity;
  carried: boolean;
  carryReason: string;
}

/** The full parity with the replay's capabilities that fell short put in place of its own (saveResult makes those board-safe). */
function carried(prior: StoredResult<ParityStored>, r: ParityResult, runs: string[], replayed: number) {
  const full = prior.result;
  const short = new Map(r.capabilities.filter((c) => c.queries > 0 && c.verdict !== 'PARITY').map((c) => [c.id, c]));
  const capabilities = full.capabilities.map((c) => short.get(c.id) ?? c);
  const base: ParityDeltaNote = full.delta ?? { fullOk: prior.ok, fullSavedAt: prior.savedAt, runs: [], replayed: 0, verifiedAt: '' };
  const ok = base.fullOk && r.ok;
  return { ok, result: { ...full, ok, capabilities, delta: { ...base, runs: [...new Set([...base.runs, ...runs])], replayed: base.replayed + replayed, verifiedAt: new Date().toISOString() } } };
}

/** Replay the searches the deltas can have changed; keep the figures; carry the full parity forward when the change log allows it. */
export async function checkParityDelta(c: Connections, opts: ParityCheckOptions = {}): Promise<ParityDeltaResult> {
  const before = await readTarget(c.databaseUrl);
  const reach = await withClient(c.databaseUrl, (client) => deltaReach(client));
  const adapter = searchAdapter(c, opts);
  let r: ParityResult;
  try {
    r = await withSources(c, (s) => runParity({
      ...s, targetUrl: c.databaseUrl, adapter, capabilities: opts.capabilities, workloadFile: opts.workloadFile, onProgress: opts.onProgress,
      moreQueries: (oracle) => queriesAbout(reach, oracle),
      replay: (q, legacy) => touches(reach, q, legacy),
    }));
  } finally {
    await adapter.close();
  }
  const selection = r.selection;
  if (!selection) throw new Error('internal: the parity runner gave no selection for a replay');
  const after = await readTarget(c.databaseUrl);
  const sources = sourceIdentities(c);
  const { stored: prior, unreadable } = loadReadable('parity', before.id);
  const start = prior?.binding?.state?.epoch === before.state?.epoch ? prior?.binding?.state?.changes : undefined;
  let carryReason = unreadable !== null ? `the full parity on file cannot be read (${unreadable}): run \`cutover parity\` again`
    : !prior ? 'no full parity of this target on file'
      : start === undefined || !before.state ? 'the full parity was not taken on this target as it is now (another epoch, or no change tracking)'
        : notOnlyDeltas(start, loadFreezeWindow(before).applied, before.state.changes);
  if (!carryReason && before.state && after.state && after.state.changes !== before.state.changes) carryReason = 'the target changed while the searches were replayed';
  if (!carryReason && prior) {
    const { ok, result } = carried(prior, r, reach.runs, selection.replayed);
    saveResult(bindingOf(before, sources), 'parity', ok, result);
  }
  const replayed = r.capabilities.filter((x) => x.queries > 0);
  const record: DeltaParity = {
    binding: bindingOf(before, sources), ok: r.ok, workload: selection.workload, replayed: selection.replayed,
    capabilities: replayed.map((x) => ({ id: x.id, queries: x.queries, verdict: x.verdict })), seconds: r.seconds,
  };
  rememberDeltaParity(before.id, record);
  return { parity: r, runs: reach.runs, changedKeys: reach.changedKeys, record, carried: !carryReason, carryReason: carryReason ?? `the full parity of ${prior!.savedAt} carried forward with the replayed searches` };
}
