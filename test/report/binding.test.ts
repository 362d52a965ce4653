// Results bound to their target (issue 14), end to end on the demo against real PostgreSQL: the
// three findings of the issue, each NO-GO with a message saying what to run again, and a clean
// demo that stays GO however often it is reported and gated.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { migrateAll, query } from '../helpers/extract.ts';
import { migrate } from '../../src/db/migrate.ts';
import { runDemo, type DemoResult } from '../../src/checks/demo.ts';
import { checkAuditVerify } from '../../src/checks/index.ts';
import { beginCheck } from '../../src/checks/record.ts';
import { rememberRuns } from '../../src/checks/runs.ts';
import { erase, residualScan } from '../../src/privacy/index.ts';
import { retentionBacklog } from '../../src/report/retention.ts';
import { loadTargetResults, runGate, writeReport, summaryDigest, SummarySchema } from '../../src/report/index.ts';
import type { Connections } from '../../src/db/config.ts';

const home = mkdtempSync(path.join(os.tmpdir(), 'cutover-binding-'));
let A: Connections;
let B: Connections;
let demo: DemoResult;

beforeAll(async () => {
  process.env.CUTOVER_RESULTS_DIR = path.join(home, 'results');
  A = { databaseUrl: await createTestDatabase('binding_a'), crisUrl: await createTestDatabase('binding_cris'), crimintDir: path.join(home, 'crimint'), embedded: false };
  B = { ...A, databaseUrl: await createTestDatabase('binding_b') };
  demo = await runDemo(A, { scale: 300, seed: 'binding', outDir: path.join(home, 'demo') });
}, 400_000);
afterAll(async () => {
  delete process.env.CUTOVER_RESULTS_DIR;
  for (const u of [A?.databaseUrl, A?.crisUrl, B?.databaseUrl]) if (u) await dropTestDatabase(u);
  rmSync(home, { recursive: true, force: true });
});

const failing = (g: { criteria: Array<{ id: string; ok: boolean; reason: string }> }) => g.criteria.filter((c) => !c.ok).map((c) => `${c.id}: ${c.reason}`);

/** `cutover report` as the CLI does it: retention refreshed, the target's results judged. */
async function report(c: Connections, out: string) {
  (await beginCheck(c.databaseUrl)).save('retention', true, await retentionBacklog(c.databaseUrl));
  return writeReport({ outDir: path.join(home, out), target: await loadTargetResults(c.databaseUrl), provenance: { sources: { target: c.databaseUrl, CRIS: c.crisUrl, CRIMINT: c.crimintDir } } });
}
const gate = async (c: Connections) => runGate({ target: await loadTargetResults(c.databaseUrl), provenance: { sources: { target: c.databaseUrl, CRIS: c.crisUrl, CRIMINT: c.crimintDir } } });

