// Change tracking (migrations/…_change-tracking.ts): why it cannot miss a change to record,
// migration or audit, and why it never makes an unchanged target look stale.
//
// The argument: (1) every table of the three schemas carries one AFTER … FOR EACH STATEMENT
// trigger for INSERT, UPDATE, DELETE and TRUNCATE, enabled ALWAYS (so also under
// session_replication_role = replica); PostgreSQL fires a statement-level trigger once for every
// such statement, whatever the number of rows, COPY included. (2) The trigger adds a row to
// tracking.change in the writer's own transaction: the row commits if and only if the change
// commits. (3) A table without the trigger is reported by readTarget and fails the gate, and
// `db migrate` installs it. The tests below hold each part against a real PostgreSQL, table by table.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtract, migrateAll, query, type Extract } from '../helpers/extract.ts';
import { migrate } from '../../src/db/migrate.ts';
import { ensureEmbedded, stopEmbedded, embeddedUrl, embeddedPaths } from '../../src/db/embedded.ts';
import { readTarget } from '../../src/report/target.ts';
import { bindingOf } from '../../src/report/store.ts';
import { judgeResults } from '../../src/report/freshness.ts';
import { evaluateGate, buildSummary } from '../../src/report/index.ts';

let e: Extract;
beforeAll(async () => {
  e = await createExtract('tracking', { scale: 150, seed: 3 });
  await migrateAll(e);
}, 300_000);
afterAll(async () => {
  await e?.dispose();
});

/** A client as a person at a psql prompt would have: autocommit, application_name psql. */
async function psql<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, application_name: 'psql' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const tables = async (url: string) => (await query<{ t: string }>(url, `
  SELECT ns.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
   WHERE ns.nspname IN ('record', 'migration', 'audit') AND c.relkind IN ('r', 'p') ORDER BY 1`)).map((r) => r.t);

const changes = async (url: string) => (await readTarget(url)).state!.changes;

/** A reconcile result bound to the target as it is now, judged again later. */
const boundNow = async (url: string) => {
  const b = bindingOf(await readTarget(url));
  return { reconcile: { kind: 'reconcile' as const, savedAt: new Date().toISOString(), ok: true, binding: b, result: {} } };
};

