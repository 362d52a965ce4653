// Record by record conservation: each source record must have exactly the outcome the mapping
// gives it, as the target records it (lineage main row = loaded, migration.quarantine,
// migration.exclusion, migration.superseded). A superseded copy must have a later copy of its key
// in the source: those claims wait in a pending set until the later copy arrives (a re-export
// repeats a key a few records later), so only the unresolved claims are held, never all keys.
import type pg from 'pg';
import type { SourceRecord } from '../sources/types.ts';
import { validated, type Expected } from './expected.ts';
import type { Mapping } from '../pipeline/types.ts';
import type { Erasures } from './erasures.ts';
import { found, note } from './found.ts';
import type { Difference, DifferenceSink } from './differences.ts';
import { GroupReader, type Row } from './group-reader.ts';
import { streamBatches } from './db.ts';
import type { GroupKey, KeyScheme } from './order.ts';
import { claimsSql } from './target-sql.ts';
import type { OutcomeResult } from './types.ts';

/** One source record in the current group, with what the target should hold for it. */
export interface GroupRecord {
  rec: SourceRecord;
  exp: Expected;
  /** its rows and links are expected in the target (loaded and not superseded) */
  live: boolean;
  /** what became of it, for naming unexpected target rows */
  state: string;
}

export function describe(exp: Expected): string {
  if (exp.kind === 'excluded') return `excluded (${exp.reason})`;
  if (exp.kind === 'quarantined') return `quarantined (${exp.code})`;
  return 'loaded';
}

export type ClaimKind = 'loaded' | 'quarantined' | 'excluded' | 'superseded';

function claimText(kind: string, detail: string | null): string {
  return kind === 'loaded' || kind === 'superseded' || detail === null ? kind : `${kind} (${detail})`;
}

/** What a source record's claim (its outcome row in the target, or none) counts as. */
export type VerdictCount = 'loaded' | 'quarantined' | 'excluded' | 'superseded' | 'erased' | 'unaccounted' | 'mismatch';

export interface Verdict {
  readonly count: VerdictCount;
  /** its rows and links are expected in the target (GroupRecord.live) */
  readonly live: boolean;
  /** what became of it, when not the expected outcome as `describe` gives it */
  readonly state?: string;
}

/** The claim detail that matches the expected outcome's own: the quarantine code, the exclusion reason. */
const SAME = Symbol('the expected code or reason');

/** One case: a claim and an expectation it matches (a field left out matches anything). */
export interface OutcomeCase {
  /** the claim's kind; null: the target recorded no outcome for the record */
  readonly claim: ClaimKind | null;
  readonly expected?: Expected['kind'];
  /** the claim's detail (reason code or reason), or SAME as the expected outcome's */
  readonly detail?: string | typeof SAME;
  /** the step writes links only (a loaded record has no lineage) */
  readonly linkOnly?: boolean;
  /** the record's target ids carry an erasure token (asked only when it has no claim) */
  readonly erased?: boolean;
  readonly verdict: Verdict;
}

const ERASED = 'erased on the new platform';

/** The cases, first match wins; a claim no case matches is a mismatch (MISMATCH). */
const CASES: OutcomeCase[] = [
  // no outcome recorded
  { claim: null, expected: 'loaded', linkOnly: true, verdict: { count: 'loaded', live: true } }, // a loaded link record has no lineage: its links are checked
  { claim: null, expected: 'loaded', erased: true, verdict: { count: 'erased', live: false, state: ERASED } }, // erased since it was loaded (no outcome until a pipeline reads it again)
  { claim: null, expected: 'loaded', verdict: { count: 'unaccounted', live: true } },
  { claim: null, verdict: { count: 'unaccounted', live: false } },
  // an outcome recorded
  { claim: 'superseded', verdict: { count: 'superseded', live: false, state: 'superseded by a later copy' } }, // verified when its later copy arrives
  { claim: 'loaded', expected: 'loaded', verdict: { count: 'loaded', live: true } },
  { claim: 'quarantined', expected: 'quarantined', detail: SAME, verdict: { count: 'quarantined', live: false } },
  { claim: 'quarantined', expected: 'loaded', linkOnly: true, detail: 'orphan_link', verdict: { count: 'quarantined', live: true, state: 'quarantined (orphan_link)' } }, // the link check looks for it in migration.orphan
  { claim: 'excluded', expected: 'excluded', detail: SAME, verdict: { count: 'excluded', live: false } },
  { claim: 'excluded', expected: 'loaded', detail: 'erased', verdict: { count: 'excluded', live: false, state: ERASED } }, // the loader keeps it out on a re-run
];
/**
 * The table as verdictOf reads it: every case and verdict with every field (one object shape each,
 * so the per-record scan stays monomorphic), each verdict frozen (verdictOf hands out these objects).
 */