describe('results bound to their target', () => {
  it('a clean demo stays GO reported twice and gated twice; report and gate print the same digest', async () => {
    expect(failing(demo.gate)).toEqual([]);
    const r1 = await report(A, 'r1');
    const r2 = await report(A, 'r2');
    const g1 = await gate(A);
    const g2 = await gate(A);
    for (const g of [r1.gate, r2.gate, g1.gate, g2.gate]) expect(failing(g)).toEqual([]);
    expect(r2.summary.checks.filter((c) => c.present).map((c) => [c.kind, c.standing])).toEqual(
      ['run', 'reconcile', 'parity', 'audit-verify', 'audit-reconcile', 'audit-completeness', 'erasure', 'residual-scan', 'sar', 'retention'].map((k) => [k, 'current']));
    // the digest: of summary.json's own content, and the same wherever it is printed
    const json = SummarySchema.parse(JSON.parse(readFileSync(r2.files.json, 'utf8')));
    expect(json.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(summaryDigest(json)).toBe(json.digest);
    expect(g1.summary.digest).toBe(json.digest);
    expect(g2.summary.digest).toBe(json.digest);
    for (const f of [r2.files.html, r2.files.markdown, r2.files.junit]) expect(readFileSync(f, 'utf8'), path.basename(f)).toContain(`sha256:${json.digest}`);
    // and the CLI's gate prints it too
    const cli = spawnSync(process.execPath, ['bin/cutover.js', 'gate', '--database-url', A.databaseUrl, '--cris-url', A.crisUrl, '--crimint-dir', A.crimintDir], { encoding: 'utf8', env: { ...process.env, CUTOVER_QUIET: '1' } });
    expect(cli.stdout).toBe(`gate: GO (12/12 criteria met)\nsummary digest: sha256:${json.digest}\n`);
    expect(cli.status).toBe(0);
  }, 120_000);

  it('finding 2: one person deleted with psql after the demo: NO-GO naming reconcile and the other checks to run again', async () => {
    const c = new pg.Client({ connectionString: A.databaseUrl, application_name: 'psql' });
    await c.connect();
    await c.query(`DELETE FROM record.person WHERE id = (SELECT id FROM record.person ORDER BY id DESC LIMIT 1)`);
    await c.end();
    const g = await gate(A);
    expect(g.gate.go).toBe(false);
    const current = g.gate.criteria.find((x) => x.id === 'results-current')!;
    expect(current.ok).toBe(false);
    expect(current.reason).toMatch(/^stale: reconcile, parity, audit-verify, audit-reconcile, audit-completeness, residual-scan, sar, retention — the target changed after it was taken \(1 transaction by psql at \S+: record\.event_person, record\.person, record\.person_location, record\.person_name, … \(\d tables\)\)\. Run again: `cutover reconcile`, `cutover parity`, `cutover audit verify`, /);
    // actions are not stale: the run and the erasure happened as recorded
    expect(g.summary.checks.filter((x) => x.standing === 'current').map((x) => x.kind)).toEqual(['run', 'erasure']);
  });

  it('finding 1: a fresh database given by URL does not borrow the results of another: NO-GO, not run on this target', async () => {
    await migrate(B.databaseUrl);
    const g = await gate(B);
    expect(g.gate.go).toBe(false);
    const present = g.gate.criteria.find((x) => x.id === 'results-present')!;
    const a = (await loadTargetResults(A.databaseUrl)).now.id;
    expect(present.reason).toMatch(/^not run on this target: run \(a result of another target is on file and not counted \(/);
    expect(present.reason).toContain(`(${a})`);
    expect(g.summary.checks.every((x) => !x.present && x.standing === 'not-run')).toBe(true);
    expect(g.summary.areas.completeness.light).toBe('grey');
  });

  it('finding 3: two targets checked from one folder do not mix; order: a residual scan before a later erasure, a check before a later run, are stale', async () => {
    await checkAuditVerify(B); // a result of B's own
    // an erasure and its residual scan on A
    const [{ id: person }] = await query<{ id: string }>(A.databaseUrl, `SELECT p.id::text AS id FROM record.person p WHERE EXISTS (SELECT 1 FROM record.event_person ep WHERE ep.person_id = p.id) ORDER BY p.id LIMIT 1`);
    const rec = await beginCheck(A.databaseUrl);
    const erased = await erase({ url: A.databaseUrl, person, actor: 'T', justification: 'test erasure' });
    await rec.saveAfterWrite('erasure', true, erased);
    let a = await loadTargetResults(A.databaseUrl);
    // the demo's residual scan (of the demo's erasure) predates this erasure
    expect(a.judged['residual-scan']).toEqual({ standing: 'stale', reason: `taken before the erasure of ${a.results.erasure!.savedAt}`, rerun: 'cutover residual-scan --person ID' });
    const scan = await beginCheck(A.databaseUrl);
    scan.save('residual-scan', true, await residualScan({ url: A.databaseUrl, person }));
    a = await loadTargetResults(A.databaseUrl);
    expect(a.judged['residual-scan']!.standing).toBe('current');

    // B's report and gate know nothing of A's erasure and scan
    const b = await report(B, 'b');
    expect(b.summary.areas.deletion.erasure.done).toBe(false);
    expect(b.summary.areas.deletion.residualScan.ran).toBe(false);
    expect(b.gate.criteria.find((x) => x.id === 'residual-scan-clean')!.reason).toBe('no erasure in this cutover');
    expect(b.summary.checks.find((x) => x.kind === 'erasure')).toMatchObject({ present: false, standing: 'not-run' });
    expect(b.summary.checks.find((x) => x.kind === 'erasure')!.standingReason).toContain(a.now.id);
    expect(b.summary.checks.find((x) => x.kind === 'audit-verify')).toMatchObject({ present: true, standing: 'current' });
    expect(readFileSync(b.files.html, 'utf8')).not.toContain(erased.erasureId);
    // A's report has its own erasure
    const ra = await report(A, 'a');
    expect(ra.summary.areas.deletion.erasure.erasureId).toBe(erased.erasureId);

    // a run after a check makes the check stale, and says so
    await rememberRuns(A.databaseUrl, A, await migrateAll(A));
    a = await loadTargetResults(A.databaseUrl);
    expect(a.judged.reconcile!.reason).toMatch(/^taken before the latest run \(stored [^)]+\)$/);
    expect(a.judged.run!.standing).toBe('current');
  });
});
