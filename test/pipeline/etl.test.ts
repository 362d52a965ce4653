// The ETL's invariants on a generated extract: conservation, exactly-once re-runs, bad input.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createExtract, migrateAll, query, digest, type Extract } from '../helpers/extract.ts';
import type { RunResult } from '../../src/pipeline/runner.ts';

let e: Extract;
let runs: RunResult[];

beforeAll(async () => {
  e = await createExtract('etl', { scale: 400, seed: 11 });
  runs = await migrateAll(e);
});
afterAll(async () => e?.dispose());

describe('conservation: read = loaded + quarantined + excluded + superseded', () => {
  it('holds for every step, by the run counters', () => {
    const steps = runs.flatMap((r) => r.steps);
    expect(steps.map((s) => s.step)).toEqual([
      'CRIS:ADDRESS', 'CRIS:VEHICLE', 'CRIS:NOMINAL', 'CRIS:CRIME_REPORT', 'CRIS:CRIME_NOMINAL', 'CRIS:CRIME_VEHICLE', 'CRIS:AUDIT_TRAIL',
      'CRIMINT:nominals.json', 'CRIMINT:intel_reports.json', 'CRIMINT:audit.json',
    ]);
    for (const s of steps) {
      expect(s.read, s.step).toBeGreaterThan(0);
      expect(s.loaded + s.quarantined + s.excluded + s.superseded, s.step).toBe(s.read);
      expect(s.read, `${s.step} read everything the source holds`).toBe(s.sourceCount);
    }
  });

  it('holds against the target tables, not only the counters', async () => {
    const [{ n: persons }] = await query<{ n: number }>(e.databaseUrl, `SELECT count(*)::int n FROM migration.lineage WHERE source_entity = 'NOMINAL' AND parent_key IS NULL`);
    const nominal = runs[0]!.steps.find((s) => s.step === 'CRIS:NOMINAL')!;
    expect(persons).toBe(nominal.loaded);
    const ctl = await query<{ t: string; n: number }>(e.databaseUrl, `
      SELECT 'q' t, count(*)::int n FROM migration.quarantine WHERE source_entity = 'NOMINAL'
      UNION ALL SELECT 'e', count(*)::int FROM migration.exclusion WHERE source_entity = 'NOMINAL'`);
    expect(ctl.find((r) => r.t === 'q')!.n).toBe(nominal.quarantined);
    expect(ctl.find((r) => r.t === 'e')!.n).toBe(nominal.excluded);
    const [{ n: crisAudit }] = await query<{ n: number }>(e.databaseUrl, `SELECT count(*)::int n FROM audit.event WHERE origin = 'CRIS'`);
    expect(crisAudit).toBe(e.generated.cris.AUDIT_TRAIL);
  });

  it('a repeated key in a re-export: the later copy wins, the earlier is superseded', async () => {
    const sup = await query<{ source_entity: string; source_key: string; source_ordinal: string }>(e.databaseUrl, `SELECT source_entity, source_key, source_ordinal::text FROM migration.superseded`);
    expect(sup.length).toBeGreaterThan(0);
    for (const s of sup) {
      const [l] = await query<{ o: string }>(e.databaseUrl, `SELECT source_ordinal::text o FROM migration.lineage WHERE source_entity = $1 AND source_key = $2 AND parent_key IS NULL
        UNION ALL SELECT source_ordinal::text FROM migration.quarantine WHERE source_entity = $1 AND source_key = $2
        UNION ALL SELECT source_ordinal::text FROM migration.exclusion WHERE source_entity = $1 AND source_key = $2`, [s.source_entity, s.source_key]);
      expect(Number(l!.o), `${s.source_key}: the kept copy is the later one`).toBeGreaterThan(Number(s.source_ordinal));
    }
  });
});

