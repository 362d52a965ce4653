// `reconcile --differences FILE`: every difference, one line each, no values — checked against
// the corruption's own list (a corruption that touches every row of a table).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtract, migrateAll, query, scratchHome, type Extract } from '../helpers/extract.ts';
import { checkReconcile } from '../../src/checks/index.ts';
import { DIFFERENCE_COLUMNS } from '../../src/reconcile/differences.ts';

let e: Extract;
const home = scratchHome('cutover-diff-');
const dir = home.dir;
let towns: string[];
let objects: string[];
let links: number;

/** A minimal CSV reader for the file's own quoting (RFC 4180). */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (row.push(cell), (cell = ''));
    else if (ch === '\n') (row.push(cell), rows.push(row), (row = []), (cell = ''));
    else cell += ch;
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

beforeAll(async () => {
  home.enter();
  e = await createExtract('diff', { scale: 300, seed: 19 });
  await migrateAll(e);
  // every location's town changed; three objects deleted (their links go with them)
  towns = (await query<{ id: string }>(e.databaseUrl, `UPDATE record.location SET town = coalesce(town, '') || 'X' RETURNING id::text`)).map((r) => r.id).sort();
  const linked = await query<{ n: string }>(e.databaseUrl, `SELECT (SELECT count(*) FROM record.event_object WHERE object_id = ANY(x.ids)) + (SELECT count(*) FROM record.person_object WHERE object_id = ANY(x.ids)) AS n
    FROM (SELECT array_agg(id) ids FROM (SELECT id FROM record.object ORDER BY id LIMIT 3) o) x`);
  links = Number(linked[0]!.n);
  objects = (await query<{ id: string }>(e.databaseUrl, `DELETE FROM record.object WHERE id IN (SELECT id FROM record.object ORDER BY id LIMIT 3) RETURNING id::text`)).map((r) => r.id).sort();
}, 300_000);

afterAll(async () => {
  await e?.dispose();
  home.leave();
});

describe('reconcile --differences', () => {
  it('CSV: every changed row, every deleted row and every lost link, with field names and no values', async () => {
    const file = path.join(dir, 'diff.csv');
    const r = await checkReconcile(e, undefined, { differences: file });
    expect(r.ok).toBe(false);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe(DIFFERENCE_COLUMNS.join(','));
    const rows = parseCsv(text);
    expect(r.differences!.rows).toBe(rows.length);
    expect(towns.length).toBeGreaterThan(300);

    const mism = rows.filter((x) => x.kind === 'mismatch' && x.table === 'record.location');
    expect(mism.map((x) => x.target_id).sort()).toEqual(towns);
    expect(new Set(mism.map((x) => x.fields))).toEqual(new Set(['town']));
    expect(new Set(mism.map((x) => x.system))).toEqual(new Set(['CRIS', 'CRIMINT']));
    for (const x of mism) expect(x.key).not.toBe('');

    const missing = rows.filter((x) => x.kind === 'missing');
    expect(missing.map((x) => x.target_id).sort()).toEqual(objects);
    expect(missing.every((x) => x.table === 'record.object')).toBe(true);
    const broken = rows.filter((x) => x.kind === 'broken link');
    expect(broken).toHaveLength(links);
    // the file agrees with the counts of the result
    expect(mism.length).toBe(r.summary.mismatchedFields);
    expect(missing.length).toBe(r.summary.missing);
    expect(broken.length).toBe(r.summary.linkDefects);
    expect(rows.length).toBe(towns.length + objects.length + links);

    // no values: the new towns (each ends in X) appear nowhere
    const newTowns = await query<{ town: string }>(e.databaseUrl, `SELECT DISTINCT town FROM record.location WHERE length(town) > 4`);
    for (const t of newTowns) expect(text).not.toContain(t.town);
  });

  it('JSON Lines by extension: the same findings', async () => {
    const file = path.join(dir, 'diff.jsonl');
    const r = await checkReconcile(e, undefined, { differences: file });
    const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(r.differences!.rows);
    expect(rows.filter((x) => x.kind === 'mismatch').map((x) => x.targetId).sort()).toEqual(towns);
    expect(rows[0]).toHaveProperty('fields');
    expect(Array.isArray(rows[0].fields)).toBe(true);
  });
});
