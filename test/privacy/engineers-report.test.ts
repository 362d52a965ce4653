// The engineers' report: written only on request (actor and justification required), under a
// personal-data banner, logged as a disclosure; the residual scan covers the results store and
// lists an engineers' report folder that still holds an erased person's identifiers.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtract, migrateAll, query, type Extract } from '../helpers/extract.ts';
import { checkReconcile } from '../../src/checks/index.ts';
import { writeEngineersReport, engineersReportDirs } from '../../src/report/engineers.ts';
import { resultsDir } from '../../src/report/store.ts';
import { erase, residualScan } from '../../src/privacy/index.ts';
import { ConfigError } from '../../src/core/problems.ts';

let e: Extract;
const home = mkdtempSync(path.join(os.tmpdir(), 'cutover-eng-'));
let corrupted: { id: string; surname: string; key: string; pnc: string }[];

beforeAll(async () => {
  process.env.CUTOVER_HOME = home;
  process.env.CUTOVER_RESULTS_DIR = path.join(home, 'results');
  e = await createExtract('eng', { scale: 300, seed: 23 });
  await migrateAll(e);
  // three CRIS people with a PNC whose surname the target holds wrongly: reconciliation examples
  corrupted = await query<{ id: string; surname: string; key: string; pnc: string }>(e.databaseUrl, `
    WITH p AS (SELECT p.id, l.source_key FROM record.person p JOIN migration.lineage l ON l.target_id = p.id AND l.source_entity = 'NOMINAL'
               WHERE p.pnc_id IS NOT NULL ORDER BY p.id LIMIT 3)
    UPDATE record.person t SET surname = t.surname || 'Q' FROM p WHERE t.id = p.id RETURNING t.id::text, t.surname, p.source_key AS key, t.pnc_id AS pnc`);
  await checkReconcile(e);
}, 300_000);

afterAll(async () => {
  await e?.dispose();
  rmSync(home, { recursive: true, force: true });
  delete process.env.CUTOVER_HOME;
  delete process.env.CUTOVER_RESULTS_DIR;
});

describe("the engineers' report", () => {
  it('refuses without an actor or a justification, and writes nothing', async () => {
    const out = path.join(home, 'refused');
    await expect(writeEngineersReport({ databaseUrl: e.databaseUrl, outDir: out, actor: '', justification: 'fix the surname mapping' })).rejects.toThrow(ConfigError);
    await expect(writeEngineersReport({ databaseUrl: e.databaseUrl, outDir: out, actor: 'ENG042', justification: ' ' })).rejects.toThrow(/justification is required/);
    expect(existsSync(out)).toBe(false);
    expect(engineersReportDirs()).toEqual([]);
  });

  it('resolves the board examples to the records, under a banner, logged as a disclosure and registered', async () => {
    const out = path.join(home, 'engineers');
    const before = await query<{ n: string }>(e.databaseUrl, `SELECT count(*) n FROM audit.event WHERE operation = 'disclosure'`);
    const r = await writeEngineersReport({ databaseUrl: e.databaseUrl, outDir: out, actor: 'ENG042', justification: 'fix the surname mapping (ticket 19)' });
    const html = readFileSync(r.files.html, 'utf8');
    expect(html).toContain('PERSONAL DATA');
    const doc = JSON.parse(readFileSync(r.files.json, 'utf8'));
    for (const p of corrupted) {
      const ex = doc.examples.find((x: { identity: string; kind: string }) => x.identity === `CRIS:NOMINAL:${p.key}` && x.kind === 'mismatch');
      expect(ex, p.key).toBeTruthy();
      expect(ex.record.surname).toBe(p.surname); // the value, resolved from the target
      expect(html).toContain(p.surname);
    }
    const after = await query<{ n: string }>(e.databaseUrl, `SELECT count(*) n FROM audit.event WHERE operation = 'disclosure'`);
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n) + 1);
    const [ev] = await query<{ actor: string; justification: string; detail: { report: string; examples: number }; seq: string }>(e.databaseUrl,
      `SELECT actor, justification, detail, seq::text AS seq FROM audit.event WHERE operation = 'disclosure' ORDER BY audit.event.seq DESC LIMIT 1`);
    expect(ev).toMatchObject({ actor: 'ENG042', justification: 'fix the surname mapping (ticket 19)', detail: { report: 'engineers', examples: r.examples }, seq: r.auditSeq });
    expect(engineersReportDirs().map((x) => x.dir)).toEqual([path.resolve(out)]);
  });

  it('after an erasure, the residual scan lists the engineers\' folder that still names the person, and a planted residue in the results store', async () => {
    const victim = corrupted[0]!;
    await erase({ url: e.databaseUrl, person: victim.id, actor: 'DPO001', justification: 'erasure request' });
    const scan = await residualScan({ url: e.databaseUrl, person: victim.id });
    expect(scan.hitCount).toBe(0); // the database is clean
    expect(scan.files.resultsStore.hits).toEqual([]); // the board's results hold nothing of the person
    expect(scan.files.resultsStore.files).toBeGreaterThan(0);
    expect(scan.files.engineersReports.known).toBe(1);
    expect(scan.files.engineersReports.holding.map((h) => h.dir)).toEqual([path.resolve(home, 'engineers')]);
    expect(scan.ok).toBe(false);

    // a copy of the person's PNC planted in the results store is found too
    rmSync(path.resolve(home, 'engineers'), { recursive: true });
    const doc = { note: `pnc ${victim.pnc}` };
    writeFileSync(path.join(resultsDir(), 'planted.json'), JSON.stringify(doc));
    const again = await residualScan({ url: e.databaseUrl, person: victim.id });
    expect(again.files.engineersReports.holding).toEqual([]);
    expect(again.files.resultsStore.hits.map((h) => [path.basename(h.file), h.kinds])).toEqual([['planted.json', ['pnc']]]);
    expect(again.ok).toBe(false);
  });
});