describe('exactly once', () => {
  it('running a finished pipeline again changes nothing', async () => {
    const before = await digest(e.databaseUrl);
    const again = await migrateAll(e);
    expect(again.map((r) => r.status)).toEqual(['already_complete', 'already_complete']);
    const restarted = await migrateAll(e, { restart: true });
    expect(restarted.map((r) => r.status)).toEqual(['completed', 'completed']);
    const after = await digest(e.databaseUrl);
    // the restart read everything again, so the summed batch counts double; nothing else moves
    const { counts: _c1, ...b } = before;
    const { counts: _c2, ...a } = after;
    expect(a).toEqual(b);
    const [{ n }] = await query<{ n: number }>(e.databaseUrl, `SELECT count(*)::int n FROM audit.event WHERE origin = 'MIGRATION' AND (detail->>'run')::int = $1`, [restarted[0]!.runId]);
    expect(n, 'a re-run that changes nothing logs no collection').toBe(0);
  });
});

describe('bad input lands where it should', () => {
  it('every planted bad record has its stated outcome', async () => {
    expect(e.generated.planted.length).toBeGreaterThanOrEqual(4);
    for (const p of e.generated.planted) {
      const q = await query<{ reason_code: string; field: string }>(e.databaseUrl, `SELECT reason_code, field FROM migration.quarantine WHERE source_system = $1 AND source_entity = $2 AND source_key = $3`, [p.system, p.entity, p.key]);
      const w = await query<{ code: string; field: string }>(e.databaseUrl, `SELECT code, field FROM migration.dq_warning WHERE source_system = $1 AND source_entity = $2 AND source_key = $3`, [p.system, p.entity, p.key]);
      if (p.expect === 'quarantined') {
        expect(q, `${p.key}: ${p.problem}`).toHaveLength(1);
        expect(q[0]!.field, `${p.key}: quarantined on the right field`).toBe(p.field);
      } else {
        expect(q, `${p.key} must not be quarantined`).toHaveLength(0);
        expect(w.map((x) => x.code), `${p.key}: ${p.problem}`).toContain(p.code);
      }
    }
  });

  it('legacy-deleted records are excluded with their key and reason only, and links to them are orphans', async () => {
    const ex = await query<{ source_key: string; reason: string }>(e.databaseUrl, `SELECT source_key, reason FROM migration.exclusion WHERE source_entity = 'NOMINAL'`);
    expect(ex.length).toBeGreaterThan(0);
    for (const x of ex) {
      expect(x.reason).toBe('legacy_deleted');
      const l = await query(e.databaseUrl, `SELECT 1 FROM migration.lineage WHERE source_entity = 'NOMINAL' AND source_key = $1`, [x.source_key]);
      expect(l).toHaveLength(0);
    }
    const cols = await query<{ column_name: string }>(e.databaseUrl, `SELECT column_name FROM information_schema.columns WHERE table_schema = 'migration' AND table_name = 'exclusion' ORDER BY ordinal_position`);
    expect(cols.map((c) => c.column_name), 'no content columns').toEqual(['source_system', 'source_entity', 'source_key', 'reason', 'source_ordinal', 'run_id']);
    const orphans = await query<{ missing_key: string }>(e.databaseUrl, `SELECT missing_key FROM migration.orphan WHERE missing_entity = 'NOMINAL'`);
    const excluded = new Set(ex.map((x) => x.source_key));
    expect(orphans.some((o) => excluded.has(o.missing_key)), 'a link to a deleted nominal is reported as an orphan').toBe(true);
  });

  it('orphan links are counted and reported, never silently dropped', async () => {
    const step = runs[0]!.steps.find((s) => s.step === 'CRIS:CRIME_NOMINAL')!;
    expect(step.orphans).toBeGreaterThan(0);
    const [{ n }] = await query<{ n: number }>(e.databaseUrl, `SELECT count(*)::int n FROM migration.orphan WHERE source_entity = 'CRIME_NOMINAL'`);
    expect(n).toBe(step.orphans);
    const [{ q }] = await query<{ q: number }>(e.databaseUrl, `SELECT count(*)::int q FROM migration.quarantine WHERE source_entity = 'CRIME_NOMINAL' AND reason_code = 'orphan_link'`);
    expect(q).toBe(step.orphans);
  });

  it('invalid optional values become NULL with a counted warning', async () => {
    const steps = runs.flatMap((r) => r.steps);
    const warned = Object.fromEntries(steps.map((s) => [s.step, s.warnings]));
    expect(warned['CRIS:ADDRESS']!.invalid_postcode).toBeGreaterThan(0);
    expect(warned['CRIS:NOMINAL']!.invalid_pnc).toBeGreaterThan(0);
    expect(warned['CRIS:CRIME_REPORT']!.ambiguous_local_time).toBeGreaterThan(0);
    expect(warned['CRIS:CRIME_REPORT']!.nonexistent_local_time).toBeGreaterThan(0);
    const [{ n }] = await query<{ n: number }>(e.databaseUrl, `SELECT count(*)::int n FROM migration.dq_warning WHERE code = 'invalid_pnc' AND source_entity = 'NOMINAL'`);
    expect(n).toBe(warned['CRIS:NOMINAL']!.invalid_pnc);
    const [{ bad }] = await query<{ bad: number }>(e.databaseUrl, `SELECT count(*)::int bad FROM record.person WHERE pnc_id IS NOT NULL AND pnc_id !~ '^[0-9]{4}/[0-9]{7}[A-Z]$'`);
    expect(bad).toBe(0);
  });

  it('the skipped March hour moves forward and the repeated October hour takes the earlier instant', async () => {
    const warned = await query<{ key: string; code: string }>(e.databaseUrl, `SELECT source_key AS key, code FROM migration.dq_warning
      WHERE source_entity = 'CRIME_REPORT' AND field = 'reported_dt' AND code IN ('ambiguous_local_time', 'nonexistent_local_time')`);
    expect(new Set(warned.map((w) => w.code))).toEqual(new Set(['ambiguous_local_time', 'nonexistent_local_time']));
    for (const w of warned) {
      const [src] = await query<{ local: string }>(e.crisUrl, `SELECT reported_dt::text AS local FROM dbo.crime_report WHERE cris_no = $1`, [w.key]);
      const [tgt] = await query<{ utc: string }>(e.databaseUrl, `SELECT to_char(reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS utc FROM record.event WHERE reference = $1`, [w.key]);
      const local = new Date(`${src!.local.replace(' ', 'T')}Z`);
      // both cases land on BST (UTC+1): ambiguous 01:30 → 00:30Z (the earlier instant);
      // nonexistent 01:30 → moved forward to 02:30 BST = 01:30Z
      const expected = w.code === 'ambiguous_local_time' ? new Date(local.getTime() - 3600_000) : local;
      expect(tgt!.utc, `${w.key} ${w.code} (${src!.local})`).toBe(expected.toISOString().slice(0, 19).replace('T', ' '));
    }
  });
});

