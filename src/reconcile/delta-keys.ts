// The changed keys of one step, compared one by one: each key's source record (read again, only
// the changed ones kept) through the same mapping the pipeline ran, against what the target holds
// for it. Expected rows go through COPY into temporary copies of their tables, exactly as the
// loader writes them, and are compared with the stored rows in SQL (EXCEPT), so no value is
// compared by a second set of type rules. A deleted key must have left nothing.
import type pg from 'pg';
import { copyRows } from '../load/copy.ts';
import { LINK_COLUMNS, REF_TABLE, TARGET_COLUMNS } from '../load/tables.ts';
import { targetId } from '../core/ids.ts';
import { expectedOf, validated, type Expected } from './expected.ts';
import { OWNED_LINKS } from '../delta/retract.ts';
import { linkRowsOfKeys } from '../delta/link-only.ts';
import type { PlannedStep } from './plan.ts';
import type { LinkOut, LinkTable, TargetTable } from '../pipeline/types.ts';
import type { Source, SourceRecord } from '../sources/types.ts';

export interface KeyedDefect {
  key: string;
  problem: 'outcome' | 'missing_row' | 'mismatched_row' | 'unexpected_row' | 'missing_link' | 'unexpected_link' | 'not_removed';
  detail: string;
}

export interface KeyedResult {
  step: string;
  entity: string;
  keys: number;
  compared: { outcomes: number; rows: number; links: number };
  defects: number;
  examples: KeyedDefect[];
  ok: boolean;
}

const MAX_EXAMPLES = 20;

/** What the target holds as the key's outcome: loaded (lineage main row), quarantined, excluded, or nothing. */
async function outcomesOf(db: pg.ClientBase, s: PlannedStep, keys: string[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ key: string; kind: string }>(
    `SELECT source_key AS key, 'loaded' AS kind FROM migration.lineage WHERE source_system = $1 AND source_entity = $2 AND parent_key IS NULL AND source_key = ANY($3)
     UNION ALL SELECT source_key, 'quarantined' FROM migration.quarantine WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3)
     UNION ALL SELECT source_key, CASE WHEN reason = 'erased' THEN 'erased' ELSE 'excluded' END FROM migration.exclusion WHERE source_system = $1 AND source_entity = $2 AND source_key = ANY($3)`,
    [s.system, s.mapping.entity, keys],
  );
  return new Map(rows.map((r) => [r.key, r.kind]));
}

/** Link-only keys (CRIS link tables, no lineage) whose link row is in the target: one query per link table. */
async function linkRowsPresent(db: pg.ClientBase, s: PlannedStep, keys: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const [table, g] of linkRowsOfKeys(s.mapping, keys)) {
    const [a, b, r] = LINK_COLUMNS[table];
    const { rows } = await db.query<{ key: string }>(
      `SELECT x.key FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[]) AS x(key, a, b, r)
       WHERE EXISTS (SELECT 1 FROM ${table} t WHERE t.${a} = x.a AND t.${b} = x.b AND t.${r} = x.r)`,
      [g.keys, g.a, g.b, g.r],
    );
    for (const { key } of rows) out.add(key);
  }
  return out;
}

async function present(db: pg.ClientBase, links: LinkOut[]): Promise<Set<string>> {
  const wanted = new Map<string, Set<string>>();
  for (const l of links) for (const r of l.refs) {
    const t = REF_TABLE[r.column]!;
    if (!wanted.has(t)) wanted.set(t, new Set());
    wanted.get(t)!.add(l.row[r.column]!);
  }
  const out = new Set<string>();
  for (const [t, ids] of wanted) for (const r of (await db.query<{ id: string }>(`SELECT id::text FROM ${t} WHERE id = ANY($1::uuid[])`, [[...ids]])).rows) out.add(r.id);
  return out;
}

