// The target schema as target-schema.md gives it, checked through information_schema; migrations
// are safe to run concurrently; the embedded server recovers a stale lock.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { query } from '../helpers/extract.ts';
import { migrate, migrationNames } from '../../src/db/migrate.ts';
import { ensureEmbedded, stopEmbedded, embeddedUrl, embeddedPaths } from '../../src/db/embedded.ts';

let url: string;
beforeAll(async () => {
  url = await createTestDatabase('schema');
  // two concurrent `db migrate` calls: node-pg-migrate's lock makes one wait for the other
  const [a, b] = await Promise.all([migrate(url), migrate(url)]);
  expect([...a, ...b].filter((m) => m.endsWith('record-schema'))).toHaveLength(1);
});
afterAll(async () => url && dropTestDatabase(url));

const columns = async (schema: string, table: string) =>
  (await query<{ column_name: string }>(url, `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`, [schema, table])).map((r) => r.column_name);

describe('migrations', () => {
  it('a target with every migration applied needs nothing; one that lacks one gets it', async () => {
    const applied = (await query<{ name: string }>(url, 'SELECT name FROM public.pgmigrations ORDER BY name')).map((r) => r.name);
    expect(applied).toEqual(migrationNames());
    expect(await migrate(url)).toEqual([]);
    // the last migration unrecorded (it can run again: it only sets a table's comment): the runner applies it
    const last = applied[applied.length - 1]!;
    expect(last).toMatch(/deferred-foreign-keys/);
    await query(url, 'DELETE FROM public.pgmigrations WHERE name = $1', [last]);
    expect(await migrate(url)).toEqual([last]);
    expect((await query<{ name: string }>(url, 'SELECT name FROM public.pgmigrations ORDER BY name')).map((r) => r.name)).toEqual(migrationNames());
  });
});

describe('target schema', () => {
  it('has every table and column target-schema.md fixes', async () => {
    const fixed: Record<string, string[]> = {
      'record.person': ['id', 'surname', 'forenames', 'date_of_birth', 'dob_precision', 'sex', 'ethnicity', 'pnc_id', 'cro_no', 'restricted', 'source_system', 'created_at', 'created_by', 'updated_at', 'updated_by'],
      'record.person_name': ['id', 'person_id', 'surname', 'forenames', 'date_of_birth', 'dob_precision', 'kind'],
      'record.location': ['id', 'premises', 'street', 'locality', 'town', 'postcode', 'easting', 'northing'],
      'record.object': ['id', 'kind', 'vrm', 'make', 'model', 'colour', 'telephone'],
      'record.event': ['id', 'kind', 'reference', 'occurred_from', 'occurred_to', 'reported_at', 'classification_code', 'classification_label', 'borough', 'status', 'narrative', 'officer', 'grading_source', 'grading_intel', 'grading_handling', 'legacy_grading', 'mopi_group', 'review_due', 'restricted', 'source_system', 'created_at', 'created_by', 'updated_at', 'updated_by'],
      'record.event_person': ['event_id', 'person_id', 'role'],
      'record.event_location': ['event_id', 'location_id', 'role'],
      'record.event_object': ['event_id', 'object_id', 'role'],
      'record.person_location': ['person_id', 'location_id', 'role'],
      'record.person_object': ['person_id', 'object_id', 'role'],
      'audit.event': ['seq', 'occurred_at', 'actor', 'operation', 'justification', 'recipient', 'entity_type', 'entity_id', 'entity_ref', 'detail', 'origin', 'legacy_audit_id', 'prev_hash', 'hash'],
      'migration.lineage': ['source_system', 'source_entity', 'source_key', 'target_table', 'target_id', 'source_hash', 'run_id', 'batch_id'],
      'migration.quarantine': ['source_system', 'source_entity', 'source_key', 'reason_code', 'field', 'message', 'raw', 'run_id', 'resolved_at'],
    };
    for (const [t, cols] of Object.entries(fixed)) {
      const [schema, table] = t.split('.');
      const have = await columns(schema!, table!);
      for (const c of cols) expect(have, `${t}.${c}`).toContain(c);
    }
    const types = await query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(url, `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
      WHERE (table_schema, table_name, column_name) IN (('record','person','id'), ('record','person','surname'), ('record','person','restricted'), ('record','event','reported_at'), ('record','event','mopi_group'), ('audit','event','seq'), ('audit','event','hash'), ('migration','quarantine','raw'))`);
    const t = Object.fromEntries(types.map((r) => [`${r.table_name}.${r.column_name}`, `${r.data_type} ${r.is_nullable}`]));
    expect(t).toMatchObject({
      'person.id': 'uuid NO', 'person.surname': 'text NO', 'person.restricted': 'boolean NO', 'event.reported_at': 'timestamp with time zone NO',
      'event.mopi_group': 'smallint YES', 'event.seq': 'bigint NO', 'event.hash': 'bytea YES', 'quarantine.raw': 'jsonb NO',
    });
  });

  it('link tables have a cascading foreign key on both sides and a primary key of all three columns', async () => {
    const fks = await query<{ table_name: string; column_name: string; delete_rule: string }>(url, `
      SELECT kcu.table_name, kcu.column_name, rc.delete_rule FROM information_schema.referential_constraints rc
      JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema
      WHERE kcu.table_schema = 'record' ORDER BY 1, 2`);
    for (const [t, a, b] of [['event_person', 'event_id', 'person_id'], ['event_location', 'event_id', 'location_id'], ['event_object', 'event_id', 'object_id'], ['person_location', 'person_id', 'location_id'], ['person_object', 'person_id', 'object_id']]) {
      for (const col of [a, b]) expect(fks.find((f) => f.table_name === t && f.column_name === col)?.delete_rule, `${t}.${col}`).toBe('CASCADE');
      const pk = await query<{ column_name: string }>(url, `SELECT kcu.column_name FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
        WHERE tc.table_schema = 'record' AND tc.table_name = $1 AND tc.constraint_type = 'PRIMARY KEY' ORDER BY kcu.ordinal_position`, [t]);
      expect(pk.map((p) => p.column_name)).toEqual([a, b, 'role']);
    }
    expect(fks.find((f) => f.table_name === 'person_name')?.delete_rule).toBe('CASCADE');
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit.event', async () => {
    await query(url, `INSERT INTO audit.event (occurred_at, actor, operation, origin) VALUES (now(), 'x', 'consultation', 'RMS')`);
    for (const sql of ['UPDATE audit.event SET actor = $$y$$', 'DELETE FROM audit.event', 'TRUNCATE audit.event']) {
      await expect(query(url, sql), sql).rejects.toThrow(/append-only/);
    }
    const [{ n }] = await query<{ n: number }>(url, 'SELECT count(*)::int n FROM audit.event');
    expect(n).toBe(1);
  });
});