describe('erasure outlives a re-run', () => {
  it('a person erased on the new platform is not brought back by running the pipeline again', async () => {
    const { erase } = await import('../../src/privacy/erase.ts');
    const [victim] = await query<{ id: string; key: string }>(e.databaseUrl, `SELECT target_id::text id, source_key key FROM migration.lineage
      WHERE source_system = 'CRIS' AND source_entity = 'NOMINAL' ORDER BY source_key LIMIT 1`);
    await erase({ url: e.databaseUrl, person: victim!.id, actor: 'DPO1', justification: 'erasure request 42' });
    const rerun = await migrateAll(e, { restart: true });
    const nominal = rerun[0]!.steps.find((s) => s.step === 'CRIS:NOMINAL')!;
    expect(nominal.loaded + nominal.quarantined + nominal.excluded + nominal.superseded).toBe(nominal.read);
    expect(await query(e.databaseUrl, 'SELECT 1 FROM record.person WHERE id = $1', [victim!.id])).toHaveLength(0);
    const ex = await query<{ reason: string }>(e.databaseUrl, `SELECT reason FROM migration.exclusion WHERE source_entity = 'NOMINAL' AND source_key = $1`, [victim!.key]);
    expect(ex.map((x) => x.reason)).toEqual(['erased']);
    expect(nominal.excluded).toBeGreaterThan(0);
  });

  it('a private address erased with its person does not come back either, and reconciliation accounts for both', async () => {
    const { erase } = await import('../../src/privacy/erase.ts');
    const { reconcile } = await import('../../src/reconcile/index.ts');
    // a CRIS person whose home address nobody else uses
    const [p] = await query<{ id: string; loc: string; key: string }>(e.databaseUrl, `SELECT pl.person_id::text id, pl.location_id::text loc, l.source_key key FROM record.person_location pl
      JOIN migration.lineage l ON l.target_id = pl.location_id AND l.source_entity = 'ADDRESS'
      WHERE NOT EXISTS (SELECT 1 FROM record.person_location o WHERE o.location_id = pl.location_id AND o.person_id <> pl.person_id)
        AND NOT EXISTS (SELECT 1 FROM record.event_location el WHERE el.location_id = pl.location_id)
      ORDER BY 1 LIMIT 1`);
    await erase({ url: e.databaseUrl, person: p!.id, actor: 'DPO1', justification: 'erasure request 43' });
    expect(await query(e.databaseUrl, 'SELECT 1 FROM record.location WHERE id = $1', [p!.loc])).toHaveLength(0);
    const ex = await query<{ reason: string }>(e.databaseUrl, `SELECT reason FROM migration.exclusion WHERE source_entity = 'ADDRESS' AND source_key = $1`, [p!.key]);
    expect(ex.map((x) => x.reason)).toEqual(['erased']);
    const before = await reconcile({ databaseUrl: e.databaseUrl, crisUrl: e.crisUrl, crimintDir: e.crimintDir, workers: 0 });
    expect(before.problems).toEqual([]);
    await migrateAll(e, { restart: true });
    expect(await query(e.databaseUrl, 'SELECT 1 FROM record.location WHERE id = $1', [p!.loc]), 'the private address stays erased').toHaveLength(0);
    expect(await query(e.databaseUrl, 'SELECT 1 FROM record.person WHERE id = $1', [p!.id])).toHaveLength(0);
    const after = await reconcile({ databaseUrl: e.databaseUrl, crisUrl: e.crisUrl, crimintDir: e.crimintDir, workers: 0 });
    expect(after.problems).toEqual([]);
  });
});

