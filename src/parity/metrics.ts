// Per-capability parity metrics and verdicts from (oracle, target) result pairs.
//
// Per query: O = oracle identities, O' = the oracle's answer with the not-migrated records and
// link rows absent (quarantined or retention-excluded: known, accounted losses), N = O \ O',
// T = target results mapped to identities.
//   recall    = |O' ∩ T| / |O'|   (1 when O' is empty)
//   precision = |T ∩ O| / |T|     (1 when T is empty)
// Per capability: recall mean and worst, precision mean and worst, volume ratio Σ|T| / Σ|O'|,
// latency p50/p95 of the target calls, notMigrated (distinct identities), verdict:
//   LOST      the adapter threw NotSupportedError, or failed on some query of the capability;
//   PARITY    recall = 1 and precision = 1 on every query;
//   DEGRADED  otherwise, with up to `maxExamples` worked examples each of lost and extra records.
import type { CapabilityId, Query, Verdict } from './types.ts';
import { capability } from './catalog.ts';

export interface TargetRecord {
  /** Legacy identity from lineage, or `target:<id>` when the target id has no lineage. */
  identity: string;
  targetId: string;
}

export interface QueryOutcome {
  query: Query;
  /** The legacy answer's identities, in any order (as are `reachable` and `target`). */
  oracle: string[];
  /**
   * The oracle's answer with the not-migrated records (and link rows) absent: what the target can
   * reach. When given, recall is measured against it and the rest of `oracle` is accounted as
   * not migrated; otherwise `notMigrated` membership is used. A subset of `oracle`: the same
   * search with records absent finds no record the full search does not. As a function, it is
   * asked only when the target's answer is not the oracle's: when they are the same records,
   * every one of them reached the target.
   */
  reachable?: string[] | (() => string[]);
  /** Target results; null when the target call failed. */
  target: TargetRecord[] | null;
  latencyMs: number;
  error?: string;
  notSupported?: boolean;
}

export interface Example {
  kind: 'lost' | 'extra';
  query: Pick<Query, 'capability' | 'params' | 'origin' | 'note'>;
  identity: string;
  targetId?: string;
  description: string;
}

export interface CapabilityResult {
  id: CapabilityId;
  name: string;
  verdict: Verdict;
  queries: number;
  byOrigin: Record<Query['origin'], number>;
  recall: { mean: number; worst: number };
  precision: number;
  precisionWorst: number;
  /** Σ target results / Σ oracle results (not-migrated excluded); null when the oracle found nothing and the target did. */
  volumeRatio: number | null;
  oracleResults: number;
  targetResults: number;
  latencyMs: { p50: number; p95: number };
  /** Queries with recall < 1 or precision < 1. */
  queriesShort: number;
  /**
   * Distinct legacy records found by the oracle that the target cannot have: not migrated
   * (quarantined, retention-excluded), or found only through a record or link that was not.
   */
  notMigrated: number;
  notMigratedExamples: { identity: string; description: string }[];
  examples: Example[];
  /** Notes (hard-case labels) of the queries that fell short, with counts. */
  shortByNote: Record<string, number>;
  errors: { query: Example['query']; message: string }[];
  warnings: string[];
}

