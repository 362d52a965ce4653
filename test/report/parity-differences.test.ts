// `parity --differences FILE`: every query with a difference — capability, the kind of query, the
// parameters as a keyed hash, the records found by one side only — checked against a planted
// corruption's own list, and against the degraded profile's verdicts.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtract, migrateAll, query, scratchHome, type Extract } from '../helpers/extract.ts';
import { checkParity } from '../../src/checks/index.ts';
import { keyedRef } from '../../src/report/refs.ts';
import { PARITY_DIFFERENCE_COLUMNS } from '../../src/parity/differences.ts';

let e: Extract;
const home = scratchHome('cutover-pdiff-');
const dir = home.dir;
let planted: { identity: string; surname: string }[];

beforeAll(async () => {
  home.enter();
  e = await createExtract('pdiff', { scale: 300, seed: 21 });
  await migrateAll(e);
  // five CRIS people whose surname the target now holds wrongly: an exact-name search loses them
  planted = await query<{ identity: string; surname: string }>(e.databaseUrl, `
    WITH p AS (
      SELECT p.id, 'CRIS:NOMINAL:' || l.source_key AS identity, p.surname FROM record.person p
      JOIN migration.lineage l ON l.target_id = p.id AND l.source_entity = 'NOMINAL'
      WHERE NOT p.restricted AND length(p.surname) >= 4
        AND (SELECT count(*) FROM record.person q WHERE upper(q.surname) = upper(p.surname)) = 1
      ORDER BY p.id LIMIT 5)
    UPDATE record.person t SET surname = p.surname || 'Q' FROM p WHERE t.id = p.id RETURNING p.identity, p.surname`);
}, 300_000);

afterAll(async () => {
  await e?.dispose();
  home.leave();
});

describe('parity --differences', () => {
  it('names each planted loss by capability, keyed parameters and record, and never writes the parameters', async () => {
    expect(planted).toHaveLength(5);
    const workload = path.join(dir, 'workload.jsonl');
    writeFileSync(workload, planted.map((p) => JSON.stringify({ capability: 'S01', params: { surname: p.surname } })).join('\n'));
    const file = path.join(dir, 'parity.jsonl');
    const r = await checkParity(e, { capabilities: ['S01'], workloadFile: workload, differences: file });
    const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(r.differences!.rows);
    expect(rows).toHaveLength(r.capabilities[0]!.queriesShort);
    for (const p of planted) {
      const row = rows.find((x) => x.paramsRef === keyedRef({ surname: p.surname }));
      expect(row, p.surname).toBeTruthy();
      expect(row).toMatchObject({ capability: 'S01', queryKind: 'surname', origin: 'workload', error: null });
      expect(row.legacyOnly).toContain(p.identity);
    }
    const text = readFileSync(file, 'utf8').toLowerCase();
    for (const p of planted) expect(text).not.toContain(p.surname.toLowerCase());
  });

  it('CSV: against the degraded profile, one line per query that fell short and one for the capability the target cannot run', async () => {
    const file = path.join(dir, 'parity.csv');
    const r = await checkParity(e, { adapter: 'degraded', differences: file });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(PARITY_DIFFERENCE_COLUMNS.join(','));
    const body = lines.slice(1);
    expect(body).toHaveLength(r.differences!.rows);
    for (const c of r.capabilities) {
      const mine = body.filter((l) => l.startsWith(`${c.id},`));
      if (c.verdict === 'LOST') expect(mine, c.id).toHaveLength(1); // the first query is refused; the rest are not run
      else expect(mine, c.id).toHaveLength(c.queriesShort);
    }
    expect(r.capabilities.find((c) => c.id === 'S02')!.verdict).toBe('LOST');
    expect(body.filter((l) => l.startsWith('S04,')).length).toBeGreaterThan(0);
  });
});
