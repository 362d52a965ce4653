// Field-level comparison of one target table for one step: the rows the mapping gives for the
// group's live records against the rows found through lineage, matched by lineage key, compared
// column by column by value. Profiles of both sides are fed on the way.
import type pg from 'pg';
import { TARGET_COLUMNS } from '../load/tables.ts';
import type { RowOut, TargetTable } from '../pipeline/types.ts';
import { streamBatches } from './db.ts';
import type { TableRule } from './field-rules.ts';
import { found, note } from './found.ts';
import type { Difference, DifferenceSink } from './differences.ts';
import { GroupReader, type Row } from './group-reader.ts';
import type { GroupKey, KeyScheme } from './order.ts';
import type { GroupRecord } from './outcomes.ts';
import { Profile, profileDifferences } from './profile.ts';
import { rowsSql } from './target-sql.ts';
import type { FieldResult, TableResult } from './types.ts';
import { canonical, display, type Canon, type ValueKind } from './values.ts';

/** Columns never compared: the id (checked as lineage), and decisions taken on the new platform. */
const NOT_COMPARED = new Set(['id', 'restricted']);

export type ColumnKinds = ReadonlyMap<string, ValueKind>;

interface ColumnProfile {
  column: string;
  from: string;
  kind: ValueKind;
  expected: Profile;
  actual: Profile;
}

export class RowChecker {
  readonly result: TableResult;
  /** the target side, read one group at a time (the step fills it) */
  readonly reader: GroupReader;
  private readonly columns: string[];
  private readonly kinds: ValueKind[];
  private readonly fields: FieldResult[];
  private readonly profiles: ColumnProfile[];
  /** per rule, the profile of each of its columns (in the rule's column order) */
  private readonly ruleProfiles: ColumnProfile[][];
  /** position of each profiled column among `columns` (-1: not a compared column) */
  private readonly profileAt: number[];
  /** where each column of a target row stands (rowsSql) */
  private readonly c: ReturnType<typeof rowsSql>['at'];
  /**
   * Rows of the table present and traced by the lineage of a record itself (not of an inline
   * item), matched or not: the step's loaded records as the target holds them (conservation).
   */
  mainRows = 0;
  private readonly system: string;
  private readonly entity: string;
  /** the names of the fields that differ in the record being compared (reused) */
  private readonly differing: string[] = [];

  private report(kind: Difference['kind'], key: string | null, targetId: string | null, detail: string, fields: string[] = []): void {
    this.diff?.write({ kind, system: this.system, entity: this.entity, key, table: this.table, targetId, fields, detail });
  }

  constructor(
    pool: pg.Pool,
    scheme: KeyScheme,
    system: string,
    entity: string,
    readonly table: TargetTable,
    kinds: ColumnKinds,
    private readonly rules: readonly TableRule[],
    batchSize: number,
    /** every difference, as found (`reconcile --differences`) */
    private readonly diff: DifferenceSink | null = null,
  ) {
    this.system = system;
    this.entity = entity;
    this.columns = TARGET_COLUMNS[table].filter((c) => !NOT_COMPARED.has(c));
    this.kinds = this.columns.map((c) => kinds.get(`${table}.${c}`) ?? 'text');
    this.fields = this.columns.map((column) => ({ column, mismatches: 0, examples: [] }));
    const seen = new Map<string, ColumnProfile>();
    for (const rule of rules) {
      for (const c of rule.columns) {
        if (!seen.has(c.column)) {
          const kind = kinds.get(`${table}.${c.column}`) ?? 'text';
          seen.set(c.column, { column: c.column, from: c.from, kind, expected: new Profile(kind), actual: new Profile(kind) });
        } else if (c.from && !seen.get(c.column)!.from.split(' | ').includes(c.from)) {
          seen.get(c.column)!.from += ` | ${c.from}`;
        }
      }
    }
    this.profiles = [...seen.values()];
    this.ruleProfiles = rules.map((rule) => rule.columns.map((c) => seen.get(c.column)!));
    this.profileAt = this.profiles.map((p) => this.columns.indexOf(p.column));
    this.result = {
      table, expected: 0, target: 0, compared: 0,
      missing: found(), unexpected: found(), lineageChanged: found(), fields: this.fields, profiles: [],
    };
    const rows = rowsSql(scheme, table, this.columns);
    this.c = rows.at;
    this.reader = new GroupReader(streamBatches(pool, rows.sql, [system, entity, table], batchSize), (r) => scheme.groupKey(r));
  }

  private readonly pending: RowOut[] = [];
  /** the current target row's canonical values, computed once for the profile and the comparison */
  private readonly actual: Canon[] = [];

  private readonly noSource = (r: Row) => this.unexpected(r, 'no source record');