describe('change tracking', () => {
  it('every table of record, migration and audit has the AFTER statement-level trigger for INSERT, UPDATE, DELETE and TRUNCATE, enabled always', async () => {
    const all = await tables(e.databaseUrl);
    expect(all.length).toBeGreaterThanOrEqual(20);
    const triggers = await query<{ t: string; tgtype: number; tgenabled: string; fn: string }>(e.databaseUrl, `
      SELECT ns.nspname || '.' || c.relname AS t, g.tgtype, g.tgenabled, g.tgfoid::regproc::text AS fn
        FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
       WHERE g.tgname = 'cutover_track' ORDER BY 1`);
    expect(triggers.map((x) => x.t)).toEqual(all);
    // tgtype bits: 1 row-level, 2 before, 4 insert, 8 delete, 16 update, 32 truncate, 64 instead
    for (const x of triggers) expect([x.t, x.tgtype & 127, x.tgenabled, x.fn]).toEqual([x.t, 4 | 8 | 16 | 32, 'A', 'tracking.note']);
    expect((await readTarget(e.databaseUrl)).untracked).toEqual([]);
  });

  it('a one-row change committed from psql on each table moves the state; reading, a rolled-back change and nothing at all do not', async () => {
    const url = e.databaseUrl;
    // another session watching the state as readTarget reads it (committed rows only)
    const observer = new pg.Client(url);
    await observer.connect();
    const changes = async (_u: string) => Number((await observer.query<{ n: string }>('SELECT count(*) AS n FROM tracking.change')).rows[0]!.n);
    expect(await changes(url)).toBe((await readTarget(url)).state!.changes);
    const s0 = await changes(url);
    // reads of every table, by the tool and by psql: no change
    for (const t of await tables(url)) await psql(url, (c) => c.query(`SELECT count(*) FROM ${t}`));
    expect(await changes(url)).toBe(s0);
    const before = await boundNow(url);
    expect(judgeResults(before, await readTarget(url)).reconcile!.standing).toBe('current');

    const moved: string[] = [];
    const prompt = new pg.Client({ connectionString: url, application_name: 'psql' });
    await prompt.connect();
    const psqlOne = async <T>(_u: string, fn: (c: pg.Client) => Promise<T>) => fn(prompt);
    try {
    for (const t of await tables(url)) {
      const [schema, name] = t.split('.') as [string, string];
      const col = (await query<{ a: string }>(url, `SELECT a.attname AS a FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' AND a.attidentity = '' ORDER BY a.attnum LIMIT 1`, [t]))[0]!.a;
      const rows = Number((await query<{ n: string }>(url, `SELECT count(*) AS n FROM ${t}`))[0]!.n);
      const s = await changes(url);
      if (t === 'audit.event') {
        // append-only: a one-row INSERT, and a one-row DELETE by an owner who silences the ordinary triggers
        await psqlOne(url, (c) => c.query(`INSERT INTO audit.event (occurred_at, actor, operation, origin) VALUES (now(), 'someone', 'consultation', 'RMS')`));
        expect(await changes(url), `${t} insert`).toBe(s + 1);
        await psqlOne(url, async (c) => {
          await c.query(`SET session_replication_role = replica`);
          await c.query(`DELETE FROM audit.event WHERE seq = (SELECT max(seq) FROM audit.event)`);
          await c.query(`RESET session_replication_role`);
        });
        expect(await changes(url), `${t} delete with the ordinary triggers silenced`).toBe(s + 2);
      } else if (rows > 0) {
        await psqlOne(url, (c) => c.query(`UPDATE ${schema}.${name} SET ${col} = ${col} WHERE ctid = (SELECT ctid FROM ${schema}.${name} LIMIT 1)`));
        expect(await changes(url), `${t} one-row update`).toBe(s + 1);
      } else {
        // an empty table: a statement that changes nothing still fires the statement trigger
        await psqlOne(url, (c) => c.query(`DELETE FROM ${schema}.${name} WHERE false`));
        expect(await changes(url), `${t} empty-table delete`).toBe(s + 1);
      }
      moved.push(t);
      // a change rolled back leaves nothing
      const r = await changes(url);
      await psqlOne(url, async (c) => {
        await c.query('BEGIN');
        await c.query(`DELETE FROM ${schema}.${name} WHERE false`);
        await c.query('ROLLBACK');
      });
      expect(await changes(url), `${t} rolled back`).toBe(r);
    }
    } finally {
      await prompt.end();
      await observer.end();
    }
    expect(moved).toEqual(await tables(url));
    // the result bound before is stale now, and says what changed and who did it
    const j = judgeResults(before, await readTarget(url)).reconcile!;
    expect(j.standing).toBe('stale');
    expect(j).toEqual({ standing: 'stale', reason: 'the target changed after it was taken', rerun: 'cutover reconcile' });
  });

  it('a one-row DELETE of a person\'s name is caught and named: table and who did it', async () => {
    const url = e.databaseUrl;
    const before = await boundNow(url);
    const since = before.reconcile.binding.state!.lastChangeAt;
    await psql(url, (c) => c.query(`DELETE FROM record.person_name WHERE ctid = (SELECT ctid FROM record.person_name LIMIT 1)`));
    const { changesAfter } = await import('../../src/report/target.ts');
    const notes = await changesAfter(url, since);
    expect(notes.transactions).toBe(1);
    expect(notes.latest.map((n) => [n.tables, n.app])).toEqual([[['record.person_name'], 'psql']]);
    const j = judgeResults(before, await readTarget(url), notes).reconcile!;
    expect(j.reason).toMatch(/^the target changed after it was taken \(1 transaction by psql at \S+: record\.person_name\)$/);
  });

  it('a table added later without the trigger is reported and fails the gate; db migrate covers it', async () => {
    const url = e.databaseUrl;
    await query(url, 'CREATE TABLE migration.later_helper (id int PRIMARY KEY, note text)');
    const now = await readTarget(url);
    expect(now.untracked).toEqual(['migration.later_helper']);
    const gate = evaluateGate(buildSummary({}, undefined, { target: { now, judged: {}, elsewhere: {} } }));
    expect(gate.criteria.find((c) => c.id === 'results-current')!.reason).toMatch(/^tables without change tracking: migration\.later_helper: run `cutover db migrate`/);
    await migrate(url);
    expect((await readTarget(url)).untracked).toEqual([]);
    const s = await changes(url);
    await psql(url, (c) => c.query(`INSERT INTO migration.later_helper VALUES (1, 'x')`));
    expect(await changes(url)).toBe(s + 1);
  });
});

describe('change tracking across a restart', () => {
  it('keeps the identity and the state through a server restart, and a change after it is still seen', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'cutover-tracking-'));
    const port = 30000 + Math.floor(Math.random() * 700); // below the ephemeral range
    try {
      await ensureEmbedded({ home, port });
      await query(embeddedUrl(port, 'postgres'), 'CREATE DATABASE restart_target');
      const url = embeddedUrl(port, 'restart_target');
      await migrate(url);
      await psql(url, (c) => c.query(`INSERT INTO audit.event (occurred_at, actor, operation, origin) VALUES (now(), 'someone', 'consultation', 'RMS')`));
      const before = await boundNow(url);
      await stopEmbedded({ home, port });
      await ensureEmbedded({ home, port });
      const after = await readTarget(url);
      expect(after.identity).toEqual(before.reconcile.binding.target);
      expect(after.state).toEqual(before.reconcile.binding.state);
      expect(judgeResults(before, after).reconcile!.standing).toBe('current');
      await psql(url, (c) => c.query(`INSERT INTO audit.event (occurred_at, actor, operation, origin) VALUES (now(), 'x', 'consultation', 'RMS')`));
      expect(judgeResults(before, await readTarget(url)).reconcile!.standing).toBe('stale');
    } finally {
      await stopEmbedded({ home, port }).catch(() => {});
      rmSync(path.dirname(embeddedPaths({ home, port }).dataDir), { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});
