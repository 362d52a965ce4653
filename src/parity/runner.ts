// The search-parity run: build the oracle once over the legacy sources, assemble the workload
// (replayed legacy searches, generated queries, an optional --workload file), run every query on
// both sides, map target ids to legacy identities through lineage, compute per-capability
// metrics and verdicts. The adapter is the caller's: the runner does not close it.
import type { Source } from '../sources/types.ts';
import { connect } from '../db/pool.ts';
import { freshenStatistics } from '../db/statistics.ts';
import { CAPABILITY_IDS, NotSupportedError, type CapabilityId, type Query, type TargetSearchAdapter } from './types.ts';
import { validateParams } from './catalog.ts';
import { buildOracle, type Oracle, type OracleProgress, type OracleStats } from './oracle.ts';
import { generateWorkload, loadWorkloadFile, replayedWorkload, type InvalidQuery } from './workload.ts';
import { CapabilityTally, notMigratedMatcher, type CapabilityResult, type QueryDifference, type QueryOutcome } from './metrics.ts';
import { IdentityMapper, expectedTargetId, readNotMigrated, readRestricted } from './lineage.ts';
import { InvalidParamsError } from './catalog.ts';
import { AGREEMENT_PIECE, sameOrReachable, type AgreementContext, type Same } from './agreement.ts';

export type ParityProgress =
  | OracleProgress
  | { phase: 'target-state'; restricted: number; notMigrated: number }
  | { phase: 'workload'; replayed: number; generated: number; file: number; invalid: number }
  | { phase: 'capability'; capability: CapabilityId; done: number; total: number };

export interface ParityOptions {
  crisSource: Source;
  crimintSource: Source;
  /** Target PostgreSQL (lineage, restriction, quarantine), whatever the adapter searches. */
  targetUrl: string;
  adapter: TargetSearchAdapter;
  /** Capabilities to check (default all, S01–S20). */
  capabilities?: CapabilityId[];
  /** JSON-lines workload file, added to the replayed and generated queries. */
  workloadFile?: string;
  /** Generated queries per capability (default 50; 0 = none). */
  generatedPerCapability?: number;
  /** Replayed legacy searches per capability, a seeded sample (default 500; Infinity = all). */
  replayedPerCapability?: number;
  /** Seed of the sampling (default 20240601). */
  seed?: number;
  /** Worked examples per kind (lost, extra) per capability (default 5). */
  maxExamples?: number;
  /** A previously built oracle (same legacy data), to skip the build. */
  oracle?: Oracle;
  onProgress?: (p: ParityProgress) => void;
  /** Every query with a difference, as it is run (`parity --differences`). */
  onDifference?: (d: QueryDifference) => void;
  /** More queries, made once the oracle is built (`parity --delta`: queries about the changed records). */
  moreQueries?: (oracle: Oracle) => Query[];
  /** Run on the target only the queries this keeps, given the legacy answer (`parity --delta`); the others are counted, not run. */
  replay?: (query: Query, legacy: string[]) => boolean;
}

export interface ParityResult {
  /** True when every checked capability has verdict PARITY. */
  ok: boolean;
  adapter: string;
  seconds: number;
  capabilities: CapabilityResult[];
  oracle: OracleStats;
  workload: {
    replayed: { seen: number; used: number };
    generated: number;
    /** Capabilities that got fewer generated queries than asked (too little data). */
    generatedShortfall: { capability: CapabilityId; generated: number }[];
    file: { path: string; queries: number } | null;
    /** Invalid replayed legacy searches (count and the first 200). */
    invalidCount: number;
    invalid: InvalidQuery[];
  };
  target: { restricted: number; notMigrated: number };
  /** With `replay`: queries of the workload, and those run on both sides. */
  selection?: { workload: number; replayed: number };
}

const isNotSupported = (err: unknown) => err instanceof NotSupportedError || (err as Error | null)?.name === 'NotSupportedError';

