// `cutover parity --delta`: after a delta, the parity workload replays only the searches whose
// answers the delta can have changed, on both sides, and reports PARITY; the full parity taken
// before the delta is carried forward so the gate's search-parity is current again. A changed
// record corrupted in the target on purpose is caught: the search for its legacy surname loses it
// (S01 DEGRADED), and a search for the value the target now holds is replayed too (it matches a
// word of a changed record) and finds a record legacy does not.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { query, scratchHome } from '../helpers/extract.ts';
import { runCli } from '../helpers/cli.ts';
import { deltaCutover } from '../../src/delta/index.ts';
import { checkParityDelta, touches } from '../../src/delta/parity.ts';
import { deltaReach } from '../../src/delta/reach.ts';
import { checkParity } from '../../src/checks/index.ts';
import { withClient } from '../../src/db/pool.ts';
import { loadFreezeWindow } from '../../src/delta/store.ts';
import { loadTargetResults, runGate } from '../../src/report/index.ts';
import { readTarget } from '../../src/report/target.ts';
import { loadThenChange, type ChangedExtract } from './helpers.ts';

const home = scratchHome('cutover-dparity-');
let x: ChangedExtract;
const changed = () => ({ ...x.changed, databaseUrl: x.loaded.databaseUrl });
const criterion = async (id: string) => (await runGate({ target: await loadTargetResults(x.loaded.databaseUrl) })).gate.criteria.find((c) => c.id === id)!;
const SEARCHED = 'Qqdeltaparity';

beforeAll(async () => {
  home.enter();
  // the full parity is taken after the full load, before the legacy data changes
  x = await loadThenChange('dparity', { scale: 150, seed: 53, fraction: 0.05, beforeChanges: async (_url, loaded) => { expect((await checkParity(loaded)).ok).toBe(true); } });
  await deltaCutover(changed(), ['cris', 'crimint'], { batchSize: 50, progress: false });
}, 300_000);
afterAll(async () => {
  await x?.dispose();
  home.leave();
});

describe('parity --delta', () => {
  it('replays only the searches that touch a changed record, at PARITY, and carries the full parity forward', async () => {
    expect((await criterion('results-current')).reason).toMatch(/parity/);
    const d = await checkParityDelta(changed());
    expect(d.changedKeys).toBeGreaterThan(0);
    expect(d.runs).toHaveLength(2);
    expect(d.parity.ok, JSON.stringify(d.parity.capabilities.filter((c) => c.verdict !== 'PARITY').map((c) => [c.id, c.examples[0]]))).toBe(true);
    const sel = d.parity.selection!;
    expect(sel.replayed).toBeGreaterThan(0);
    expect(sel.replayed).toBeLessThan(sel.workload);
    // the queries made about the changed people are among those replayed
    expect(d.parity.capabilities.find((c) => c.id === 'S17')!.queries).toBeGreaterThan(0);
    expect(d.carried, d.carryReason).toBe(true);
    expect((await criterion('search-parity')).ok).toBe(true);
    expect(d.record).toMatchObject({ ok: true, workload: sel.workload, replayed: sel.replayed });
    const fw = loadFreezeWindow(await readTarget(x.loaded.databaseUrl));
    expect(fw.parity).toMatchObject({ ok: true, replayed: sel.replayed });
  }, 240_000);

  it('the selection: a query about a changed record is replayed, one about nothing the delta touched is not', async () => {
    const reach = await withClient(x.loaded.databaseUrl, (c) => deltaReach(c));
    // records a newer export only moved are not changes: not recorded, and not in the reach
    const [counts] = await query<{ moved: string; changed: string }>(x.loaded.databaseUrl, `
      SELECT count(*) FILTER (WHERE kind = 'moved')::text AS moved,
             count(DISTINCT (source_system, source_entity, source_key)) FILTER (WHERE kind <> 'moved')::text AS changed FROM migration.delta_change`);
    expect(Number(counts!.moved)).toBe(0);
    expect(reach.changedKeys).toBe(Number(counts!.changed));
    const [person] = await query<{ key: string; surname: string }>(x.loaded.databaseUrl, `
      SELECT dc.source_key AS key, p.surname FROM migration.delta_change dc
        JOIN migration.lineage l USING (source_system, source_entity, source_key) JOIN record.person p ON p.id = l.target_id
       WHERE dc.source_system = 'CRIS' AND dc.source_entity = 'NOMINAL' AND dc.kind IN ('update', 'insert') ORDER BY 1 LIMIT 1`);
    expect(person).toBeDefined();
    expect(touches(reach, { capability: 'S01', params: { surname: person!.surname }, origin: 'workload' }, [])).toBe(true);
    expect(touches(reach, { capability: 'S01', params: { surname: 'Xyzzyplugh' }, origin: 'workload' }, [])).toBe(false);
    expect(touches(reach, { capability: 'S17', params: { nominal: person!.key }, origin: 'workload' }, [])).toBe(true);
    expect(touches(reach, { capability: 'S13', params: { reference: 'nothing' }, origin: 'workload' }, [`CRIS:NOMINAL:${person!.key}`])).toBe(true);
    expect(touches(reach, { capability: 'S03', params: { pattern: `${person!.surname.slice(0, 2)}*` }, origin: 'workload' }, [])).toBe(true);
  }, 60_000);

  it('a changed record corrupted in the target is caught: its legacy surname loses it, the corrupt value finds it', async () => {
    const [victim] = await query<{ key: string }>(x.loaded.databaseUrl, `
      UPDATE record.person p SET surname = $1 FROM (
        SELECT l.target_id, dc.source_key FROM migration.delta_change dc JOIN migration.lineage l USING (source_system, source_entity, source_key)
         WHERE dc.source_system = 'CRIS' AND dc.source_entity = 'NOMINAL' AND dc.kind = 'update' ORDER BY dc.source_key LIMIT 1) l
       WHERE p.id = l.target_id RETURNING l.source_key AS key`, [SEARCHED]);
    expect(victim).toBeDefined();
    const workload = path.join(home.dir, 'workload.jsonl');
    writeFileSync(workload, `${JSON.stringify({ capability: 'S01', params: { surname: SEARCHED } })}\n`);

    const d = await checkParityDelta(changed(), { workloadFile: workload });
    expect(d.parity.ok).toBe(false);
    const s01 = d.parity.capabilities.find((c) => c.id === 'S01')!;
    expect(s01.verdict).toBe('DEGRADED');
    const lost = s01.examples.filter((e) => e.kind === 'lost').map((e) => e.identity);
    const extra = s01.examples.filter((e) => e.kind === 'extra').map((e) => e.identity);
    expect(lost).toContain(`CRIS:NOMINAL:${victim!.key}`);
    expect(extra).toContain(`CRIS:NOMINAL:${victim!.key}`);
    // the write outside the deltas means the full parity is not vouched for; the freeze window shows the replay fell short
    expect(d.carried).toBe(false);
    expect(d.carryReason).toMatch(/changed outside the deltas/);
    expect(loadFreezeWindow(await readTarget(x.loaded.databaseUrl)).parity).toMatchObject({ ok: false });

    const cli = await runCli(['parity', '--delta', '--database-url', x.loaded.databaseUrl, '--cris-url', x.changed.crisUrl, '--crimint-dir', x.changed.crimintDir], home.env, 180_000);
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stdout).toMatch(/^parity --delta: \d+ of \d+ queries replayed/);
    expect(cli.stdout).toMatch(/S01\s+DEGRADED/);
  }, 300_000);
});
