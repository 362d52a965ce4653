// The gate treats a delta like a run: a reconciliation taken before the delta is stale, and
// `reconcile --delta` makes it current again only when nothing but deltas wrote to the target
// since it. The report's freeze-window section counts the delta by kind, as the delta logged it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { query } from '../helpers/extract.ts';
import { deltaCutover } from '../../src/delta/index.ts';
import { checkReconcileDelta } from '../../src/delta/verify.ts';
import { checkReconcile } from '../../src/checks/index.ts';
import { loadTargetResults, readTarget, runGate, writeReport } from '../../src/report/index.ts';
import { targetResultsDir } from '../../src/report/store.ts';
import { loadThenChange, type ChangedExtract } from './helpers.ts';

const home = mkdtempSync(path.join(os.tmpdir(), 'cutover-dgate-'));
let x: ChangedExtract;
/** seconds the delta took, timed around it here */
let deltaWall = 0;
const changed = () => ({ ...x.changed, databaseUrl: x.loaded.databaseUrl });
const current = async () => (await runGate({ target: await loadTargetResults(x.loaded.databaseUrl) })).gate.criteria.find((c) => c.id === 'results-current')!;

beforeAll(async () => {
  process.env.CUTOVER_RESULTS_DIR = path.join(home, 'results');
  // the full reconciliation is taken after the full load, before the legacy data changes
  x = await loadThenChange('dgate', { scale: 150, seed: 47, fraction: 0.05, beforeChanges: async (_url, loaded) => { expect((await checkReconcile(loaded)).ok).toBe(true); } });
}, 240_000);
afterAll(async () => {
  await x?.dispose();
  delete process.env.CUTOVER_RESULTS_DIR;
  rmSync(home, { recursive: true, force: true });
});

describe('the gate and the freeze window after a delta', () => {
  it('a reconciliation taken before a delta is stale; reconcile --delta carries it forward; a write outside the deltas is not carried', async () => {
    expect((await current()).ok).toBe(true);
    const t0 = Date.now();
    await deltaCutover(changed(), ['cris', 'crimint'], { batchSize: 50, progress: false });
    deltaWall = (Date.now() - t0) / 1000;
    const stale = await current();
    expect(stale.ok).toBe(false);
    expect(stale.reason).toMatch(/^stale: reconcile — the target changed after it was taken .*Run again: `cutover reconcile`/);

    const { result, verify } = await checkReconcileDelta(changed());
    expect(result.ok).toBe(true);
    expect(verify.carried, verify.carryReason).toBe(true);
    expect((await current()).ok).toBe(true);
    const gate = (await runGate({ target: await loadTargetResults(x.loaded.databaseUrl) })).gate;
    expect(gate.criteria.find((c) => c.id === 'reconcile-clean')!.ok).toBe(true);

    // someone writes to the target outside a delta: the next reconcile --delta must not vouch for it
    await query(x.loaded.databaseUrl, `UPDATE record.person SET surname = surname || 'X' WHERE id = (SELECT id FROM record.person ORDER BY id LIMIT 1)`);
    const again = await checkReconcileDelta(changed());
    expect(again.verify.carried).toBe(false);
    expect(again.verify.carryReason).toMatch(/changed outside the deltas/);
    expect((await current()).ok).toBe(false);
  }, 240_000);

  it('the report has a freeze-window section with the delta counted by kind as the delta logged it', async () => {
    const logged = await query<{ kind: string; n: string }>(x.loaded.databaseUrl, 'SELECT kind, count(*) AS n FROM migration.delta_change GROUP BY kind');
    const by = Object.fromEntries(logged.map((r) => [r.kind, Number(r.n)]));
    for (const k of ['insert', 'update', 'delete', 'flip_deleted', 'audit']) expect(by[k], k).toBeGreaterThan(0);
    const { summary, files } = writeReport({ outDir: path.join(home, 'report'), target: await loadTargetResults(x.loaded.databaseUrl) });
    const f = summary.freezeWindow!;
    expect(f).toBeDefined();
    expect(f.changes).toMatchObject({
      inserts: by.insert, updates: by.update, deletions: by.delete, logicalDeletions: by.flip_deleted, logicalUndeletions: by.flip_live ?? 0,
      quarantined: by.quarantined ?? 0, unquarantined: by.resolved ?? 0, auditAppended: by.audit, dependents: by.dependent ?? 0,
    });
    expect(f.deltas.map((d) => d.pipeline)).toEqual(['cris', 'crimint']);
    expect(f.applySeconds).toBeGreaterThan(0);
    // the pipelines ran side by side: the time to apply is the time they took, not the sum of theirs
    expect(f.applySeconds).toBeLessThanOrEqual(deltaWall);
    expect(f.applySeconds).toBeLessThan(f.deltas.reduce((a, d) => a + d.seconds, 0));
    // the latest reconcile --delta came after the delta; it found nothing, but could not carry the full reconciliation forward
    expect(f.verify).toMatchObject({ ran: true, current: true, ok: true, keys: 0, carried: false });
    expect(f.light).toBe('green');
    const html = readFileSync(files.html, 'utf8');
    expect(html).toContain('id="area-freezeWindow"');
    expect(html).toContain(`<th scope="row">Inserts</th><td class="num">${by.insert!.toLocaleString('en-GB')}</td>`);
    const md = readFileSync(files.markdown, 'utf8');
    expect(md).toContain(`| Inserts / updates / deletions | ${by.insert} / ${by.update} / ${by.delete} |`);
    expect(md).toContain(`| Audit entries appended | ${by.audit} |`);
  }, 120_000);

  it('a full reconciliation on file that cannot be read is not carried forward, and the reason says why', async () => {
    const file = path.join(targetResultsDir((await readTarget(x.loaded.databaseUrl)).id), 'reconcile.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.result.summary.missingRecords = json.result.summary.missing; // a count renamed by another writer
    delete json.result.summary.missing;
    writeFileSync(file, JSON.stringify(json));
    const { verify } = await checkReconcileDelta(changed());
    expect(verify.carried).toBe(false);
    expect(verify.carryReason).toMatch(/^the full reconciliation on file cannot be read \(.*summary\.missing.*\): run `cutover reconcile` again$/);
  }, 240_000);
});