/** The queries of a parity run: replayed legacy searches, generated ones, a workload file's, and the caller's. */
function assembleWorkload(oracle: Oracle, opts: ParityOptions, caps: CapabilityId[], restricted: Set<string>, fileQueries: Query[]) {
  const selected = new Set<CapabilityId>(caps);
  const replayed = replayedWorkload(oracle, caps);
  const perCap = opts.generatedPerCapability ?? 50;
  const generated = perCap > 0 ? generateWorkload(oracle, { perCapability: perCap, restricted, capabilities: caps, seed: opts.seed }) : { queries: [], shortfall: [] };
  const fromFile = fileQueries.filter((q) => selected.has(q.capability));
  const more = opts.moreQueries ? opts.moreQueries(oracle).filter((q) => selected.has(q.capability)) : [];
  const summary: ParityResult['workload'] = {
    replayed: { seen: replayed.seen, used: replayed.queries.length },
    generated: generated.queries.length,
    generatedShortfall: generated.shortfall,
    file: opts.workloadFile ? { path: opts.workloadFile, queries: fromFile.length } : null,
    invalidCount: replayed.invalidCount,
    invalid: replayed.invalid,
  };
  return { queries: [...replayed.queries, ...generated.queries, ...fromFile, ...more], summary, file: fromFile.length };
}

/** What one capability's run needs besides its queries. */
interface CapabilityContext extends AgreementContext {
  opts: ParityOptions;
  restricted: Set<string>;
}

/**
 * Every query of one capability on both sides: the legacy answer (and, when records were not
 * migrated, what the target can reach), the target's answer mapped to legacy identities, tallied
 * one by one and dropped (a query may find 170,000 records). An answer that agrees is checked a
 * piece at a time (agreement.ts); one that differs is held whole to say what differs. Returns the
 * capability's result and how many queries `replay` skipped.
 */
async function runCapability(cap: CapabilityId, queries: Query[], ctx: CapabilityContext): Promise<{ result: CapabilityResult; skipped: number }> {
  const { oracle, opts, restricted, notMigrated } = ctx;
  const tally = new CapabilityTally(cap, { notMigrated: ctx.isNotMigrated, describe: (id) => oracle.describe(id), maxExamples: opts.maxExamples, onDifference: opts.onDifference });
  let skipped = 0;
  const progress = (i: number) => {
    if ((i + 1) % 25 === 0) opts.onProgress?.({ phase: 'capability', capability: cap, done: i + 1, total: queries.length });
  };
  const legacyOf = (query: Query) => oracle.find(cap, query.params, { restricted });
  // what the target can reach, asked only when its answer is not the oracle's (see QueryOutcome)
  const reachableOf = (query: Query) => (notMigrated.size > 0 ? () => oracle.find(cap, query.params, { restricted, absent: notMigrated }) : undefined);
  for (const [i, query] of queries.entries()) {
    // with `replay`, the legacy answer decides whether the query runs; otherwise it is found below
    let legacy: string[] | null = null;
    if (opts.replay) {
      legacy = legacyOf(query);
      if (!opts.replay(query, legacy)) {
        skipped++;
        continue;
      }
    }
    // most answers agree: read and checked a piece at a time, without holding either side whole
    if (legacy === null && opts.adapter.searchPieces && cap !== 'S20') {
      const same = await piecewiseSame(opts.adapter, query, ctx);
      if (same !== null) {
        tally.addSame(query, same.records, same.latencyMs, same.notMigrated);
        progress(i);
        continue;
      }
      // a difference, or an error: the full comparison below asks again, finds what differs and reports what fails
    }
    const t0 = performance.now();
    let ids: string[];
    try {
      ids = await opts.adapter.search(cap, query.params);
    } catch (err) {
      const latencyMs = performance.now() - t0;
      const error = (err as Error).message || (isNotSupported(err) ? 'not supported' : String(err));
      tally.add({ query, oracle: legacy ?? legacyOf(query), reachable: reachableOf(query), target: null, latencyMs, error, ...(isNotSupported(err) ? { notSupported: true } : {}) });
      if (isNotSupported(err)) break; // the capability is LOST: its other queries would say the same
      continue;
    }
    const latencyMs = performance.now() - t0;
    // an adapter without searchPieces: its whole answer, checked a piece at a time
    const same = legacy === null && !opts.adapter.searchPieces ? await sameOrReachable(query, () => ids, ctx) : null;
    if (same !== null) {
      tally.addSame(query, same.records, latencyMs, same.notMigrated);
      progress(i);
      continue;
    }
    // The lineage lookup runs on the server while this thread answers the query on the oracle
    // (at scale 100,000, S05's wide answers: 16,000 records a query on each side).
    const mapping = ctx.mapper.map(ids);
    mapping.catch(() => {}); // awaited below
    legacy ??= legacyOf(query);
    const reachable = reachableOf(query);
    tally.add({ query, oracle: legacy, reachable, target: await mapping, latencyMs });
    progress(i);
  }
  opts.onProgress?.({ phase: 'capability', capability: cap, done: queries.length, total: queries.length });
  return { result: tally.result(), skipped };
}

