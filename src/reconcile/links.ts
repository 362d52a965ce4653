// Links of one step in one link table: the links the mapping gives for the group's live records
// against the link rows traced to the group through the owner's lineage. Same pair and role:
// present. Same pair, other role: a `role` mismatch. Expected and absent: a recorded orphan, or
// missing. In the target with no source link: unexpected.
import type pg from 'pg';
import { LINK_COLUMNS } from '../load/tables.ts';
import type { LinkOut } from '../pipeline/types.ts';
import { streamBatches } from './db.ts';
import { found, note } from './found.ts';
import type { Difference, DifferenceSink } from './differences.ts';
import { GroupReader, type Row } from './group-reader.ts';
import type { LinkPlan } from './link-plan.ts';
import type { GroupKey, KeyScheme } from './order.ts';
import type { OrphanLookup } from './orphans.ts';
import type { GroupRecord } from './outcomes.ts';
import { linksParams, linksSql } from './target-sql.ts';
import type { LinkResult } from './types.ts';

export class LinkChecker {
  readonly result: LinkResult;
  /** the target side, read one group at a time (the step fills it) */
  readonly reader: GroupReader;
  /** where each column of a link row stands (linksSql) */
  private readonly c: ReturnType<typeof linksSql>['at'];
  private readonly cols: readonly [string, string, string];

  constructor(pool: pg.Pool, scheme: KeyScheme, pipeline: string, step: string, readonly plan: LinkPlan, batchSize: number, private readonly diff: DifferenceSink | null = null) {
    this.cols = LINK_COLUMNS[plan.table];

    this.result = {
      pipeline, step, table: plan.table, expected: 0, target: 0, present: 0, orphaned: 0, erased: 0,
      missing: found(), unexpected: found(), fields: [{ column: 'role', mismatches: 0, examples: [] }], ok: true,
    };
    const links = linksSql(scheme, plan);
    this.c = links.at;
    this.reader = new GroupReader(streamBatches(pool, links.sql, linksParams(plan), batchSize), (r) => scheme.groupKey(r));
  }

  private report(key: string, detail: string, fields: string[] = []): void {
    this.diff?.write({ kind: 'broken link', system: this.plan.system, entity: this.plan.entity, key, table: this.plan.table, targetId: null, fields, detail });
  }

  private readonly pending: LinkOut[] = [];
  private readonly extra: Row[] = [];

  /**
   * Link rows traced through the lineage of both records (a link-only step's plan), matched or
   * not: the step's loaded records as the target holds them (conservation).
   */
  bothTraced = 0;

  private readonly noSource = (r: Row) => {
    if (r[this.c.other] !== null) this.bothTraced++;
    this.unexpected(r, 'no source record');
  };

  /** Check one group's links, after fill; links expected but absent are asked of `orphans`. */
  check(key: GroupKey, group: GroupRecord[], orphans: OrphanLookup): void {
    const n = this.reader.take(key, this.noSource);
    const rows = this.reader.group;
    const [ca, cb, cr] = this.cols;
    // reused arrays with counts: a group's links are few
    const expected = this.pending;
    let ne = 0;
    for (const g of group) {
      if (!g.live || g.exp.kind !== 'loaded') continue;
      for (const l of g.exp.links) if (l.table === this.plan.table) expected[ne++] = l;
    }
    this.result.expected += ne;
    const c = this.c;
    const extra = this.extra;
    let nx = 0;
    for (let j = 0; j < n; j++) {
      const row = rows[j]!;
      this.result.target++;
      if (row[c.other] !== null) this.bothTraced++;
      const a = row[c.a];
      const b = row[c.b];
      const role = row[c.role];
      let i = 0;
      while (i < ne && !(expected[i]!.row[ca] === a && expected[i]!.row[cb] === b && expected[i]!.row[cr] === role)) i++;
      if (i === ne) {
        extra[nx++] = row;
        continue;
      }
      this.result.present++;
      expected[i] = expected[--ne]!;
    }
    // the same pair with another role: a changed field, not a lost link plus a new one
    for (let j = nx - 1; j >= 0 && ne; j--) {
      const row = extra[j]!;
      let i = 0;
      while (i < ne && !(expected[i]!.row[ca] === row[c.a] && expected[i]!.row[cb] === row[c.b])) i++;
      if (i === ne) continue;
      const l = expected[i]!;
      const f = this.result.fields[0]!;
      f.mismatches++;
      if (f.examples.length < 10) f.examples.push({ key: l.key, expected: l.row[cr]!, actual: row[c.role] ?? null });
      this.report(l.key, 'the link is present with another role', ['role']);
      expected[i] = expected[--ne]!;
      extra[j] = extra[--nx]!;
    }
    for (let i = 0; i < ne; i++) {
      const l = expected[i]!;
      orphans.ask({
        key: l.key, table: l.table, ids: [l.row[ca]!, l.row[cb]!],
        answer: (found) => {
          if (found === 'orphan') this.result.orphaned++;
          else if (found === 'erased') this.result.erased++;
          else {
            note(this.result.missing, () => ({ key: l.key, link: l.row, reason: 'not in the target and not recorded as an orphan' }));
            this.report(l.key, 'link missing: not in the target and not recorded as an orphan');
          }
        },
      });
    }
    for (let j = 0; j < nx; j++) this.unexpected(extra[j]!, group.length ? `source record ${group[0]!.state}; no such link in the source` : 'no source record');
  }

  private unexpected(row: Row, reason: string): void {
    const c = this.c;
    const [ca, cb, cr] = this.cols;
    const key = row[c.other] !== null ? `${row[c.owner]}|${row[c.other]}` : row[c.owner]!;
    this.report(key, `unexpected link: ${reason}`);
    note(this.result.unexpected, () => ({
      key,
      link: { [ca]: row[c.a] ?? null, [cb]: row[c.b] ?? null, [cr]: row[c.role] ?? null },
      reason,
    }));
  }

  async finish(): Promise<LinkResult> {
    await this.reader.rest(this.noSource);
    this.result.ok = linkDefects(this.result) === 0;
    return this.result;
  }

  async close(): Promise<void> {
    await this.reader.close();
  }
}

export function linkDefects(l: LinkResult): number {
  return l.missing.count + l.unexpected.count + l.fields.reduce((n, f) => n + f.mismatches, 0);
}
