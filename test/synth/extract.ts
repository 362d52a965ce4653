// Test helpers: generate an extract into a fresh database and a temporary directory, digest it.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { connect } from '../../src/db/pool.ts';
import { CRIS_TABLES } from '../../src/sources/cris-tables.ts';
import { CRIMINT_FILES, generate, type GenerateOptions, type GenerateResult } from '../../src/synth/generate.ts';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';

export interface Extract {
  url: string;
  dir: string;
  result: GenerateResult;
  progress: string[];
  dispose(): Promise<void>;
}

export async function makeExtract(opts: Omit<GenerateOptions, 'crisUrl' | 'crimintDir'>, url?: string): Promise<Extract> {
  const db = url ?? (await createTestDatabase('synth'));
  const dir = mkdtempSync(path.join(tmpdir(), 'cutover-synth-'));
  const progress: string[] = [];
  const result = await generate({ ...opts, crisUrl: db, crimintDir: path.join(dir, 'crimint'), onProgress: (m) => progress.push(m) });
  return {
    url: db,
    dir: path.join(dir, 'crimint'),
    result,
    progress,
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
      if (!url) await dropTestDatabase(db);
    },
  };
}

/** ORDER BY of a CRIS table's key, byte-wise for text columns. */
export function keyOrder(entity: string): string {
  const t = CRIS_TABLES.find((x) => x.entity === entity)!;
  return t.key
    .map((k) => {
      const col = t.columns.find((c) => c.name === k)!;
      return /char/.test(col.type) ? `${k} COLLATE "C"` : k;
    })
    .join(', ');
}

/** SHA-256 of every CRIS table dumped in key order (row text form), per entity. */
export async function crisDigests(url: string): Promise<Record<string, string>> {
  const c = await connect(url);
  try {
    const out: Record<string, string> = {};
    for (const t of CRIS_TABLES) {
      const h = createHash('sha256');
      const { rows } = await c.query(`SELECT t::text AS r FROM dbo.${t.table} t ORDER BY ${keyOrder(t.entity)}`);
      for (const r of rows) h.update(`${r.r}\n`);
      out[t.entity] = h.digest('hex');
    }
    return out;
  } finally {
    await c.end();
  }
}

export function fileDigests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ['manifest.json', ...CRIMINT_FILES]) out[f] = createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex');
  return out;
}

export function readJson<T = Record<string, unknown>[]>(dir: string, file: string): T {
  return JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T;
}

export async function query<T = Record<string, unknown>>(c: pg.Client, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await c.query(sql, params)).rows as T[];
}