export async function compareKeyed(pool: pg.Pool, source: Source, s: PlannedStep, keys: Set<string>): Promise<KeyedResult> {
  // the changed keys' records as the source has them now (the last copy of a repeated key)
  const records = new Map<string, SourceRecord>();
  const read = source.readKeys ? source.readKeys(s.mapping.entity, [...keys]) : source.read(s.mapping.entity);
  for await (const rec of read) if (keys.has(rec.key)) records.set(rec.key, rec);
  return compareRecords(pool, s, keys, records);
}

/**
 * Compare the keys with what the target holds, given their source records (a key without one
 * must have left nothing). `onDefect` hears every defect (`run --keys` rewrites just those keys).
 */
export async function compareRecords(pool: pg.Pool, s: PlannedStep, keys: ReadonlySet<string>, records: ReadonlyMap<string, SourceRecord>, onDefect?: (d: KeyedDefect) => void): Promise<KeyedResult> {
  const { mapping } = s;
  const result: KeyedResult = { step: s.step, entity: mapping.entity, keys: keys.size, compared: { outcomes: 0, rows: 0, links: 0 }, defects: 0, examples: [], ok: false };
  const defect = (d: KeyedDefect) => {
    result.defects++;
    if (result.examples.length < MAX_EXAMPLES) result.examples.push(d);
    onDefect?.(d);
  };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const list = [...keys];
    const actual = await outcomesOf(client, s, list);
    if (mapping.linkOnly) for (const k of await linkRowsPresent(client, s, list)) if (!actual.has(k)) actual.set(k, 'loaded');
    const expected = new Map<string, Expected>();
    for (const [key, rec] of records) expected.set(key, validated(mapping, expectedOf(mapping, rec)));
    // links: present when both sides are in the target, else an orphan (a link-only record: quarantined)
    const allLinks = [...expected.values()].flatMap((e) => (e.kind === 'loaded' ? e.links : []));
    const here = await present(client, allLinks);
    const linkLive = (l: LinkOut) => l.refs.every((r) => here.has(l.row[r.column]!));
    const expRows = new Map<TargetTable, Array<{ key: string; row: Record<string, unknown> }>>();
    const expLinks = new Map<LinkTable, string[][]>();
    for (const key of list) {
      if (actual.get(key) === 'erased') continue;
      const e = expected.get(key);
      let want: string = e ? e.kind : 'nothing';
      if (e?.kind === 'loaded' && mapping.linkOnly && !e.links.every(linkLive)) want = 'quarantined';
      const got = actual.get(key) ?? 'nothing';
      result.compared.outcomes++;
      if (want !== got) defect({ key, problem: 'outcome', detail: `expected ${want}, the target has ${got}` });
      if (e?.kind !== 'loaded' || want !== 'loaded') continue;
      for (const r of e.rows) {
        if (!expRows.has(r.table)) expRows.set(r.table, []);
        expRows.get(r.table)!.push({ key, row: r.row });
      }
      for (const l of e.links) if (linkLive(l)) {
        if (!expLinks.has(l.table)) expLinks.set(l.table, []);
        expLinks.get(l.table)!.push([...LINK_COLUMNS[l.table].map((c) => l.row[c]!), key]);
      }
    }
    await compareRows(client, s, list, expRows, defect, result);
    await compareLinks(client, s, list, expLinks, defect, result);
    await client.query('ROLLBACK');
  } finally {
    client.release();
  }
  result.ok = result.defects === 0;
  return result;
}

type Defect = (d: KeyedDefect) => void;