/** Membership in the not-migrated set, also for CRIMINT inline items of a not-migrated parent. */
export function notMigratedMatcher(set: Set<string>): (identity: string) => boolean {
  if (set.size === 0) return () => false;
  return (id) => {
    if (set.has(id)) return true;
    const m = /^(.*?)\/(aliases|addresses|phones|vehicles|locations)\/\d+$/.exec(id);
    return m !== null && set.has(m[1]!);
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;

export interface MetricsOptions {
  notMigrated?: (identity: string) => boolean;
  describe?: (identity: string) => string;
  maxExamples?: number;
  /** Every query that fell short or failed, as it is tallied (`parity --differences`). */
  onDifference?: (d: QueryDifference) => void;
}

/** One query with a difference: the records found by one side only, or why the target could not answer. */
export interface QueryDifference {
  query: Query;
  /** legacy identities the target did not return (not-migrated records left out) */
  legacyOnly: string[];
  /** identities the target returned that legacy does not */
  targetOnly: string[];
  error: string | null;
}

/** Metrics of a whole capability from its query outcomes (see CapabilityTally for streaming). */
export function capabilityMetrics(id: CapabilityId, outcomes: QueryOutcome[], opts: MetricsOptions = {}): CapabilityResult {
  const t = new CapabilityTally(id, opts);
  for (const o of outcomes) t.add(o);
  return t.result();
}

/** Whether the target returned exactly the expected records, each once (a repeated identity is a difference to look at). */
function agrees(expected: string[], target: TargetRecord[]): boolean {
  if (expected.length !== target.length) return false;
  const left = new Set(expected);
  for (const t of target) if (!left.delete(t.identity)) return false;
  return left.size === 0;
}

const short = (q: Query): Example['query'] => ({ capability: q.capability, params: q.params, origin: q.origin, ...(q.note ? { note: q.note } : {}) });

/**
 * Per-capability metrics computed one query at a time: the outcome (possibly thousands of
 * identities per side) can be dropped as soon as it is added.
 */
export class CapabilityTally {
  private readonly isNm: (identity: string) => boolean;
  private readonly describe: (identity: string) => string;
  private readonly onDifference: MetricsOptions['onDifference'];
  private readonly maxEx: number;
  private readonly recalls: number[] = [];
  private readonly precisions: number[] = [];
  private readonly latencies: number[] = [];
  private readonly nm = new Set<string>();
  private readonly lostEx: Example[] = [];
  private readonly extraEx: Example[] = [];
  private readonly pendingLost: Example[] = [];
  private readonly pendingExtra: Example[] = [];
  private readonly errors: CapabilityResult['errors'] = [];
  private readonly shortByNote: Record<string, number> = {};
  private readonly byOrigin: Record<Query['origin'], number> = { replayed: 0, generated: 0, workload: 0 };
  private queries = 0;
  private sumO = 0;
  private sumT = 0;
  private queriesShort = 0;
  private notSupported = false;
  private failed = 0;

  constructor(
    readonly id: CapabilityId,
    opts: MetricsOptions = {},
  ) {
    this.isNm = opts.notMigrated ?? (() => false);
    this.describe = opts.describe ?? (() => '');
    this.maxEx = opts.maxExamples ?? 5;
    this.onDifference = opts.onDifference;
  }

  add(o: QueryOutcome): void {
    const maxEx = this.maxEx;
    this.queries++;
    this.byOrigin[o.query.origin]++;
    if (o.notSupported) {
      this.notSupported = true;
      if (this.errors.length < maxEx) this.errors.push({ query: short(o.query), message: o.error ?? 'not supported' });
      this.onDifference?.({ query: o.query, legacyOnly: [], targetOnly: [], error: o.error ?? 'not supported' });
      return;
    }
    if (o.target === null) {
      this.failed++;
      if (this.errors.length < maxEx) this.errors.push({ query: short(o.query), message: o.error ?? 'target call failed' });
      this.onDifference?.({ query: o.query, legacyOnly: [], targetOnly: [], error: o.error ?? 'target call failed' });
      return;
    }
    this.latencies.push(o.latencyMs);
    const target = o.target;
    let reachable = o.reachable;
    if (typeof reachable === 'function') {
      // the same records, none of them known as not migrated: nothing to tell apart
      if (agrees(o.oracle, target) && !o.oracle.some(this.isNm)) return this.same(o.oracle.length);
      reachable = reachable();
    }
    const expected = this.expectedOf(o.oracle, reachable);
    if (agrees(expected, target)) return this.same(expected.length);
    this.compare(o, expected, target);
  }

  /**
   * A query whose target answer was found to be exactly the expected records (agreement.ts): the
   * oracle's, or what the target can reach, the rest of the oracle's answer being not migrated.
   */
  addSame(query: Query, records: number, latencyMs: number, notMigrated: readonly string[] = []): void {
    this.queries++;
    this.byOrigin[query.origin]++;
    this.latencies.push(latencyMs);
    for (const id of notMigrated) this.nm.add(id);
    this.same(records);
  }

  /** The common case, both sides the same records: no lists of differences to build. */
  private same(records: number): void {
    this.recalls.push(1);
    this.precisions.push(1);
    this.sumO += records;
    this.sumT += records;
  }

  /** The legacy records the target should return; the rest of the oracle's answer is counted as not migrated. */
  private expectedOf(oracle: string[], reachable: string[] | undefined): string[] {
    // reachable ⊆ oracle (the same search with records absent), so the same length is the same records
    if (reachable && reachable.length === oracle.length) return reachable;
    const expected: string[] = [];
    if (reachable) {
      const reach = new Set(reachable);
      for (const id of oracle) {
        if (reach.has(id)) expected.push(id);
        else this.nm.add(id);
      }
    } else {
      for (const id of oracle) {
        if (this.isNm(id)) this.nm.add(id);
        else expected.push(id);
      }
    }
    return expected;
  }

  /** Recall, precision and worked examples of a query whose sides differ. */
  private compare(o: QueryOutcome, expected: string[], target: TargetRecord[]): void {
    const maxEx = this.maxEx;
    const oracle = new Set(o.oracle);
    const targetIds = new Map<string, string>();
    for (const t of target) targetIds.set(t.identity, t.targetId);
    // (sorted: the answers come in no particular order, the examples and differences in one)
    const lost = expected.filter((id) => !targetIds.has(id)).sort();
    const extra = [...targetIds.keys()].filter((id) => !oracle.has(id)).sort();
    this.recalls.push(expected.length === 0 ? 1 : (expected.length - lost.length) / expected.length);
    this.precisions.push(targetIds.size === 0 ? 1 : (targetIds.size - extra.length) / targetIds.size);
    this.sumO += expected.length;
    this.sumT += targetIds.size;
    if (lost.length === 0 && extra.length === 0) return;
    this.queriesShort++;
    this.onDifference?.({ query: o.query, legacyOnly: lost, targetOnly: extra, error: null });
    const note = o.query.note ?? `(${o.query.origin})`;
    this.shortByNote[note] = (this.shortByNote[note] ?? 0) + 1;
    // the first example of each query first; further ones from the same query only to fill up
    lost.forEach((identity, i) => {
      const ex: Example = { kind: 'lost', query: short(o.query), identity, description: '' };
      if (i === 0 && this.lostEx.length < maxEx) this.lostEx.push(ex);
      else if (this.pendingLost.length < maxEx) this.pendingLost.push(ex);
    });
    extra.forEach((identity, i) => {
      const ex: Example = { kind: 'extra', query: short(o.query), identity, targetId: targetIds.get(identity)!, description: '' };
      if (i === 0 && this.extraEx.length < maxEx) this.extraEx.push(ex);
      else if (this.pendingExtra.length < maxEx) this.pendingExtra.push(ex);
    });
  }

  result(): CapabilityResult {
    const maxEx = this.maxEx;
    const lostEx = [...this.lostEx];
    const extraEx = [...this.extraEx];
    const pendingLost = [...this.pendingLost];
    const pendingExtra = [...this.pendingExtra];
    while (lostEx.length < maxEx && pendingLost.length) lostEx.push(pendingLost.shift()!);
    while (extraEx.length < maxEx && pendingExtra.length) extraEx.push(pendingExtra.shift()!);
    const examples = [...lostEx, ...extraEx].map((e) => ({ ...e, description: this.describe(e.identity) }));
    const latencies = [...this.latencies].sort((a, b) => a - b);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 1);
    const min = (xs: number[]) => xs.reduce((a, b) => Math.min(a, b), 1);
    const verdict: Verdict = this.notSupported || this.failed > 0 ? 'LOST' : this.queriesShort === 0 ? 'PARITY' : 'DEGRADED';
    const warnings: string[] = [];
    if (this.queries === 0) warnings.push('no queries: the verdict is not evidence');
    if (this.failed > 0) warnings.push(`${this.failed} of ${this.queries} target calls failed`);
    const { sumO, sumT } = this;
    return {
      id: this.id,
      name: capability(this.id).name,
      verdict,
      queries: this.queries,
      byOrigin: { ...this.byOrigin },
      recall: { mean: round(mean(this.recalls)), worst: round(min(this.recalls)) },
      precision: round(mean(this.precisions)),
      precisionWorst: round(min(this.precisions)),
      volumeRatio: sumO === 0 ? (sumT === 0 ? 1 : null) : round(sumT / sumO),
      oracleResults: sumO,
      targetResults: sumT,
      latencyMs: { p50: round(percentile(latencies, 50), 2), p95: round(percentile(latencies, 95), 2) },
      queriesShort: this.queriesShort,
      notMigrated: this.nm.size,
      notMigratedExamples: [...this.nm].sort().slice(0, maxEx).map((identity) => ({ identity, description: this.describe(identity) })),
      examples,
      shortByNote: { ...this.shortByNote },
      errors: [...this.errors],
      warnings,
    };
  }
}
