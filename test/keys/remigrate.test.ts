// `cutover run --keys FILE`: after a mapping bug (modelled by corrupting mapped fields of a known
// set of target rows directly, as if the fix were now in the code), reconcile --differences →
// run --keys → reconcile ends clean, and only those records were rewritten: every other lineage
// row keeps its run and batch. Keys neither side holds are listed; a record deleted from the
// source is removed like a delta deletion; bad files and flag combinations exit 2.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtract, migrateAll, query, scratchHome, type Extract } from '../helpers/extract.ts';
import { runCli } from '../helpers/cli.ts';
import { checkReconcile } from '../../src/checks/index.ts';
import { runKeysFile } from '../../src/keys/index.ts';

let e: Extract;
const home = scratchHome('cutover-keys-');
const dir = home.dir;
const conn = () => ['--database-url', e.databaseUrl, '--cris-url', e.crisUrl, '--crimint-dir', e.crimintDir];
const env = () => home.env;

interface LineageRow { system: string; entity: string; key: string; parent: string | null; run: string; batch: string | null }
const lineage = async () => new Map((await query<LineageRow>(e.databaseUrl,
  `SELECT source_system AS system, source_entity AS entity, source_key AS key, parent_key AS parent, run_id::text AS run, batch_id::text AS batch FROM migration.lineage`))
  .map((r) => [`${r.system}|${r.entity}|${r.key}`, r]));

/** Corrupt the surname of the first `n` people of a system's person entity; returns their source keys. */
async function corruptPeople(system: string, entity: string, n: number): Promise<string[]> {
  const rows = await query<{ key: string }>(e.databaseUrl,
    `UPDATE record.person p SET surname = p.surname || 'Q' FROM (
       SELECT source_key, target_id FROM migration.lineage WHERE source_system = $1 AND source_entity = $2 AND parent_key IS NULL ORDER BY source_key LIMIT $3) l
     WHERE p.id = l.target_id RETURNING l.source_key AS key`, [system, entity, n]);
  return rows.map((r) => r.key).sort();
}

beforeAll(async () => {
  home.enter();
  e = await createExtract('keys', { scale: 150, seed: 23 });
  await migrateAll(e, { batchSize: 200 });
}, 300_000);

afterAll(async () => {
  await e?.dispose();
  home.leave();
});

