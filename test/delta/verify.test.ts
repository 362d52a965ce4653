// `reconcile --delta`: after a delta, the changed keys compare clean and a second verification has
// nothing left to compare; a target corrupted on purpose after the delta is caught, key by key.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { query } from '../helpers/extract.ts';
import { runDeltas } from '../../src/delta/index.ts';
import { reconcileDelta } from '../../src/reconcile/delta.ts';
import { loadThenChange, type ChangedExtract } from './helpers.ts';

let x: ChangedExtract;
/** the last audit event before the deltas */
let seqBefore = 0;
const opts = () => ({ ...x.changed, databaseUrl: x.loaded.databaseUrl });
const unverify = () => query(x.loaded.databaseUrl, 'DELETE FROM migration.delta_verified');

beforeAll(async () => {
  x = await loadThenChange('dverify', { scale: 150, seed: 31, fraction: 0.05 });
  [{ seq: seqBefore }] = await query<{ seq: number }>(x.loaded.databaseUrl, 'SELECT max(seq)::int AS seq FROM audit.event');
  await runDeltas(opts(), ['cris', 'crimint'], { batchSize: 50, progress: false });
}, 180_000);
afterAll(async () => x?.dispose());

describe('deltas side by side', () => {
  it('append the legacy audit entries in pipeline order: every new CRIS entry before every new CRIMINT one', async () => {
    const rows = await query<{ origin: string }>(x.loaded.databaseUrl,
      'SELECT origin FROM audit.event WHERE seq > $1 AND legacy_audit_id IS NOT NULL ORDER BY seq', [seqBefore]);
    const origins = rows.map((r) => r.origin);
    expect(new Set(origins)).toEqual(new Set(['CRIS', 'CRIMINT']));
    expect(origins).toEqual([...origins].sort((a, b) => (a === b ? 0 : a === 'CRIS' ? -1 : 1)));
  });
});