describe('small batches', () => {
  it('every batch balances when a re-exported key was first read in an earlier batch', async () => {
    const { freshTarget } = await import('../helpers/extract.ts');
    const t = await freshTarget(e, 'etl_small');
    try {
      const res = await migrateAll(t, { batchSize: 7 });
      for (const s of res.flatMap((r) => r.steps)) expect(s.loaded + s.quarantined + s.excluded + s.superseded, s.step).toBe(s.read);
      const bad = await query(t.databaseUrl, `SELECT batch_id FROM migration.batch WHERE read <> loaded + quarantined + excluded + superseded`);
      expect(bad, 'every batch row balances').toHaveLength(0);
      const [{ n }] = await query<{ n: number }>(t.databaseUrl, `SELECT count(*)::int n FROM migration.superseded`);
      expect(n).toBeGreaterThan(0);
      // the same target as with large batches
      const { digest } = await import('../helpers/extract.ts');
      const [a, b] = [await digest(t.databaseUrl), await digest(e.databaseUrl)];
      expect(a.person).toBeDefined();
      expect(a.superseded.split(':')[0]).toBe(b.superseded.split(':')[0]);
    } finally {
      await t.dispose();
    }
  }, 300_000); // hundreds of 7-row batches: 130 s at load average 25 on 2 cores
});
