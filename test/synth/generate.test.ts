import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from '../../src/db/pool.ts';
import { CRIS_TABLES } from '../../src/sources/cris-tables.ts';
import { CRIMINT_FILES, DEFAULT_RATES, generate, PROPORTIONS } from '../../src/synth/generate.ts';
import { crisDigests, fileDigests, keyOrder, makeExtract, readJson, type Extract } from './extract.ts';
import { Ctx } from '../../src/synth/context.ts';
import { crime, nominal } from '../../src/synth/cris.ts';
import { resolveRates } from '../../src/synth/rates.ts';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';

const SCALE = 600;

describe('synthetic extract: determinism', () => {
  let a: Extract;
  let b: Extract;
  let other: Extract;

  beforeAll(async () => {
    [a, b, other] = await Promise.all([
      makeExtract({ scale: SCALE, seed: 'det-1' }),
      makeExtract({ scale: SCALE, seed: 'det-1' }),
      makeExtract({ scale: SCALE, seed: 'det-2' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a, b, other].filter(Boolean).map((x) => x.dispose()));
  });

  it('writes byte-identical CRIS tables and CRIMINT files for the same seed', async () => {
    const [da, db] = await Promise.all([crisDigests(a.url), crisDigests(b.url)]);
    expect(Object.keys(da).sort()).toEqual(CRIS_TABLES.map((t) => t.entity).sort());
    expect(db).toEqual(da);
    expect(fileDigests(b.dir)).toEqual(fileDigests(a.dir));
    expect(b.result).toEqual(a.result);
  });

  it('writes a different extract for a different seed, every table and file', async () => {
    const [da, dc] = await Promise.all([crisDigests(a.url), crisDigests(other.url)]);
    for (const t of CRIS_TABLES) expect(dc[t.entity], t.entity).not.toBe(da[t.entity]);
    const fa = fileDigests(a.dir);
    const fc = fileDigests(other.dir);
    for (const f of Object.keys(fa)) expect(fc[f], f).not.toBe(fa[f]);
  });

  it('derives exportedAt from the seed (same seed, same time; after all the data)', () => {
    expect(a.result.exportedAt).toBe(b.result.exportedAt);
    expect(a.result.exportedAt).toMatch(/^2025-0[1-4]-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(readJson<{ exportedAt: string }>(a.dir, 'manifest.json').exportedAt).toBe(a.result.exportedAt);
  });

  it('returns the counts actually written: CRIS rows per table, CRIMINT records per file', async () => {
    const c = await connect(a.url);
    try {
      for (const t of CRIS_TABLES) {
        const { rows } = await c.query(`SELECT count(*)::int AS n FROM dbo.${t.table}`);
        expect(a.result.cris[t.entity as keyof typeof a.result.cris], t.entity).toBe(rows[0].n);
      }
    } finally {
      await c.end();
    }
    for (const f of CRIMINT_FILES) expect(a.result.crimint[f], f).toBe(readJson<unknown[]>(a.dir, f).length);
    const sum = Object.values(a.result.cris).reduce((x, y) => x + y, 0) + Object.values(a.result.crimint).reduce((x, y) => x + y, 0);
    expect(a.result.total).toBe(sum);
  });

  it('follows PROPORTIONS (scale = crime reports)', () => {
    const r = a.result;
    expect(r.cris.CRIME_REPORT).toBe(SCALE);
    expect(r.cris.ADDRESS).toBe(SCALE * PROPORTIONS.cris.ADDRESS);
    expect(r.cris.NOMINAL).toBe(SCALE * PROPORTIONS.cris.NOMINAL);
    expect(r.cris.VEHICLE).toBe(SCALE * PROPORTIONS.cris.VEHICLE);
    expect(r.cris.AUDIT_TRAIL).toBe(SCALE * PROPORTIONS.cris.AUDIT_TRAIL);
    expect(r.cris.CRIME_NOMINAL / SCALE).toBeGreaterThan(1.7);
    expect(r.cris.CRIME_NOMINAL / SCALE).toBeLessThan(2.3);
    expect(r.cris.CRIME_VEHICLE / SCALE).toBeGreaterThan(0.2);
    expect(r.cris.CRIME_VEHICLE / SCALE).toBeLessThan(0.45);
    expect(r.crimint['audit.json']).toBe(SCALE * PROPORTIONS.crimint['audit.json']);
    // re-exported keys are extra records in the file
    expect(r.crimint['nominals.json']).toBeGreaterThanOrEqual(SCALE * PROPORTIONS.crimint['nominals.json']);
  });

  it('writes a manifest whose counts and SHA-256 match the files', () => {
    const m = readJson<{ exportedAt: string; files: Record<string, { records: number; sha256: string }> }>(a.dir, 'manifest.json');
    expect(Object.keys(m.files)).toEqual([...CRIMINT_FILES]);
    for (const f of CRIMINT_FILES) {
      const bytes = readFileSync(path.join(a.dir, f));
      expect(m.files[f]!.sha256, f).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(m.files[f]!.records, f).toBe((JSON.parse(bytes.toString('utf8')) as unknown[]).length);
      expect(m.files[f]!.records, f).toBe(a.result.crimint[f]);
    }
  });

  it('writes rows that read back exactly as generated (COPY escaping of tabs, CR/LF, backslashes)', async () => {
    const ctx = new Ctx('det-1', SCALE, resolveRates(undefined));
    const c = await connect(a.url);
    try {
      const crimes = (await c.query(`SELECT mo_text, class_desc, cris_no FROM dbo.crime_report ORDER BY ${keyOrder('CRIME_REPORT')}`)).rows;
      let special = 0;
      crimes.forEach((r, i) => {
        const g = crime(ctx, i).row;
        expect(r.cris_no).toBe(g.cris_no);
        expect(r.mo_text).toBe(g.mo_text);
        expect(r.class_desc).toBe(g.class_desc);
        if (/[\t\r\n\\]/.test(r.mo_text ?? '')) special++;
      });
      expect(special).toBeGreaterThan(0);
      const people = (await c.query(`SELECT surname, forenames FROM dbo.nominal ORDER BY nominal_id`)).rows;
      people.forEach((r, i) => {
        const g = nominal(ctx, i).row;
        expect([r.surname, r.forenames]).toEqual([g.surname, g.forenames]);
      });
    } finally {
      await c.end();
    }
  });

  it('reports progress, and a line per table and file', () => {
    for (const t of CRIS_TABLES) expect(a.progress.some((m) => m.startsWith(`CRIS ${t.entity}: `) && m.endsWith('rows written'))).toBe(true);
    for (const f of CRIMINT_FILES) expect(a.progress.some((m) => m.startsWith(`CRIMINT ${f}: `))).toBe(true);
  });
});

describe('synthetic extract: options', () => {
  it('rejects unknown rate names and rates outside [0, 1], before touching the database', async () => {
    const base = { scale: 10, seed: 1, crisUrl: 'postgres://nowhere.invalid/x', crimintDir: '/nonexistent/x' };
    await expect(generate({ ...base, rates: { deleted: 1.5 } })).rejects.toThrow();
    await expect(generate({ ...base, rates: { noSuchQuirk: 0.1 } as never })).rejects.toThrow();
    await expect(generate({ ...base, scale: 9 })).rejects.toThrow();
    expect(Object.values(DEFAULT_RATES).every((r) => r >= 0 && r <= 1)).toBe(true);
  });

  it('with every rate 0 writes a clean extract (only the planted records remain bad)', async () => {
    const zero = Object.fromEntries(Object.keys(DEFAULT_RATES).map((k) => [k, 0]));
    const url = await createTestDatabase('synth_zero');
    const x = await makeExtract({ scale: 300, seed: 'zero', rates: zero }, url);
    const c = await connect(url);
    try {
      const one = async (sql: string) => (await c.query(sql)).rows[0].n as number;
      expect(await one(`SELECT count(*)::int n FROM dbo.nominal WHERE dob = '1900-01-01' OR deleted = 'Y' OR sex NOT IN ('M','F','U')`)).toBe(0);
      expect(await one(`SELECT count(*)::int n FROM dbo.crime_report WHERE deleted = 'Y' OR committed_to < committed_from OR mo_text ~ '[\\t\\r\\n]'`)).toBe(0);
      expect(await one(`SELECT count(*)::int n FROM dbo.crime_nominal l LEFT JOIN dbo.nominal n USING (nominal_id) WHERE n.nominal_id IS NULL`)).toBe(0);
      expect(await one(`SELECT count(*)::int n FROM dbo.nominal WHERE surname = ''`)).toBe(1);
      const noms = readJson(x.dir, 'nominals.json');
      expect(noms.filter((n) => n.status !== 'ACTIVE')).toEqual([]);
      expect(new Set(noms.map((n) => n.ref)).size).toBe(noms.length);
    } finally {
      await c.end();
      await x.dispose();
      await dropTestDatabase(url);
    }
  });
});
