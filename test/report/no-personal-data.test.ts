// The board's report holds no personal data: after the degraded demo, a delta of legacy changes
// verified with reconcile --delta (so the report has a freeze window), and a planted field
// corruption (so reconciliation has value differences to show), no report file and no stored
// result contains any identifier the target holds.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { query } from '../helpers/extract.ts';
import { runDemo, type DemoResult } from '../../src/checks/demo.ts';
import { checkReconcile } from '../../src/checks/index.ts';
import { generateChanges } from '../../src/synth/changes.ts';
import { deltaCutover } from '../../src/delta/index.ts';
import { checkReconcileDelta } from '../../src/delta/verify.ts';
import { writeReport, loadTargetResults } from '../../src/report/index.ts';
import { readTarget } from '../../src/report/target.ts';
import { resultsDir, targetResultsDir } from '../../src/report/store.ts';
import type { Connections } from '../../src/db/config.ts';
import { findIdentifiers, targetIdentifiers, words, type Hit, type Identifier } from './identifiers.ts';

const home = mkdtempSync(path.join(os.tmpdir(), 'cutover-nopd-'));
const outDir = path.join(home, 'report');
let c: Connections;
let demo: DemoResult;
let ids: Identifier[];
let corrupted: string[];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

beforeAll(async () => {
  process.env.CUTOVER_HOME = home;
  process.env.CUTOVER_RESULTS_DIR = path.join(home, 'results');
  c = { databaseUrl: await createTestDatabase('nopd_target'), crisUrl: await createTestDatabase('nopd_cris'), crimintDir: path.join(home, 'crimint'), embedded: false };
  demo = await runDemo(c, { scale: 300, seed: '19', degraded: true, outDir });
  // the legacy data changes after the full load; the delta brings it over and is verified
  const newer = path.join(home, 'crimint-newer');
  await generateChanges({ fraction: 0.05, seed: 19, crisUrl: c.crisUrl, crimintDir: c.crimintDir, crimintOut: newer });
  c = { ...c, crimintDir: newer };
  await deltaCutover(c, ['cris', 'crimint'], { progress: false });
  await checkReconcileDelta(c);
  ids = await targetIdentifiers(c.databaseUrl);
  // a mapping gone wrong on a few people: reconciliation now has value differences to show
  corrupted = (await query<{ surname: string }>(c.databaseUrl, `
    UPDATE record.person SET surname = surname || 'Q', forenames = reverse(forenames)
    WHERE id IN (SELECT id FROM record.person WHERE forenames IS NOT NULL ORDER BY id LIMIT 7) RETURNING surname`)).map((r) => r.surname);
  await checkReconcile(c);
  writeReport({ outDir, target: await loadTargetResults(c.databaseUrl) });
}, 300_000);

afterAll(async () => {
  if (c) {
    await dropTestDatabase(c.databaseUrl);
    await dropTestDatabase(c.crisUrl);
  }
  rmSync(home, { recursive: true, force: true });
  delete process.env.CUTOVER_HOME;
  delete process.env.CUTOVER_RESULTS_DIR;
});

describe('the board report and the stored results hold no personal data', () => {
  it('the demo fell short as the degraded profile should, and reconciliation saw the corruption', async () => {
    expect(demo.gate.go).toBe(false);
    expect(demo.summary.areas.searchParity.counts.LOST).toBeGreaterThan(0);
    expect(corrupted).toHaveLength(7);
    const stored = JSON.parse(readFileSync(path.join(targetResultsDir((await readTarget(c.databaseUrl)).id), 'reconcile.json'), 'utf8'));
    expect(stored.result.summary.mismatchedFields).toBeGreaterThanOrEqual(14);
  });

  it('no identifier held in the target appears in any report file or stored result', () => {
    // words the report writes whatever the data (titles, CSS, light names) are not evidence of a leak
    const blank = writeReport({ outDir: path.join(home, 'blank'), results: {} });
    const vocabulary = new Set(Object.values(blank.files).flatMap((f) => words(readFileSync(f, 'utf8'))));
    const kinds = new Map<string, number>();
    for (const i of ids) kinds.set(i.kind, (kinds.get(i.kind) ?? 0) + 1);
    for (const k of ['surname', 'forename', 'dob', 'pnc', 'cro', 'vrm', 'phone', 'postcode', 'street']) expect(kinds.get(k), k).toBeGreaterThan(10);
    const files = [...filesUnder(outDir), ...filesUnder(resultsDir())];
    expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['index.html', 'summary.json', 'summary.md', 'junit.xml', 'parity.json', 'reconcile.json', 'freeze-window.json']));
    expect(readFileSync(path.join(outDir, 'index.html'), 'utf8')).toContain('id="area-freezeWindow"');
    const hits: Hit[] = files.flatMap((f) => findIdentifiers(path.relative(home, f), readFileSync(f, 'utf8'), ids, vocabulary));
    const byFile = new Map<string, string[]>();
    for (const h of hits) byFile.set(h.file, [...(byFile.get(h.file) ?? []), `${h.kind} ${h.value}`]);
    console.log(`searched ${files.length} files for ${ids.length} identifiers (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}); ${hits.length} hits`);
    expect(Object.fromEntries([...byFile].map(([f, xs]) => [f, xs.slice(0, 8)]))).toEqual({});
  });
});