describe('reconcile --delta', () => {
  it('compares the changed keys clean, with control totals over everything, and then has nothing left to compare', async () => {
    const r = await reconcileDelta(opts());
    expect(r.steps.flatMap((s) => s.examples), JSON.stringify(r.conservation.filter((c) => !c.ok))).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.keys).toBeGreaterThan(0);
    expect(r.steps.reduce((a, s) => a + s.compared.rows, 0)).toBeGreaterThan(0);
    // every step balanced, not only those with changes
    expect(r.conservation.length).toBe(10);
    const again = await reconcileDelta(opts());
    expect(again.keys).toBe(0);
    expect(again.ok).toBe(true);
  }, 120_000);

  it('catches a changed record whose update was lost, and a deleted record left in the target', async () => {
    const url = x.loaded.databaseUrl;
    const [upd] = await query<{ key: string }>(url, `SELECT source_key AS key FROM migration.delta_change WHERE source_entity = 'NOMINAL' AND kind = 'update' ORDER BY 1 LIMIT 1`);
    const [del] = await query<{ key: string }>(url, `SELECT source_key AS key FROM migration.delta_change WHERE source_entity = 'CRIME_REPORT' AND kind = 'delete' ORDER BY 1 LIMIT 1`);
    expect(upd && del).toBeTruthy();
    await query(url, `UPDATE record.person SET forenames = 'STALE' WHERE id = (SELECT target_id FROM migration.lineage WHERE source_system = 'CRIS' AND source_entity = 'NOMINAL' AND source_key = $1)`, [upd!.key]);
    // the deleted crime report comes back as it was (lineage and a row), as a delta that missed the deletion would leave it
    await query(url, `INSERT INTO record.event (id, kind, reference, reported_at, source_system) VALUES (gen_random_uuid(), 'crime', $1, now(), 'CRIS')`, [del!.key]);
    await query(url, `INSERT INTO migration.lineage (source_system, source_entity, source_key, target_table, target_id, source_hash, run_id)
      SELECT 'CRIS', 'CRIME_REPORT', $1, 'record.event', id, 'x', 1 FROM record.event WHERE reference = $1`, [del!.key]);
    await unverify();
    const r = await reconcileDelta(opts());
    expect(r.ok).toBe(false);
    const found = r.steps.flatMap((s) => s.examples.map((e) => `${s.entity} ${e.problem} ${e.key}`));
    expect(found).toContain(`NOMINAL mismatched_row ${upd!.key}`);
    expect(found).toContain(`CRIME_REPORT outcome ${del!.key}`);
    expect(found).toContain(`CRIME_REPORT unexpected_row ${del!.key}`);
    // and conservation over everything sees the extra record too
    expect(r.conservation.find((c) => c.entity === 'CRIME_REPORT')?.ok).toBe(false);
  }, 120_000);

  it('catches a link-only change (CRIS CRIME_NOMINAL) whose link row is missing from the target', async () => {
    const url = x.loaded.databaseUrl;
    // a changed link whose row the delta wrote (both ends in the target)
    const [ins] = await query<{ key: string; event: string; person: string }>(url, `
      SELECT c.source_key AS key, le.target_id::text AS event, lp.target_id::text AS person FROM migration.delta_change c
      JOIN migration.lineage le ON le.source_system = 'CRIS' AND le.source_entity = 'CRIME_REPORT' AND le.source_key = split_part(c.source_key, '|', 1)
      JOIN migration.lineage lp ON lp.source_system = 'CRIS' AND lp.source_entity = 'NOMINAL' AND lp.source_key = split_part(c.source_key, '|', 2)
      WHERE c.source_entity = 'CRIME_NOMINAL' AND c.kind IN ('insert', 'update')
        AND EXISTS (SELECT 1 FROM record.event_person ep WHERE ep.event_id = le.target_id AND ep.person_id = lp.target_id)
      ORDER BY 1 LIMIT 1`);
    expect(ins).toBeTruthy();
    const gone = await query(url, 'DELETE FROM record.event_person WHERE event_id = $1 AND person_id = $2 RETURNING 1', [ins!.event, ins!.person]);
    expect(gone.length).toBeGreaterThan(0);
    await unverify();
    const r = await reconcileDelta(opts());
    expect(r.ok).toBe(false);
    const step = r.steps.find((s) => s.entity === 'CRIME_NOMINAL')!;
    expect(step.examples.map((e) => `${e.problem} ${e.key} ${e.detail}`)).toContain(`outcome ${ins!.key} expected loaded, the target has nothing`);
    // only that key: every other changed link row is found in the target
    expect(step.examples.filter((e) => e.problem === 'outcome').map((e) => e.key)).toEqual([ins!.key]);
  }, 120_000);

  it('counts every record in the control totals: a record the delta never touched, gone from the target, fails its step', async () => {
    const url = x.loaded.databaseUrl;
    const [v] = await query<{ key: string; id: string }>(url, `SELECT l.source_key AS key, l.target_id::text AS id FROM migration.lineage l
      WHERE l.source_system = 'CRIS' AND l.source_entity = 'VEHICLE' AND l.parent_key IS NULL
        AND NOT EXISTS (SELECT 1 FROM migration.delta_change c WHERE c.source_entity = 'VEHICLE' AND c.source_key = l.source_key)
      ORDER BY 1 LIMIT 1`);
    expect(v).toBeTruthy();
    await unverify();
    const before = (await reconcileDelta(opts())).conservation.find((c) => c.entity === 'VEHICLE')!;
    expect(before.ok).toBe(true);
    await query(url, 'DELETE FROM record.event_object WHERE object_id = $1', [v!.id]);
    await query(url, 'DELETE FROM record.object WHERE id = $1', [v!.id]);
    await unverify();
    const r = await reconcileDelta(opts());
    const after = r.conservation.find((c) => c.entity === 'VEHICLE')!;
    expect(after.ok).toBe(false);
    expect(after.target.loaded).toBe(before.target.loaded - 1);
    expect(r.ok).toBe(false);
    // the key was not compared: only the control totals could see it
    expect(r.steps.flatMap((s) => s.examples.map((e) => e.key))).not.toContain(v!.key);
  }, 120_000);

  it('checks the CRIMINT export against its manifest: one byte changed in a file the delta read fails it, naming the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cutover-dverify-byte-'));
    try {
      cpSync(x.changed.crimintDir, dir, { recursive: true });
      const file = path.join(dir, 'nominals.json');
      const bytes = readFileSync(file);
      const at = bytes.indexOf(Buffer.from('"surname":"')) + 11; // a letter of a name: still valid JSON
      expect(at).toBeGreaterThan(11);
      bytes[at] = bytes[at] === 0x58 ? 0x59 : 0x58;
      writeFileSync(file, bytes);
      await unverify();
      const r = await reconcileDelta({ ...opts(), crimintDir: dir });
      expect(r.ok).toBe(false);
      expect(r.manifest!.ok).toBe(false);
      expect(r.manifest!.files.filter((f) => !f.ok).map((f) => f.file)).toEqual(['nominals.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
