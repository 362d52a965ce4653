// Search parity and the gate end to end on a generated, migrated extract.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createExtract, migrateAll, oracleOf, query, type Extract } from '../helpers/extract.ts';
import { runParity, type ParityResult } from '../../src/parity/index.ts';
import { createSqlSearch } from '../../mappings/search/index.ts';
import { createDegradedSearch } from '../../mappings/search/degraded.ts';
import { openCrisSource, openCrimintSource } from '../../src/sources/index.ts';
import type { Oracle } from '../../src/parity/oracle.ts';
import { restrict } from '../../src/privacy/restrict.ts';
import { checkReconcile, checkAuditVerify, checkAuditReconcile, checkAuditCompleteness } from '../../src/checks/index.ts';
import { beginCheck } from '../../src/checks/record.ts';
import { rememberRuns } from '../../src/checks/runs.ts';
import { runGate, loadTargetResults } from '../../src/report/index.ts';
import type { TargetSearchAdapter } from '../../src/parity/types.ts';

let e: Extract;
let oracle: Oracle;
const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'cutover-results-'));

beforeAll(async () => {
  process.env.CUTOVER_RESULTS_DIR = resultsDir;
  e = await createExtract('parity_e2e', { scale: 600, seed: 8 });
  await migrateAll(e);
  // a page cache of four 256-byte pages: the token and link indexes are written to the scratch
  // file and read back all the time, and every capability must still be at PARITY
  oracle = await oracleOf(e, { pages: { bytes: 1024, pageBytes: 256 } });
}, 300_000);
afterAll(async () => {
  await e?.dispose();
  rmSync(resultsDir, { recursive: true, force: true });
  delete process.env.CUTOVER_RESULTS_DIR;
});

async function parity(adapter: TargetSearchAdapter): Promise<ParityResult> {
  const crisSource = openCrisSource(e.crisUrl);
  const crimintSource = openCrimintSource(e.crimintDir);
  try {
    return await runParity({ crisSource, crimintSource, targetUrl: e.databaseUrl, adapter, oracle });
  } finally {
    await adapter.close();
    await crisSource.close();
    await crimintSource.close();
  }
}

describe('search parity on a generated extract', () => {
  it('every capability S01–S20 is at PARITY after a clean migration, on replayed and generated queries', async () => {
    const rec = await beginCheck(e.databaseUrl, e);
    const r = await parity(createSqlSearch(e.databaseUrl));
    expect(r.capabilities).toHaveLength(20);
    const notParity = r.capabilities.filter((c) => c.verdict !== 'PARITY').map((c) => `${c.id} ${c.verdict} ${JSON.stringify(c.examples[0] ?? c.errors[0] ?? '')}`);
    expect(notParity).toEqual([]);
    for (const c of r.capabilities) expect(c.queries, c.id).toBeGreaterThan(0);
    expect(oracle.store.pages.writes).toBeGreaterThan(100);
    expect(oracle.store.pages.reads).toBeGreaterThan(100);
    expect(r.workload.replayed.used).toBeGreaterThan(0);
    expect(r.workload.generated).toBeGreaterThan(0);
    rec.save('parity', r.ok, r);
  });

  it('the degraded profile fails where the old platform failed, with worked examples', async () => {
    const r = await parity(createDegradedSearch(e.databaseUrl));
    const v = Object.fromEntries(r.capabilities.map((c) => [c.id, c]));
    expect(v.S02!.verdict).toBe('LOST');
    for (const id of ['S04', 'S07', 'S14'] as const) {
      expect(v[id]!.verdict, id).toBe('DEGRADED');
      expect(v[id]!.examples.length, `${id} worked examples`).toBeGreaterThan(0);
      expect(v[id]!.examples.length).toBeLessThanOrEqual(10);
    }
    expect(r.capabilities.filter((c) => !['S02', 'S04', 'S07', 'S14'].includes(c.id)).every((c) => c.verdict === 'PARITY')).toBe(true);
    expect(r.ok).toBe(false);
  });

  it('a restricted person disappears from S01 and S02 on the target but stays in S20', async () => {
    const [p] = await query<{ id: string; surname: string; forenames: string; dob: string }>(e.databaseUrl, `SELECT id::text, surname, forenames, to_char(date_of_birth, 'DD/MM/YYYY') dob FROM record.person
      WHERE dob_precision = 'day' AND forenames IS NOT NULL AND surname ~ '^[A-Za-z]+$' ORDER BY id LIMIT 1`);
    const search = createSqlSearch(e.databaseUrl);
    try {
      const s01 = { surname: p!.surname };
      const s02 = { surname: p!.surname };
      const s20 = { surname: p!.surname, forenames: p!.forenames, dob: p!.dob };
      expect(await search.search('S01', s01)).toContain(p!.id);
      await restrict({ url: e.databaseUrl, person: p!.id, actor: 'T1', justification: 'test restriction' });
      expect(await search.search('S01', s01)).not.toContain(p!.id);
      expect(await search.search('S02', s02)).not.toContain(p!.id);
      expect(await search.search('S20', s20)).toContain(p!.id);
      // and the parity check still holds: the oracle honours the restriction too
      const r = await parity(createSqlSearch(e.databaseUrl));
      expect(r.capabilities.filter((c) => c.verdict !== 'PARITY').map((c) => c.id)).toEqual([]);
    } finally {
      await search.close();
    }
  });
});

describe('the gate on real results', () => {
  it('says go on a clean run and no-go once a record is deleted from the target', async () => {
    const c = { ...e };
    const runs = await migrateAll(e); // already complete: keeps the counters of the first run
    await rememberRuns(e.databaseUrl, e, runs);
    // the restrictions above changed the target: the parity result of the first test is stale
    expect((await loadTargetResults(e.databaseUrl)).judged.parity?.standing).toBe('stale');
    const rec = await beginCheck(e.databaseUrl, e);
    const p = await parity(createSqlSearch(e.databaseUrl));
    rec.save('parity', p.ok, p);
    await checkReconcile(c);
    await checkAuditVerify(c);
    await checkAuditReconcile(c);
    await checkAuditCompleteness(c);
    const clean = runGate({ target: await loadTargetResults(e.databaseUrl), gateConfig: { allowNotRun: ['erasure', 'residual-scan', 'sar', 'retention', 'run'] } });
    expect(clean.gate.criteria.filter((x) => !x.ok && !x.skipped).map((x) => `${x.id}: ${x.reason}`)).toEqual([]);
    expect(clean.gate.go).toBe(true);

    await query(e.databaseUrl, `DELETE FROM record.event WHERE id = (SELECT id FROM record.event ORDER BY id LIMIT 1)`);
    const stale = runGate({ target: await loadTargetResults(e.databaseUrl), gateConfig: { allowNotRun: ['erasure', 'residual-scan', 'sar', 'retention', 'run'] } });
    expect(stale.gate.go).toBe(false);
    expect(stale.gate.criteria.find((x) => x.id === 'results-current')!.reason).toMatch(/^stale: reconcile, parity, audit-verify, audit-reconcile, audit-completeness — the target changed after it was taken \(1 transaction by \S+ at \S+: record\.event[,)].*Run again: `cutover reconcile`, `cutover parity`/);
    const r = await checkReconcile(c);
    expect(r.ok).toBe(false);
    const after = runGate({ target: await loadTargetResults(e.databaseUrl), gateConfig: { allowNotRun: ['erasure', 'residual-scan', 'sar', 'retention', 'run'] } });
    expect(after.gate.go).toBe(false);
    expect(after.gate.criteria.find((x) => x.id === 'reconcile-clean')!.ok).toBe(false);
  });
});