/** Hold 127.0.0.1:port with a plain TCP listener; resolves to its close function. */
function holdPort(port: number): Promise<() => Promise<void>> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(() => new Promise((r) => server.close(() => r()))));
  });
}

describe('embedded PostgreSQL', () => {
  it('waits for a port held a moment, and names a port held for good', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'cutover-embedded-'));
    const port = 29000 + Math.floor(Math.random() * 900);
    try {
      const release = await holdPort(port);
      setTimeout(() => void release(), 1500); // freed while the start is being retried
      expect((await ensureEmbedded({ home, port })).started).toBe(true);
      await stopEmbedded({ home, port });
      const releaseLater = await holdPort(port);
      try {
        await expect(ensureEmbedded({ home, port })).rejects.toThrow(`could not start the embedded PostgreSQL on port ${port}`);
      } finally {
        await releaseLater();
      }
    } finally {
      await stopEmbedded({ home, port }).catch(() => {});
      rmSync(path.dirname(embeddedPaths({ home, port }).dataDir), { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);

  it('is reused when running, and recovers a stale lock after a crash', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'cutover-embedded-'));
    // below Linux's ephemeral range (32768–60999), where a client socket of another test could hold it
    const port = 29000 + Math.floor(Math.random() * 900);
    try {
      expect((await ensureEmbedded({ home, port })).started).toBe(true);
      expect((await ensureEmbedded({ home, port })).started, 'reused').toBe(false);
      const { dataDir } = embeddedPaths({ home, port });
      const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 'SIGKILL'); // a crash: postmaster.pid stays behind
      await new Promise((r) => setTimeout(r, 500));
      expect((await ensureEmbedded({ home, port })).started, 'started again over the stale lock').toBe(true);
      const [{ one }] = await query<{ one: number }>(embeddedUrl(port, 'postgres'), 'SELECT 1 AS one');
      expect(one).toBe(1);
    } finally {
      await stopEmbedded({ home, port }).catch(() => {});
      rmSync(path.dirname(embeddedPaths({ home, port }).dataDir), { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  });
});