  /** Compare one group, after fill. */
  check(key: GroupKey, group: GroupRecord[]): void {
    const n = this.reader.take(key, this.noSource);
    const rows = this.reader.group;
    // the group's expected rows: a reused array and a count (a group has one record and its inline items)
    const expected = this.pending;
    let ne = 0;
    for (const g of group) {
      if (!g.live || g.exp.kind !== 'loaded') continue;
      for (const r of g.exp.rows) if (r.table === this.table) expected[ne++] = r;
      this.profileExpected(g.rec.raw);
    }
    this.result.expected += ne;
    const c = this.c;
    for (let j = 0; j < n; j++) {
      const row = rows[j]!;
      const present = row[c.present] === 't';
      if (present) {
        this.result.target++;
        if (row[c.main] === 't') this.mainRows++;
        this.canonRow(row);
        this.profileActual();
      }
      const lkey = row[c.key]!;
      let i = 0;
      while (i < ne && expected[i]!.key !== lkey) i++;
      if (i === ne) {
        this.unexpected(row, group.length ? `source record ${group[0]!.state}` : 'no source record', false);
        continue;
      }
      const exp = expected[i]!;
      expected[i] = expected[--ne]!;
      const targetId = row[c.targetId]!;
      if (targetId !== exp.row.id) {
        note(this.result.lineageChanged, () => ({ key: lkey, expectedId: exp.row.id, actualId: targetId }));
        this.report('mismatch', lkey, targetId, 'lineage points to another id than the mapping derives', ['id']);
      }
      if (!present) {
        note(this.result.missing, () => ({ key: lkey, reason: `lineage points to ${targetId}, which is not in ${this.table}` }));
        this.report('missing', lkey, targetId, 'lineage points to a row that is not in the table');
        continue;
      }
      this.result.compared++;
      this.compare(lkey, exp);
      if (this.differing.length) {
        this.report('mismatch', lkey, targetId, 'stored values differ from the source through the mapping', [...this.differing]);
        this.differing.length = 0;
      }
    }
    for (let i = 0; i < ne; i++) {
      const missingKey = expected[i]!.key;
      note(this.result.missing, () => ({ key: missingKey, reason: 'no lineage and no target row for this key' }));
      this.report('missing', missingKey, expected[i]!.row.id, 'no lineage and no target row for this key');
    }
  }

  private canonRow(row: Row): void {
    const base = this.c.columns;
    for (let i = 0; i < this.columns.length; i++) this.actual[i] = canonical(this.kinds[i]!, row[base + i]);
  }

  private compare(key: string, exp: RowOut): void {
    for (let i = 0; i < this.columns.length; i++) {
      const kind = this.kinds[i]!;
      const e = canonical(kind, exp.row[this.columns[i]!]);
      const a = this.actual[i]!;
      if (e !== a) {
        const f = this.fields[i]!;
        f.mismatches++;
        if (f.examples.length < 10) f.examples.push({ key, expected: display(kind, e), actual: display(kind, a) });
        if (this.diff) this.differing.push(f.column);
      }
    }
  }

  private unexpected(row: Row, reason: string, count = true): void {
    const c = this.c;
    const present = row[c.present] === 't';
    if (present && count) {
      this.result.target++;
      if (row[c.main] === 't') this.mainRows++;
      this.canonRow(row);
      this.profileActual();
    }
    this.report('unexpected', row[c.key] ?? null, row[c.targetId] ?? null, present ? reason : `${reason}; its lineage points to no row`);
    note(this.result.unexpected, () => ({
      key: row[c.key]!,
      id: row[c.targetId] ?? null,
      reason: present ? reason : `${reason}; its lineage points to no row`,
    }));
  }

  private profileExpected(raw: Record<string, unknown>): void {
    for (let r = 0; r < this.rules.length; r++) {
      const rule = this.rules[r]!;
      const profiles = this.ruleProfiles[r]!;
      if (rule.from === '') this.profileItem(rule, profiles, raw, raw); // the record itself: no items array
      else for (const item of rule.items(raw)) this.profileItem(rule, profiles, item, raw);
    }
  }

  private profileItem(rule: TableRule, profiles: ColumnProfile[], item: Record<string, unknown>, raw: Record<string, unknown>): void {
    for (let i = 0; i < rule.columns.length; i++) {
      const p = profiles[i]!;
      p.expected.add(canonical(p.kind, rule.columns[i]!.value(item, raw)));
    }
  }

  private profileActual(): void {
    for (let i = 0; i < this.profiles.length; i++) {
      const at = this.profileAt[i]!;
      if (at >= 0) this.profiles[i]!.actual.add(this.actual[at]!);
    }
  }

  async finish(): Promise<TableResult> {
    await this.reader.rest(this.noSource);
    this.result.profiles = this.profiles.map((p) => {
      const expected = p.expected.summary();
      const actual = p.actual.summary();
      return { column: p.column, from: p.from, expected, actual, differs: profileDifferences(expected, actual) };
    });
    return this.result;
  }

  async close(): Promise<void> {
    await this.reader.close();
  }
}

export function tableDefects(t: TableResult): number {
  return t.missing.count + t.unexpected.count + t.lineageChanged.count + t.fields.reduce((n, f) => n + f.mismatches, 0);
}