export const OUTCOME_CASES: readonly OutcomeCase[] = CASES.map((k) => ({
  claim: k.claim, expected: k.expected, detail: k.detail, linkOnly: k.linkOnly, erased: k.erased,
  verdict: Object.freeze({ count: k.verdict.count, live: k.verdict.live, state: k.verdict.state }),
}));

/** Any other claim: not live (a loaded claim of a loaded record is a case above). */
export const MISMATCH: Verdict = Object.freeze({ count: 'mismatch', live: false, state: undefined });

/** The cases of each claim kind, in table order ('none': no claim): a record scans only its own. */
const CASES_BY_CLAIM: Record<ClaimKind | 'none', OutcomeCase[]> = { none: [], loaded: [], quarantined: [], excluded: [], superseded: [] };
for (const k of OUTCOME_CASES) CASES_BY_CLAIM[k.claim ?? 'none'].push(k);

function expectedDetail(exp: Expected): string | undefined {
  return exp.kind === 'quarantined' ? exp.code : exp.kind === 'excluded' ? exp.reason : undefined;
}

/**
 * What a record's claim means, given the outcome the mapping expects: pure, no database. `claim`
 * is the kind of its first outcome row (null: none), `detail` that row's detail column.
 */
export function verdictOf(claim: ClaimKind | null, detail: string | null, exp: Expected, linkOnly: boolean, erased: boolean): Verdict {
  const cases = CASES_BY_CLAIM[claim ?? 'none'];
  for (let i = 0; i < cases.length; i++) {
    const k = cases[i]!;
    if (k.expected !== undefined && k.expected !== exp.kind) continue;
    if ((k.linkOnly !== undefined && k.linkOnly !== linkOnly) || (k.erased !== undefined && k.erased !== erased)) continue;
    if (k.detail !== undefined && detail !== (k.detail === SAME ? expectedDetail(exp) : k.detail)) continue;
    return k.verdict;
  }
  return MISMATCH;
}

export class OutcomeChecker {
  readonly result: OutcomeResult = {
    read: 0, loaded: 0, quarantined: 0, excluded: 0, superseded: 0, erased: 0,
    unaccounted: found(), mismatched: found(), unexpected: found(),
  };
  /** the target side, read one group at a time (the step fills it) */
  readonly reader: GroupReader;
  /**
   * Every outcome row of the step in the target, by kind, matched or not (conservation). `loaded`
   * here is lineage rows whether or not their row exists: conservation takes loaded from the row
   * checkers, which see the rows.
   */
  readonly claimed: Record<ClaimKind, number> = { loaded: 0, quarantined: 0, excluded: 0, superseded: 0 };
  private readonly pendingSuperseded = new Map<string, number>();
  /** where each column of a claim row stands (claimsSql) */
  private readonly c: ReturnType<typeof claimsSql>['at'];
  private readonly linkOnly: boolean;

  constructor(pool: pg.Pool, scheme: KeyScheme, private readonly mapping: Mapping, private readonly erasures: Erasures, batchSize: number, private readonly diff: DifferenceSink | null = null) {
    this.linkOnly = Boolean(mapping.linkOnly);
    const claims = claimsSql(scheme);
    this.c = claims.at;
    this.reader = new GroupReader(streamBatches(pool, claims.sql, [mapping.system, mapping.entity], batchSize), (r) => scheme.groupKey(r));
  }

  private readonly noSource = (r: Row) => {
    this.claimed[r[this.c.kind] as ClaimKind]++;
    this.stray(r, 'no source record');
  };

  /**
   * Read the target's outcomes of this group, after fill; decide which records are live.
   * Synchronous, except where erasures happened on the platform and a record has no outcome:
   * then its ids are looked up first (a promise is returned).
   */
  check(key: GroupKey, group: GroupRecord[]): Promise<void> | undefined {
    const n = this.reader.take(key, this.noSource);
    const claims = this.reader.group;
    for (let i = 0; i < n; i++) this.claimed[claims[i]![this.c.kind] as ClaimKind]++;
    if (this.erasures.any) {
      const ids: string[] = [];
      for (const g of group) {
        let claimed = false;
        for (let i = 0; i < n && !claimed; i++) claimed = claims[i]![this.c.key] === g.rec.key;
        if (claimed) continue;
        g.exp = validated(this.mapping, g.exp);
        if (g.exp.kind === 'loaded' && !this.linkOnly) for (const r of g.exp.rows) ids.push(r.row.id);
      }
      if (ids.length) {
        const held = this.reader.taken(); // the reader reuses its array
        return this.erasures.erased(ids).then((erased) => this.classify(held, held.length, group, erased));
      }
    }
    this.classify(claims, n, group, null);
    return undefined;
  }