describe('run --keys', () => {
  it('reconcile → run --keys on the differences → reconcile clean, rewriting only the corrupted records', async () => {
    const cris = await corruptPeople('CRIS', 'NOMINAL', 7);
    const crimint = await corruptPeople('CRIMINT', 'nominals.json', 4);
    expect(cris).toHaveLength(7);
    expect(crimint).toHaveLength(4);
    const before = await lineage();

    const file = path.join(dir, 'diff.csv');
    const dirty = await checkReconcile(e, undefined, { differences: file });
    expect(dirty.ok).toBe(false);
    expect(dirty.differences!.rows).toBe(11);

    const r = await runCli(['run', '--keys', file, ...conn()], env(), 300_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cris: re-migration completed \(run #\d+\)/);
    expect(r.stdout).toMatch(/cris:[^\n]*\n\s+rewrote 7, unchanged 0, removed 0 \(no longer in the source\), quarantined 0 \(of the rewritten\), not found 0/);
    expect(r.stdout).toMatch(/crimint:[^\n]*\n\s+rewrote 4, unchanged 0, removed 0/);

    // only the corrupted records' lineage was rewritten, by the keys runs; everything else is untouched
    const after = await lineage();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const runs = await query<{ run_id: string; pipeline: string; status: string }>(e.databaseUrl,
      `SELECT run_id::text, pipeline, status FROM migration.run WHERE options ? 'keys' ORDER BY run_id`);
    expect(runs.map((x) => [x.pipeline, x.status])).toEqual([['cris', 'completed'], ['crimint', 'completed']]);
    const changed = [...after.values()].filter((x) => {
      const b = before.get(`${x.system}|${x.entity}|${x.key}`)!;
      return b.run !== x.run || b.batch !== x.batch;
    });
    const mains = changed.filter((x) => x.parent === null);
    expect(mains.filter((x) => x.system === 'CRIS').map((x) => x.key).sort()).toEqual(cris);
    expect(mains.filter((x) => x.system === 'CRIMINT').map((x) => x.key).sort()).toEqual(crimint);
    // the rest are the rewritten records' own inline items (lineage keys under theirs)
    for (const x of changed.filter((c) => c.parent !== null)) expect(x.system === 'CRIS' ? cris : crimint).toContain(x.parent);
    for (const x of changed) expect(runs.map((k) => k.run_id)).toContain(x.run);
    // each rewrite logged like any migration write, in the keys run's batches
    const batches = await query<{ n: string }>(e.databaseUrl, `SELECT count(*)::text AS n FROM migration.batch WHERE run_id = ANY($1::bigint[])`, [runs.map((x) => x.run_id)]);
    expect(Number(batches[0]!.n)).toBeGreaterThanOrEqual(2);

    const clean = await checkReconcile(e);
    expect(clean.ok).toBe(true);

    // the same file again: nothing differs any more, nothing is rewritten
    const again = await runCli(['run', '--keys', file, ...conn()], env(), 300_000);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/cris:[^\n]*\n\s+rewrote 0, unchanged 7/);
    expect(again.stdout).toMatch(/crimint:[^\n]*\n\s+rewrote 0, unchanged 4/);
    expect(await lineage()).toEqual(after);
  }, 600_000);

  it('lists keys neither side holds, and removes a record deleted from the source like a delta deletion', async () => {
    // a nominal no crime report links to, deleted in the legacy system after the load
    const [gone] = await query<{ id: string }>(e.crisUrl,
      `DELETE FROM dbo.nominal WHERE nominal_id = (SELECT min(nominal_id) FROM dbo.nominal n WHERE NOT EXISTS (SELECT 1 FROM dbo.crime_nominal c WHERE c.nominal_id = n.nominal_id)) RETURNING nominal_id::text AS id`);
    expect(gone).toBeDefined();
    const [kept] = await query<{ key: string }>(e.databaseUrl,
      `SELECT source_key AS key FROM migration.lineage WHERE source_system = 'CRIS' AND source_entity = 'NOMINAL' AND parent_key IS NULL AND source_key <> $1 ORDER BY source_key DESC LIMIT 1`, [gone!.id]);
    const list = path.join(dir, 'keys.txt');
    writeFileSync(list, `# keys to re-migrate\nCRIS,NOMINAL,${kept!.key}\nCRIS,NOMINAL,NO_SUCH_KEY\n\nCRIS,NOMINAL,${gone!.id}\n`);
    const r = await runCli(['run', '--keys', list, ...conn()], env(), 300_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/rewrote 0, unchanged 1, removed 1 \(no longer in the source\), quarantined 0 \(of the rewritten\), not found 1/);
    expect(r.stdout).toMatch(/Not found in the source \(nor in the target\) \(1\):\n\s+line 3: CRIS NOMINAL NO_SUCH_KEY/);
    expect(r.stdout).not.toContain('crimint:');

    const left = await query(e.databaseUrl, `SELECT 1 FROM migration.lineage WHERE source_system = 'CRIS' AND source_entity = 'NOMINAL' AND (source_key = $1 OR parent_key = $1)`, [gone!.id]);
    expect(left).toHaveLength(0);
    const events = await query<{ justification: string }>(e.databaseUrl,
      `SELECT justification FROM audit.event WHERE operation = 'erasure' AND actor = 'migration' AND entity_ref = $1`, [gone!.id]);
    expect(events).toHaveLength(1);
    expect(events[0]!.justification).toMatch(/deleted in the legacy system/);
    const clean = await checkReconcile(e);
    expect(clean.ok).toBe(true);
  }, 600_000);

  it('an interrupted re-migration is continued by the next run of the same file, each key rewritten once', async () => {
    const keys = await corruptPeople('CRIS', 'NOMINAL', 9);
    const list = path.join(dir, 'nine.keys');
    writeFileSync(list, keys.map((k) => `CRIS,NOMINAL,${k}`).join('\n'));
    const stop = new AbortController();
    const first = await runKeysFile(e, list, [], { batchSize: 4, progress: false, signal: stop.signal, onBatch: () => stop.abort() });
    expect(first.runs).toHaveLength(1);
    expect(first.runs[0]!.status).toBe('partial');
    expect(first.runs[0]!.rewritten).toBe(4);
    const [open] = await query<{ status: string }>(e.databaseUrl, `SELECT status FROM migration.run WHERE run_id = $1`, [first.runs[0]!.runId]);
    expect(open!.status).toBe('interrupted');

    const second = await runKeysFile(e, list, [], { batchSize: 4, progress: false });
    const r = second.runs[0]!;
    expect(r.resumed).toBe(true);
    expect(r.runId).toBe(first.runs[0]!.runId);
    expect(r.status).toBe('completed');
    // the four of the first attempt are counted, not compared again; the other five rewritten now
    expect([r.rewritten, r.unchanged, r.notFound.length]).toEqual([9, 0, 0]);
    const rows = await query<{ n: string }>(e.databaseUrl, `SELECT count(*)::text AS n FROM migration.delta_change WHERE run_id = $1`, [r.runId]);
    expect(Number(rows[0]!.n)).toBe(9);
    expect((await checkReconcile(e)).ok).toBe(true);
  }, 600_000);

  it('reports findings that name no source record as not re-migrated, with the reason', async () => {
    const file = path.join(dir, 'untraced.jsonl');
    writeFileSync(file, `${JSON.stringify({ kind: 'untraced', system: null, entity: null, key: null, table: 'record.person', targetId: '00000000-0000-4000-8000-000000000001', fields: [], detail: 'x' })}\n`);
    const r = await runCli(['run', '--keys', file, ...conn()], env(), 120_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Not re-migrated \(1\):\n\s+line 1: untraced 00000000-0000-4000-8000-000000000001 — no legacy record traces this row/);
  }, 120_000);

  it('exits 2 with one line naming the file and line for a malformed keys file, and for flags that make no sense with --keys', async () => {
    const csv = path.join(dir, 'bad.csv');
    writeFileSync(csv, 'kind,table,target_id\nmismatch,record.person,x\n');
    const a = await runCli(['run', '--keys', csv, ...conn()], env());
    expect(a.code).toBe(2);
    expect(a.stderr.trim().split('\n')).toHaveLength(1);
    expect(a.stderr).toMatch(/--keys bad\.csv line 1: the header has no system, entity, key column/);

    const list = path.join(dir, 'bad.txt');
    writeFileSync(list, 'CRIS,NOMINAL,1\nCRIS NOMINAL 2\n');
    const b = await runCli(['run', '--keys', list, ...conn()], env());
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--keys bad\.txt line 2: expected SYSTEM,ENTITY,KEY, found 1 value/);

    const jsonl = path.join(dir, 'bad.jsonl');
    writeFileSync(jsonl, '{"system":"CRIS","entity":"NOMINAL","key":"1"}\n{not json\n');
    const c = await runCli(['run', '--keys', jsonl, ...conn()], env());
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--keys bad\.jsonl line 2: not a JSON object/);

    const none = await runCli(['run', '--keys', path.join(dir, 'absent.csv'), ...conn()], env());
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--keys absent\.csv: cannot be read \(ENOENT\)/);

    for (const flag of ['--delta', '--distributed', '--restart']) {
      const d = await runCli(['run', '--keys', list, flag, ...conn()], env());
      expect(d.code).toBe(2);
      expect(d.stderr).toContain(`--keys cannot be combined with ${flag}`);
    }
    // nothing was written by any of them
    const runs = await query(e.databaseUrl, `SELECT 1 FROM migration.run WHERE options->'keys'->>'file' LIKE '%bad%'`);
    expect(runs).toHaveLength(0);
  }, 120_000);
});