/**
 * Whether the adapter's answer, read in pieces, is the expected one (sameOrReachable), with its
 * latency (the time spent waiting for the pieces of the read that agreed); null for a difference
 * or any error, which the full comparison then finds and reports.
 */
async function piecewiseSame(adapter: TargetSearchAdapter, query: Query, ctx: AgreementContext): Promise<(Same & { latencyMs: number }) | null> {
  const waited = { ms: 0 };
  const read = () => {
    waited.ms = 0;
    return timed(adapter.searchPieces!(query.capability, query.params, AGREEMENT_PIECE), waited);
  };
  try {
    const same = await sameOrReachable(query, read, ctx);
    return same === null ? null : { ...same, latencyMs: waited.ms };
  } catch {
    return null;
  }
}

/** The pieces of a target's answer, adding the time spent waiting for each to `waited.ms`: the search's latency. */
async function* timed(pieces: AsyncIterable<string[]>, waited: { ms: number }): AsyncGenerator<string[]> {
  const it = pieces[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      const t0 = performance.now();
      const next = await it.next();
      waited.ms += performance.now() - t0;
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await it.return?.();
  }
}

export async function runParity(opts: ParityOptions): Promise<ParityResult> {
  const started = performance.now();
  const caps = opts.capabilities ?? [...CAPABILITY_IDS];
  const fileQueries = opts.workloadFile ? await loadWorkloadFile(opts.workloadFile) : [];
  const client = await connect(opts.targetUrl);
  let built: Oracle | null = null;
  try {
    await freshenStatistics(client); // search latency is measured: not on plans for empty tables
    const restricted = await readRestricted(client);
    const notMigrated = await readNotMigrated(client);
    opts.onProgress?.({ phase: 'target-state', restricted: restricted.size, notMigrated: notMigrated.size });

    const oracle = opts.oracle ?? (built = await buildOracle({
      crisSource: opts.crisSource,
      crimintSource: opts.crimintSource,
      onProgress: opts.onProgress,
      sampling: { seed: opts.seed, size: Math.max(200, 4 * (opts.generatedPerCapability ?? 50)), replayedPerCapability: opts.replayedPerCapability },
    }));
    const workload = assembleWorkload(oracle, opts, caps, restricted, fileQueries);
    opts.onProgress?.({ phase: 'workload', replayed: workload.summary.replayed.used, generated: workload.summary.generated, file: workload.file, invalid: workload.summary.invalidCount });

    const ctx: CapabilityContext = { oracle, opts, restricted, notMigrated, isNotMigrated: notMigratedMatcher(notMigrated), mapper: new IdentityMapper(client) };
    const results: CapabilityResult[] = [];
    let skipped = 0;
    for (const cap of caps) {
      const done = await runCapability(cap, workload.queries.filter((q) => q.capability === cap), ctx);
      results.push(done.result);
      skipped += done.skipped;
    }

    return {
      ok: results.every((r) => r.verdict === 'PARITY'),
      adapter: opts.adapter.name,
      seconds: Math.round((performance.now() - started) / 10) / 100,
      capabilities: results,
      oracle: oracle.stats,
      workload: workload.summary,
      target: { restricted: restricted.size, notMigrated: notMigrated.size },
      ...(opts.replay ? { selection: { workload: workload.queries.length, replayed: workload.queries.length - skipped } } : {}),
    };
  } finally {
    built?.close();
    await client.end();
  }
}

// ---- cutover search: one query, both sides ----