  private report(kind: Difference['kind'], key: string, detail: string, fields: string[] = []): void {
    this.diff?.write({ kind, system: this.mapping.system, entity: this.mapping.entity, key, table: null, targetId: null, fields, detail });
  }

  /** `claims[0 .. n)`: the group's outcome rows. */
  private classify(claims: Row[], n: number, group: GroupRecord[], erased: Set<string> | null): void {
    const c = this.c;
    // the common case, one record and only its claims: no copying
    let all = group.length === 1;
    for (let i = 0; all && i < n; i++) all = claims[i]![c.key] === group[0]!.rec.key;
    const left = all ? null : claims.slice(0, n);
    for (const g of group) {
      this.result.read++;
      const pendingAt = this.pendingSuperseded.get(g.rec.key);
      if (pendingAt !== undefined && pendingAt < g.rec.ordinal) this.pendingSuperseded.delete(g.rec.key); // its later copy: verified
      const mine = left === null ? claims : claimsOf(left, g.rec.key, c.key);
      this.classifyRecord(g, mine, left === null ? n : mine.length, erased);
    }
    if (left) for (const c of left) this.stray(c, 'no source record with this key at this position');
  }

  /** One record, with its claims `mine[0 .. mineN)`: count and report what they mean (verdictOf). */
  private classifyRecord(g: GroupRecord, mine: Row[], mineN: number, erased: Set<string> | null): void {
    const c = this.c;
    const r = this.result;
    // the schema check only where the target did not load the record (a loaded record's rows are compared anyway)
    if (!(mineN === 1 && mine[0]![c.kind] === 'loaded')) g.exp = validated(this.mapping, g.exp);
    const exp = g.exp;
    if (mineN > 1) {
      note(r.mismatched, () => ({ key: g.rec.key, expected: describe(exp), actual: mine.slice(0, mineN).map((m) => claimText(m[c.kind]!, m[c.detail] ?? null)).join(' + ') }));
      this.report('mismatch', g.rec.key, `${mineN} outcomes recorded, expected one (${describe(exp)})`, ['outcome']);
    }
    const kind = mineN === 0 ? null : (mine[0]![c.kind] as ClaimKind);
    const detail = mineN === 0 ? null : mine[0]![c.detail] ?? null;
    const gone = kind === null && erased !== null && exp.kind === 'loaded' && exp.rows.some((x) => erased.has(x.row.id));
    const v = verdictOf(kind, detail, exp, this.linkOnly, gone);
    g.live = v.live;
    g.state = v.state ?? describe(exp);
    if (v.count === 'unaccounted') {
      note(r.unaccounted, () => ({ key: g.rec.key, expected: describe(exp) }));
      this.report('missing', g.rec.key, `no outcome recorded in the target (expected ${describe(exp)})`);
    } else if (v.count === 'mismatch') {
      note(r.mismatched, () => ({ key: g.rec.key, expected: describe(exp), actual: claimText(kind!, detail) }));
      this.report('mismatch', g.rec.key, `outcome ${claimText(kind!, detail)}, expected ${describe(exp)}`, ['outcome']);
    } else {
      r[v.count]++;
      if (v.count === 'superseded') this.pendingSuperseded.set(g.rec.key, g.rec.ordinal);
    }
  }

  private stray(row: Row, why: string): void {
    const c = this.c;
    const actual = `${claimText(row[c.kind]!, row[c.detail] ?? null)}; ${why}`;
    note(this.result.unexpected, () => ({ key: row[c.key]!, actual }));
    this.report('unexpected', row[c.key]!, actual);
  }

  async finish(): Promise<void> {
    await this.reader.rest(this.noSource);
    for (const [key, ordinal] of this.pendingSuperseded) {
      note(this.result.unexpected, () => ({ key, actual: `superseded (at position ${ordinal}), but no later copy in the source` }));
      this.report('unexpected', key, `superseded (at position ${ordinal}), but no later copy in the source`);
    }
    this.pendingSuperseded.clear();
  }

  async close(): Promise<void> {
    await this.reader.close();
  }
}

/** The claims in `left` with this key, taken out of it, in their order. */
function claimsOf(left: Row[], key: string, keyAt: number): Row[] {
  const mine: Row[] = [];
  for (let i = left.length - 1; i >= 0; i--) {
    if (left[i]![keyAt] === key) mine.unshift(...left.splice(i, 1));
  }
  return mine;
}

export function outcomeDefects(r: OutcomeResult): number {
  return r.unaccounted.count + r.mismatched.count + r.unexpected.count;
}
