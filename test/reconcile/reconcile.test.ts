// reconcile() against a real migrated target: a generated extract (scale 200, with re-exported
// CRIMINT keys), both pipelines run once. Each corruption works on a copy (CREATE DATABASE …
// TEMPLATE) or a copied export, so the tests are independent of each other and of their order.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrl } from '../helpers/db.ts';
import { migratedFixture, dropDatabase, type Fixture } from './fixture.ts';
import { reconcile, plainRead, formatReconcile, type ReconcileOptions, type ReconcileResult } from '../../src/reconcile/index.ts';
import type { Mapping } from '../../src/pipeline/types.ts';
import { withClient } from '../../src/db/pool.ts';
import { targetId } from '../../src/core/ids.ts';
import { erase } from '../../src/privacy/index.ts';
import { runPipelines } from '../../src/pipeline/index.ts';
import { countedInTarget } from '../../src/reconcile/control-totals.ts';
import { reconcilePool } from '../../src/reconcile/db.ts';
import { plannedSteps, resolvePipelines } from '../../src/reconcile/plan.ts';

let fx: Fixture;
let base: ReconcileOptions;

async function query<R extends pg.QueryResultRow = Record<string, string>>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    return (await c.query<R>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/** A copy of a database (nothing may be connected to the original). */
async function cloneDb(url: string): Promise<string> {
  const from = new URL(url).pathname.slice(1);
  const name = `${from.slice(0, 40)}_c${randomBytes(3).toString('hex')}`;
  await query(adminUrl(), `CREATE DATABASE ${name} TEMPLATE ${from}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Corrupt a copy of the target with `sql`, reconcile it, drop the copy. */
async function reconcileCorrupted(corrupt: (url: string) => Promise<void>, over: Partial<ReconcileOptions> = {}, internals = {}): Promise<ReconcileResult> {
  const url = await cloneDb(base.databaseUrl);
  try {
    await corrupt(url);
    return await reconcile({ ...base, ...over, databaseUrl: url }, internals);
  } finally {
    await dropDatabase(adminUrl(), url);
  }
}

const entity = (r: ReconcileResult, step: string) => r.entities.find((e) => e.step === step)!;
const table = (r: ReconcileResult, step: string, t: string) => entity(r, step).tables.find((x) => x.table === t)!;
const field = (r: ReconcileResult, step: string, t: string, column: string) => table(r, step, t).fields.find((f) => f.column === column)!;
const conservation = (r: ReconcileResult, step: string) => r.controlTotals.conservation.find((c) => c.step === step)!;

/** A CRIS record that was loaded: its key and target id. */
async function loaded(url: string, entityName: string, where = 'true'): Promise<{ key: string; id: string }> {
  const [row] = await query<{ key: string; id: string }>(url,
    `SELECT l.source_key AS key, l.target_id::text AS id FROM migration.lineage l
     JOIN ${entityName === 'CRIME_REPORT' ? 'record.event' : 'record.person'} t ON t.id = l.target_id
     WHERE l.source_system = 'CRIS' AND l.source_entity = $1 AND l.parent_key IS NULL AND ${where}
     ORDER BY l.source_key LIMIT 1`, [entityName]);
  if (!row) throw new Error(`no loaded ${entityName} matching ${where}`);
  return row;
}

beforeAll(async () => {
  fx = await migratedFixture(adminUrl(), { scale: 200, seed: 7, prefix: 'recon', rates: { duplicateKey: 0.1 } });
  base = { databaseUrl: fx.connections.databaseUrl, crisUrl: fx.connections.crisUrl, crimintDir: fx.connections.crimintDir };
}, 600_000);

afterAll(async () => {
  await fx?.dispose();
});

describe('reconcile: a clean migration', () => {
  it('passes, with every step balanced, every row compared and every profile equal', async () => {
    const r = await reconcile(base);
    expect(r.problems, formatReconcile(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.entities.map((e) => e.step)).toEqual([
      'CRIS:ADDRESS', 'CRIS:VEHICLE', 'CRIS:NOMINAL', 'CRIS:CRIME_REPORT', 'CRIS:CRIME_NOMINAL', 'CRIS:CRIME_VEHICLE',
      'CRIMINT:nominals.json', 'CRIMINT:intel_reports.json',
    ]);
    expect(r.controlTotals.manifest?.ok).toBe(true);
    expect(r.controlTotals.conservation.every((c) => c.balanced)).toBe(true);
    // audit steps are counted too (their fields are reconciled by src/audit)
    expect(conservation(r, 'CRIS:AUDIT_TRAIL').target.loaded).toBeGreaterThan(0);
    const nominals = entity(r, 'CRIMINT:nominals.json');
    expect(nominals.outcomes.superseded).toBeGreaterThan(0); // re-exported keys: earlier copies superseded
    expect(nominals.outcomes.read).toBe(nominals.outcomes.loaded + nominals.outcomes.quarantined + nominals.outcomes.excluded + nominals.outcomes.superseded);
    expect(table(r, 'CRIS:NOMINAL', 'record.person').compared).toBeGreaterThan(100);
    const profiles = table(r, 'CRIS:CRIME_REPORT', 'record.event').profiles;
    const reported = profiles.find((p) => p.column === 'reported_at')!;
    expect(reported.expected).toEqual(reported.actual);
    expect(reported.actual.nulls).toBe(0);
    expect(profiles.find((p) => p.column === 'narrative')!.actual.lengths).not.toBeNull();
    expect(r.links.every((l) => l.ok && l.present + l.orphaned === l.expected)).toBe(true);
    expect(r.links.some((l) => l.orphaned > 0)).toBe(true);
  });

  it('reconciles one pipeline on its own', async () => {
    const r = await reconcile({ ...base, pipelines: ['crimint'] });
    expect(r.problems).toEqual([]);
    expect(r.entities.map((e) => e.system)).toEqual(['CRIMINT', 'CRIMINT']);
  });

  it('gives the same result on worker threads, and with one worker beside this thread', async () => {
    const [here, there, both] = [await reconcile({ ...base, workers: 0 }), await reconcile({ ...base, workers: 2 }), await reconcile({ ...base, workers: 1, concurrency: 2 })];
    expect(there.problems).toEqual([]);
    const strip = (r: ReconcileResult) => JSON.stringify({ ...r, startedAt: 0, endedAt: 0, seconds: 0, entities: r.entities.map((e) => ({ ...e, seconds: 0 })) });
    expect(strip(there)).toBe(strip(here));
    expect(strip(both)).toBe(strip(here));
  });

  it('plainRead streams the same source records', async () => {
    const [r, p] = [await reconcile(base), await plainRead(base)];
    expect(p.sourceRecords).toBe(r.summary.sourceRecords);
    expect(p.targetRows).toBeGreaterThan(p.sourceRecords);
  });
});

describe('reconcile: a corrupted target is caught and named', () => {
  it('a deleted row: missing in target, named by entity and key; conservation fails', async () => {
    const { key, id } = await loaded(base.databaseUrl, 'CRIME_REPORT');
    const r = await reconcileCorrupted((url) => query(url, 'DELETE FROM record.event WHERE id = $1', [id]).then(() => {}));
    expect(r.ok).toBe(false);
    const t = table(r, 'CRIS:CRIME_REPORT', 'record.event');
    expect(t.missing.count).toBe(1);
    expect(t.missing.examples[0]).toMatchObject({ key });
    expect(conservation(r, 'CRIS:CRIME_REPORT').balanced).toBe(false);
    expect(r.problems.some((p) => p.includes(key) && p.includes('missing'))).toBe(true);
  });

  it('an extra row: unexpected, named by table and id (no lineage) or by entity and key (with lineage)', async () => {
    const extraId = '00000000-0000-4000-8000-00000000e001';
    const tracedId = '00000000-0000-4000-8000-00000000e002';
    const r = await reconcileCorrupted(async (url) => {
      await query(url, `INSERT INTO record.person (id, surname, dob_precision, sex, source_system) VALUES ($1, 'EXTRA', 'unknown', 'unknown', 'CRIS')`, [extraId]);
      await query(url, `INSERT INTO record.person (id, surname, dob_precision, sex, source_system) VALUES ($1, 'TRACED', 'unknown', 'unknown', 'CRIMINT')`, [tracedId]);
      await query(url, `INSERT INTO migration.lineage (source_system, source_entity, source_key, target_table, target_id, source_hash, source_ordinal, run_id)
                        VALUES ('CRIMINT', 'nominals.json', 'N9999999', 'record.person', $1, 'x', 999999, 1)`, [tracedId]);
    });
    expect(r.ok).toBe(false);
    const u = r.untraced.find((x) => x.table === 'record.person')!;
    expect(u.count).toBe(1);
    expect(u.examples).toEqual([extraId]);
    const t = table(r, 'CRIMINT:nominals.json', 'record.person');
    expect(t.unexpected.count).toBe(1);
    expect(t.unexpected.examples[0]).toMatchObject({ key: 'N9999999', id: tracedId, reason: 'no source record' });
    expect(entity(r, 'CRIMINT:nominals.json').outcomes.unexpected.examples[0]).toMatchObject({ key: 'N9999999' });
  });

  it('a row and a link nothing traces: untraced, named by table, with examples', async () => {
    const eventId = '00000000-0000-4000-8000-00000000e003';
    const [{ id: personId }] = await query<{ id: string }>(base.databaseUrl, `SELECT id::text FROM record.person WHERE source_system = 'CRIS' ORDER BY id LIMIT 1`);
    const r = await reconcileCorrupted(async (url) => {
      await query(url, `INSERT INTO record.event (id, kind, reference, reported_at, source_system) VALUES ($1, 'crime', 'UNTRACED/1', now(), 'CRIS')`, [eventId]);
      await query(url, `INSERT INTO record.event_person (event_id, person_id, role) VALUES ($1, $2, 'suspect')`, [eventId, personId]);
    });
    expect(r.ok).toBe(false);
    expect(r.untraced.find((u) => u.table === 'record.event')).toMatchObject({ count: 1, examples: [eventId], reason: 'a row of a migrated system with no lineage' });
    const link = r.untraced.find((u) => u.table === 'record.event_person')!;
    expect(link).toMatchObject({ count: 1, examples: [`${eventId} ${personId} suspect`] });
    expect(link.reason).toMatch(/event_id is no migrated record/);
    expect(r.untraced.filter((u) => u.table !== 'record.event' && u.table !== 'record.event_person')).toEqual([]);
  });

  it('a legacy-deleted record in the target: unexpected, with its outcome contradicting the exclusion', async () => {
    const [{ key }] = await query<{ key: string }>(base.databaseUrl,
      `SELECT source_key AS key FROM migration.exclusion WHERE source_system = 'CRIS' AND source_entity = 'NOMINAL' ORDER BY source_key LIMIT 1`);
    const id = targetId('CRIS', 'NOMINAL', key!);
    const r = await reconcileCorrupted(async (url) => {
      await query(url, `INSERT INTO record.person (id, surname, dob_precision, sex, source_system) VALUES ($1, 'DELETED', 'unknown', 'unknown', 'CRIS')`, [id]);
      await query(url, `INSERT INTO migration.lineage (source_system, source_entity, source_key, target_table, target_id, source_hash, run_id)
                        VALUES ('CRIS', 'NOMINAL', $1, 'record.person', $2, 'x', 1)`, [key, id]);
    });
    const t = table(r, 'CRIS:NOMINAL', 'record.person');
    expect(t.unexpected.examples).toEqual([{ key, id, reason: 'source record excluded (legacy_deleted)' }]);
    expect(entity(r, 'CRIS:NOMINAL').outcomes.mismatched.examples[0]).toMatchObject({ key, expected: 'excluded (legacy_deleted)' });
    expect(r.ok).toBe(false);
  });

  it('a truncated narrative: a narrative mismatch with the key', async () => {
    const { key, id } = await loaded(base.databaseUrl, 'CRIME_REPORT', 'length(t.narrative) > 30');
    const r = await reconcileCorrupted((url) => query(url, 'UPDATE record.event SET narrative = left(narrative, 30) WHERE id = $1', [id]).then(() => {}));
    const f = field(r, 'CRIS:CRIME_REPORT', 'record.event', 'narrative');
    expect(f.mismatches).toBe(1);
    expect(f.examples[0]!.key).toBe(key);
    expect(String(f.examples[0]!.expected).startsWith(String(f.examples[0]!.actual))).toBe(true);
    expect(String(f.examples[0]!.actual)).toHaveLength(30);
    expect(r.ok).toBe(false);
  });

  it('reported_at shifted by an hour: compared as instants, named with the key', async () => {
    const { key, id } = await loaded(base.databaseUrl, 'CRIME_REPORT');
    const r = await reconcileCorrupted((url) => query(url, `UPDATE record.event SET reported_at = reported_at + interval '1 hour' WHERE id = $1`, [id]).then(() => {}));
    const f = field(r, 'CRIS:CRIME_REPORT', 'record.event', 'reported_at');
    expect(f.mismatches).toBe(1);
    const ex = f.examples[0]!;
    expect(ex.key).toBe(key);
    expect(Date.parse(String(ex.actual)) - Date.parse(String(ex.expected))).toBe(3_600_000);
    // only that field: the rest of the row still matches
    expect(table(r, 'CRIS:CRIME_REPORT', 'record.event').fields.filter((x) => x.mismatches).map((x) => x.column)).toEqual(['reported_at']);
  });

  it('a changed link role: a role mismatch on the link, named by the legacy link key', async () => {
    const [link] = await query<{ cris_no: string; nominal_id: string; event_id: string; person_id: string }>(base.databaseUrl,
      `SELECT le.source_key AS cris_no, lp.source_key AS nominal_id, k.event_id::text, k.person_id::text FROM record.event_person k
       JOIN migration.lineage le ON le.target_id = k.event_id AND le.source_system = 'CRIS' AND le.source_entity = 'CRIME_REPORT'
       JOIN migration.lineage lp ON lp.target_id = k.person_id AND lp.source_system = 'CRIS' AND lp.source_entity = 'NOMINAL'
       WHERE k.role = 'victim' AND NOT EXISTS (SELECT 1 FROM record.event_person w WHERE w.event_id = k.event_id AND w.person_id = k.person_id AND w.role = 'witness')
       ORDER BY 1, 2 LIMIT 1`);
    const r = await reconcileCorrupted((url) => query(url, `UPDATE record.event_person SET role = 'witness' WHERE event_id = $1 AND person_id = $2 AND role = 'victim'`, [link!.event_id, link!.person_id]).then(() => {}));
    const l = r.links.find((x) => x.step === 'CRIS:CRIME_NOMINAL' && x.table === 'record.event_person')!;
    expect(l.ok).toBe(false);
    expect(l.fields[0]).toMatchObject({ column: 'role', mismatches: 1 });
    expect(l.fields[0]!.examples[0]).toEqual({ key: `${link!.cris_no}|${link!.nominal_id}|VI`, expected: 'victim', actual: 'witness' });
    expect(l.missing.count + l.unexpected.count).toBe(0);
    expect(r.ok).toBe(false);
  });

  it("a surname's case changed: a surname mismatch (case is not normalised)", async () => {
    const { key, id } = await loaded(base.databaseUrl, 'NOMINAL', "t.surname <> lower(t.surname)");
    const r = await reconcileCorrupted((url) => query(url, 'UPDATE record.person SET surname = lower(surname) WHERE id = $1', [id]).then(() => {}));
    const f = field(r, 'CRIS:NOMINAL', 'record.person', 'surname');
    expect(f.mismatches).toBe(1);
    expect(f.examples[0]!.key).toBe(key);
    expect(String(f.examples[0]!.actual)).toBe(String(f.examples[0]!.expected).toLowerCase());
    expect(r.problems.some((p) => p.includes('CRIS:NOMINAL') && p.includes(key) && p.includes('surname'))).toBe(true);
  });

  it("a CRIMINT alias's surname changed: a mismatch named by the alias's key, compared beside its record (items hold no read position of their own)", async () => {
    // an alias of a record far into the file: its lineage row holds 0, its record's row the position
    const [a] = await query<{ key: string; id: string; own: string; pos: string }>(base.databaseUrl,
      `SELECT l.source_key AS key, l.target_id::text AS id, l.source_ordinal::text AS own, p.source_ordinal::text AS pos
         FROM migration.lineage l JOIN migration.lineage p ON p.source_system = l.source_system AND p.source_entity = l.source_entity AND p.source_key = l.parent_key AND p.parent_key IS NULL
        WHERE l.source_system = 'CRIMINT' AND l.source_entity = 'nominals.json' AND l.target_table = 'record.person_name' AND p.source_ordinal > 10
        ORDER BY p.source_ordinal LIMIT 1`);
    expect(a).toBeDefined();
    expect(a!.own).toBe('0');
    const r = await reconcileCorrupted((url) => query(url, `UPDATE record.person_name SET surname = surname || 'X' WHERE id = $1`, [a!.id]).then(() => {}));
    expect(r.ok).toBe(false);
    const t = table(r, 'CRIMINT:nominals.json', 'record.person_name');
    const f = field(r, 'CRIMINT:nominals.json', 'record.person_name', 'surname');
    expect(f.mismatches).toBe(1);
    expect(f.examples[0]!.key).toBe(a!.key);
    expect(String(f.examples[0]!.actual)).toBe(`${String(f.examples[0]!.expected)}X`);
    // matched to its own record: nothing else in the table is missing or unexpected
    expect(t.missing.count).toBe(0);
    expect(t.unexpected.count).toBe(0);
  });

  it('one dob_precision replaced: a dob_precision mismatch with the key', async () => {
    const { key, id } = await loaded(base.databaseUrl, 'NOMINAL', "t.dob_precision = 'day'");
    const r = await reconcileCorrupted((url) => query(url, `UPDATE record.person SET dob_precision = 'year' WHERE id = $1`, [id]).then(() => {}));
    const f = field(r, 'CRIS:NOMINAL', 'record.person', 'dob_precision');
    expect(f.mismatches).toBe(1);
    expect(f.examples[0]).toEqual({ key, expected: 'day', actual: 'year' });
  });

  it("one key's lineage pointing to another target id: lineage changed, and the orphaned row is unexpected", async () => {
    const a = await loaded(base.databaseUrl, 'NOMINAL');
    const [b] = await query<{ id: string }>(base.databaseUrl, `SELECT id::text FROM record.person WHERE source_system = 'CRIS' AND id <> $1 ORDER BY id LIMIT 1`, [a.id]);
    const r = await reconcileCorrupted((url) => query(url, `UPDATE migration.lineage SET target_id = $1 WHERE source_system = 'CRIS' AND source_entity = 'NOMINAL' AND source_key = $2`, [b!.id, a.key]).then(() => {}));
    const t = table(r, 'CRIS:NOMINAL', 'record.person');
    expect(t.lineageChanged.count).toBe(1);
    expect(t.lineageChanged.examples[0]).toEqual({ key: a.key, expectedId: a.id, actualId: b!.id });
    expect(r.untraced.find((u) => u.table === 'record.person')?.examples).toContain(a.id);
    expect(r.ok).toBe(false);
  });
});

describe('reconcile: control totals', () => {
  /**
   * Each step's conservation counts against the same outcomes counted by query: every step in one
   * statement (as `reconcile --delta` counts them), and each step alone (a failed merge-join).
   */
  async function countsByQuery(r: ReconcileResult, url: string): Promise<Array<[string, unknown, unknown]>> {
    const pool = reconcilePool(url, 2);
    try {
      const steps = plannedSteps(resolvePipelines(undefined));
      const all = await countedInTarget(pool, steps.map((s) => s.mapping));
      const out: Array<[string, unknown, unknown]> = [];
      for (const [i, s] of steps.entries()) {
        const { loaded, quarantined, excluded, superseded } = conservation(r, s.step).target;
        const [alone] = await countedInTarget(pool, [s.mapping]);
        expect(all[i], s.step).toEqual(alone);
        out.push([s.step, { loaded, quarantined, excluded, superseded }, alone]);
      }
      return out;
    } finally {
      await pool.end();
    }
  }

  it('counts each step\'s outcomes as its merge-join reads them: the same as counting by query, with stray rows too', async () => {
    const before = await countsByQuery(await reconcile(base), base.databaseUrl);
    for (const [step, merged, queried] of before) expect(merged, step).toEqual(queried);
    const { id } = await loaded(base.databaseUrl, 'CRIME_REPORT');
    const url = await cloneDb(base.databaseUrl);
    try {
      await query(url, 'DELETE FROM record.event WHERE id = $1', [id]);
      await query(url, `DELETE FROM migration.exclusion WHERE ctid IN (SELECT ctid FROM migration.exclusion WHERE source_system = 'CRIS' AND source_entity = 'NOMINAL' LIMIT 2)`);
      await query(url, `INSERT INTO migration.quarantine (source_system, source_entity, source_key, reason_code, message, raw, source_ordinal, run_id)
                        SELECT source_system, source_entity, 'STRAY-' || source_key, reason_code, message, raw, source_ordinal, run_id FROM migration.quarantine WHERE source_system = 'CRIS' AND source_entity = 'CRIME_NOMINAL' LIMIT 1`);
      const r = await reconcile({ ...base, databaseUrl: url });
      const counts = await countsByQuery(r, url);
      for (const [step, merged, queried] of counts) expect(merged, step).toEqual(queried);
      const loadedOf = (c: typeof counts, step: string) => (c.find((x) => x[0] === step)![1] as { loaded: number; excluded: number; quarantined: number });
      expect(loadedOf(counts, 'CRIS:CRIME_REPORT').loaded).toBe(loadedOf(before, 'CRIS:CRIME_REPORT').loaded - 1);
      expect(loadedOf(counts, 'CRIS:NOMINAL').excluded).toBe(loadedOf(before, 'CRIS:NOMINAL').excluded - 2);
      expect(loadedOf(counts, 'CRIS:CRIME_NOMINAL').quarantined).toBe(loadedOf(before, 'CRIS:CRIME_NOMINAL').quarantined + 1);
      expect(conservation(r, 'CRIS:CRIME_NOMINAL').balanced).toBe(false);
    } finally {
      await dropDatabase(adminUrl(), url);
    }
  });

  it('a row deleted from a source table: conservation fails, the target row has no source record', async () => {
    const { key } = await loaded(base.databaseUrl, 'NOMINAL');
    const crisCopy = await cloneDb(base.crisUrl);
    try {
      await query(crisCopy, 'DELETE FROM dbo.nominal WHERE nominal_id = $1', [Number(key)]);
      const r = await reconcile({ ...base, crisUrl: crisCopy, pipelines: ['cris'] });
      expect(r.ok).toBe(false);
      const c = conservation(r, 'CRIS:NOMINAL');
      expect(c.balanced).toBe(false);
      expect(c.source).toBe(c.target.total - 1);
      expect(r.controlTotals.cris?.find((x) => x.entity === 'NOMINAL')?.rows).toBe(c.source);
      expect(table(r, 'CRIS:NOMINAL', 'record.person').unexpected.examples).toEqual([expect.objectContaining({ key, reason: 'no source record' })]);
      expect(r.problems.some((p) => p.startsWith('conservation CRIS:NOMINAL'))).toBe(true);
    } finally {
      await dropDatabase(adminUrl(), crisCopy);
    }
  });

  it('one byte changed in a CRIMINT file: the manifest check names the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cutover-recon-byte-'));
    try {
      cpSync(base.crimintDir, dir, { recursive: true });
      const [{ urn }] = await query<{ urn: string }>(base.databaseUrl,
        `SELECT reference AS urn FROM record.event WHERE source_system = 'CRIMINT' AND narrative ~ '^[A-Za-z]' ORDER BY reference LIMIT 1`);
      const file = path.join(dir, 'intel_reports.json');
      const bytes = readFileSync(file);
      // the first letter of a loaded report's narrative (its last copy): still valid JSON
      const at = bytes.indexOf(Buffer.from('"text":"'), bytes.lastIndexOf(Buffer.from(`"urn":"${urn}"`))) + 8;
      bytes[at] = bytes[at] === 0x58 ? 0x59 : 0x58;
      writeFileSync(file, bytes);
      const r = await reconcile({ ...base, crimintDir: dir, pipelines: ['crimint'] });
      expect(r.ok).toBe(false);
      const m = r.controlTotals.manifest!;
      expect(m.ok).toBe(false);
      expect(m.files.filter((f) => !f.ok).map((f) => f.file)).toEqual(['intel_reports.json']);
      expect(r.problems.some((p) => p.includes('intel_reports.json') && p.includes('sha256'))).toBe(true);
      // and the changed narrative itself
      const narrative = field(r, 'CRIMINT:intel_reports.json', 'record.event', 'narrative');
      expect(narrative.mismatches).toBe(1);
      expect(narrative.examples[0]!.key).toBe(urn);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reconcile: erasure on the new platform', () => {
  it('an erased person is neither missing nor unaccounted, before and after the pipelines read it again', async () => {
    const url = await cloneDb(base.databaseUrl);
    try {
      const people = await query<{ key: string; id: string; system: string }>(url,
        `(SELECT l.source_key AS key, l.target_id::text AS id, l.source_system AS system FROM migration.lineage l
          WHERE l.source_system = 'CRIS' AND l.source_entity = 'NOMINAL' AND l.parent_key IS NULL
            AND NOT EXISTS (SELECT 1 FROM record.person_location pl WHERE pl.person_id = l.target_id)
            AND EXISTS (SELECT 1 FROM record.event_person ep WHERE ep.person_id = l.target_id)
          ORDER BY 1 LIMIT 1)
         UNION ALL
         (SELECT l.source_key, l.target_id::text, l.source_system FROM migration.lineage l
          WHERE l.source_system = 'CRIMINT' AND l.source_entity = 'nominals.json' AND l.parent_key IS NULL
            AND EXISTS (SELECT 1 FROM record.event_person ep WHERE ep.person_id = l.target_id)
          ORDER BY 1 LIMIT 1)`);
      expect(people).toHaveLength(2);
      const base0 = await reconcile({ ...base, databaseUrl: url });
      for (const p of people) await erase({ url, person: p.id, actor: 'TEST01', justification: 'reconcile test: erasure request upheld' });
      const after = await reconcile({ ...base, databaseUrl: url });
      expect(after.problems, formatReconcile(after)).toEqual([]);
      // erase leaves an exclusion (reason erased) for each removed record: accounted at once
      const exclusions = await withClient(url, async (c) => (await c.query(`SELECT source_entity FROM migration.exclusion WHERE reason = 'erased' ORDER BY 1`)).rows.map((r) => r.source_entity));
      expect(exclusions).toEqual(expect.arrayContaining(['NOMINAL', 'nominals.json']));
      const before = entity(base0, 'CRIS:NOMINAL').outcomes.excluded;
      expect(entity(after, 'CRIS:NOMINAL').outcomes.excluded).toBe(before + 1);
      expect(conservation(after, 'CRIS:NOMINAL').ok).toBe(true);
      expect(after.links.find((l) => l.step === 'CRIS:CRIME_NOMINAL')!.erased).toBeGreaterThan(0);

      await runPipelines({ ...fx.connections, databaseUrl: url }, ['cris', 'crimint'], { restart: true, progress: false });
      const rerun = await reconcile({ ...base, databaseUrl: url });
      expect(rerun.problems, formatReconcile(rerun)).toEqual([]);
      expect(conservation(rerun, 'CRIS:NOMINAL').target.erased).toBe(0); // recorded now: excluded (erased)
    } finally {
      await dropDatabase(adminUrl(), url);
    }
  });

  it('a person erased with no outcome left behind (as by the new platform itself) is counted erased, by its erasure token', async () => {
    const url = await cloneDb(base.databaseUrl);
    try {
      const [p] = await query<{ key: string; id: string }>(url,
        `SELECT l.source_key AS key, l.target_id::text AS id FROM migration.lineage l
          WHERE l.source_system = 'CRIS' AND l.source_entity = 'NOMINAL' AND l.parent_key IS NULL
            AND NOT EXISTS (SELECT 1 FROM record.person_location pl WHERE pl.person_id = l.target_id)
          ORDER BY 1 LIMIT 1`);
      await erase({ url, person: p!.id, actor: 'TEST01', justification: 'reconcile test: erasure request upheld' });
      // the erasure's tokens stay; the exclusion a `cutover erase` also records does not
      await withClient(url, (c) => c.query(`DELETE FROM migration.exclusion WHERE reason = 'erased'`));
      const after = await reconcile({ ...base, databaseUrl: url });
      expect(after.problems, formatReconcile(after)).toEqual([]);
      const outcomes = entity(after, 'CRIS:NOMINAL').outcomes;
      expect(outcomes.erased).toBe(1);
      expect(outcomes.unaccounted.count).toBe(0);
      expect(conservation(after, 'CRIS:NOMINAL').ok).toBe(true);
    } finally {
      await dropDatabase(adminUrl(), url);
    }
  });
});

describe('reconcile: profiles', () => {
  it('catch a mapping bug shared by the loader and the row comparison (times an hour late, a field always NULL)', async () => {
    const buggy = (m: Mapping): Mapping => m.entity !== 'CRIME_REPORT' ? m : {
      ...m,
      map(rec) {
        const o = m.map(rec);
        if (o.kind !== 'loaded') return o;
        for (const r of o.mapped.rows) {
          const at = r.row['reported_at'];
          if (at instanceof Date) r.row['reported_at'] = new Date(at.getTime() + 3_600_000);
          r.row['officer'] = null;
        }
        return o;
      },
    };
    const r = await reconcileCorrupted(async (url) => {
      await query(url, `UPDATE record.event SET reported_at = reported_at + interval '1 hour', officer = NULL WHERE source_system = 'CRIS'`);
    }, {}, { mapping: buggy });
    const t = table(r, 'CRIS:CRIME_REPORT', 'record.event');
    expect(t.fields.every((f) => f.mismatches === 0)).toBe(true); // the row comparison is blind to it
    const differs = Object.fromEntries(t.profiles.filter((p) => p.differs.length).map((p) => [p.column, p.differs]));
    expect(differs['reported_at']).toEqual(expect.arrayContaining(['min', 'max']));
    expect(differs['officer']).toEqual(expect.arrayContaining(['nulls', 'distinct']));
    expect(r.ok).toBe(false);
  });
});