export interface SearchOneOptions {
  capability: CapabilityId;
  params: Record<string, unknown>;
  side: 'legacy' | 'target' | 'both';
  /** Legacy side: a built oracle, or the sources to build one from. */
  oracle?: Oracle;
  crisSource?: Source;
  crimintSource?: Source;
  /** Target database: restriction for the legacy side, lineage for the target side. */
  targetUrl?: string;
  adapter?: TargetSearchAdapter;
}

export interface SearchOneRecord {
  identity: string;
  /** The target id: as returned by the target, else the id the legacy record is loaded as. */
  targetId: string;
  side: 'both' | 'legacy' | 'target';
  description: string;
  /** A legacy result the target cannot have: not migrated, or reachable only through a record or link that was not. */
  notMigrated?: true;
}

export interface SearchOneResult {
  capability: CapabilityId;
  params: Record<string, unknown>;
  legacy: { count: number; ms: number } | null;
  target: { count: number; ms: number; error?: string; notSupported?: boolean } | null;
  records: SearchOneRecord[];
}

export async function searchOne(opts: SearchOneOptions): Promise<SearchOneResult> {
  const v = validateParams(opts.capability, opts.params);
  if (!v.ok) throw new InvalidParamsError(v.message);
  const params = v.params as Record<string, unknown>;
  const wantLegacy = opts.side !== 'target';
  const wantTarget = opts.side !== 'legacy';
  if (wantTarget && (!opts.adapter || !opts.targetUrl)) throw new Error('searchOne: the target side needs an adapter and targetUrl');
  const client = opts.targetUrl ? await connect(opts.targetUrl) : null;
  let built: Oracle | null = null;
  try {
    let oracle = opts.oracle;
    if (wantLegacy && !oracle) {
      if (!opts.crisSource || !opts.crimintSource) throw new Error('searchOne: the legacy side needs an oracle or both legacy sources');
      oracle = built = await buildOracle({ crisSource: opts.crisSource, crimintSource: opts.crimintSource, sampling: { size: 1, replayedPerCapability: 0 } });
    }
    const restricted = client ? await readRestricted(client) : new Set<string>();
    let legacyIds: string[] = [];
    let reachable: Set<string> | null = null;
    let legacy: SearchOneResult['legacy'] = null;
    if (wantLegacy) {
      const t0 = performance.now();
      legacyIds = oracle!.run(opts.capability, params, { restricted });
      legacy = { count: legacyIds.length, ms: Math.round((performance.now() - t0) * 100) / 100 };
      const notMigrated = client ? await readNotMigrated(client) : new Set<string>();
      if (notMigrated.size > 0) reachable = new Set(oracle!.run(opts.capability, params, { restricted, absent: notMigrated }));
    }
    let target: SearchOneResult['target'] = null;
    const targetRecs = new Map<string, string>();
    if (wantTarget) {
      const t0 = performance.now();
      try {
        const ids = await opts.adapter!.search(opts.capability, params);
        for (const r of await new IdentityMapper(client!).map(ids)) targetRecs.set(r.identity, r.targetId);
        target = { count: targetRecs.size, ms: Math.round((performance.now() - t0) * 100) / 100 };
      } catch (err) {
        target = { count: 0, ms: Math.round((performance.now() - t0) * 100) / 100, error: (err as Error).message, ...(isNotSupported(err) ? { notSupported: true } : {}) };
      }
    }
    const describe = (id: string) => (oracle ? oracle.describe(id) : '');
    const records: SearchOneRecord[] = [];
    const legacySet = new Set(legacyIds);
    for (const id of legacyIds) {
      records.push({
        identity: id, targetId: targetRecs.get(id) ?? expectedTargetId(id), side: !wantTarget ? 'legacy' : targetRecs.has(id) ? 'both' : 'legacy', description: describe(id),
        ...(reachable && !reachable.has(id) ? { notMigrated: true as const } : {}),
      });
    }
    for (const [id, tid] of targetRecs) if (!legacySet.has(id)) records.push({ identity: id, targetId: tid, side: 'target', description: describe(id) });
    return { capability: opts.capability, params, legacy, target, records };
  } finally {
    built?.close();
    await client?.end();
  }
}