async function compareRows(db: pg.ClientBase, s: PlannedStep, keys: string[], exp: Map<TargetTable, Array<{ key: string; row: Record<string, unknown> }>>, defect: Defect, result: KeyedResult) {
  const { system, mapping } = s;
  const ids = new Set<string>();
  for (const [table, rows] of exp) {
    const all = TARGET_COLUMNS[table];
    const cols = all.filter((c) => c !== 'restricted'); // a decision of the new platform: not compared
    const tmp = `exp_${table.replace('record.', '')}`;
    await db.query(`CREATE TEMP TABLE ${tmp} (LIKE ${table}) ON COMMIT DROP`);
    await copyRows(db as pg.PoolClient, tmp, all, rows.map(({ row }) => all.map((c) => row[c] ?? null)));
    const keyOf = new Map(rows.map(({ key, row }) => [row.id as string, key]));
    for (const id of keyOf.keys()) ids.add(id);
    result.compared.rows += rows.length;
    const list = cols.join(', ');
    const { rows: bad } = await db.query<{ id: string; found: boolean }>(
      `SELECT x.id::text, EXISTS (SELECT 1 FROM ${table} t WHERE t.id = x.id) AS found FROM (SELECT ${list} FROM ${tmp} EXCEPT SELECT ${list} FROM ${table} WHERE id IN (SELECT id FROM ${tmp})) x`);
    for (const b of bad) defect({ key: keyOf.get(b.id) ?? '?', problem: b.found ? 'mismatched_row' : 'missing_row', detail: `${table} ${b.id}` });
  }
  // rows the changed keys' lineage traces that the current versions do not produce
  const { rows: traced } = await db.query<{ key: string; table: string; id: string }>(
    `SELECT coalesce(parent_key, source_key) AS key, target_table AS table, target_id::text AS id FROM migration.lineage
     WHERE source_system = $1 AND source_entity = $2 AND (source_key = ANY($3) OR parent_key = ANY($3))`,
    [system, mapping.entity, keys],
  );
  for (const t of traced) if (!ids.has(t.id)) defect({ key: t.key, problem: 'unexpected_row', detail: `${t.table} ${t.id} is traced to the key but its record does not produce it now` });
}

async function compareLinks(db: pg.ClientBase, s: PlannedStep, keys: string[], exp: Map<LinkTable, string[][]>, defect: Defect, result: KeyedResult) {
  const { system, mapping } = s;
  const owned = OWNED_LINKS[`${system}:${mapping.entity}`] ?? [];
  const tables = new Set<LinkTable>([...exp.keys(), ...owned.map((o) => o.table)]);
  const ownerIds = keys.map((k) => targetId(system, mapping.entity, k));
  for (const table of tables) {
    const [a, b, r] = LINK_COLUMNS[table];
    const want = exp.get(table) ?? [];
    result.compared.links += want.length;
    const tmp = `exp_${table.replace('record.', '')}`;
    await db.query(`CREATE TEMP TABLE ${tmp} (${a} uuid, ${b} uuid, ${r} text, key text) ON COMMIT DROP`);
    if (want.length) await copyRows(db as pg.PoolClient, tmp, [a, b, r, 'key'], want);
    const { rows: missing } = await db.query<{ key: string; a: string; b: string; r: string }>(
      `SELECT x.key, x.${a}::text AS a, x.${b}::text AS b, x.${r} AS r FROM ${tmp} x WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.${a} = x.${a} AND t.${b} = x.${b} AND t.${r} = x.${r})`);
    for (const m of missing) defect({ key: m.key, problem: 'missing_link', detail: `${table} (${m.a}, ${m.b}, ${m.r})` });
    const own = owned.find((o) => o.table === table);
    if (!own) continue;
    const { rows: extra } = await db.query<{ a: string; b: string; r: string }>(
      `SELECT t.${a}::text AS a, t.${b}::text AS b, t.${r} AS r FROM ${table} t WHERE t.${own.column} = ANY($1::uuid[])
         AND NOT EXISTS (SELECT 1 FROM ${tmp} x WHERE t.${a} = x.${a} AND t.${b} = x.${b} AND t.${r} = x.${r})`, [ownerIds]);
    for (const x of extra) defect({ key: keys[ownerIds.indexOf(own.column === a ? x.a : x.b)] ?? '?', problem: 'unexpected_link', detail: `${table} (${x.a}, ${x.b}, ${x.r})` });
  }
}
