// A migrated target for the reconcile tests and benchmark: a generated legacy extract (CRIS in
// its own database, CRIMINT in a temp directory), both pipelines run into a fresh target database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { generate, type QuirkRates } from '../../src/synth/generate.ts';
import { runPipelines } from '../../src/pipeline/index.ts';
import type { Connections } from '../../src/db/config.ts';

export interface Fixture {
  connections: Connections;
  dispose(): Promise<void>;
}

function withDb(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(adminUrl: string, sql: string): Promise<void> {
  const c = new pg.Client(adminUrl);
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function createDatabase(adminUrl: string, prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  return withDb(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, url: string): Promise<void> {
  await admin(adminUrl, `DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
}

/** Generate an extract at `scale` and migrate it (pipelines in order) into a fresh target. */
export async function migratedFixture(adminUrl: string, opts: { scale: number; seed?: number; prefix?: string; run?: boolean; batchSize?: number; rates?: Partial<QuirkRates>; onProgress?: (m: string) => void }): Promise<Fixture> {
  const prefix = opts.prefix ?? 'recon';
  const crisUrl = await createDatabase(adminUrl, `${prefix}_cris`);
  const databaseUrl = await createDatabase(adminUrl, `${prefix}_target`);
  const crimintDir = mkdtempSync(path.join(tmpdir(), `cutover-${prefix}-`));
  const connections: Connections = { databaseUrl, crisUrl, crimintDir, embedded: false };
  const dispose = async () => {
    await dropDatabase(adminUrl, databaseUrl).catch(() => {});
    await dropDatabase(adminUrl, crisUrl).catch(() => {});
    rmSync(crimintDir, { recursive: true, force: true });
  };
  try {
    await generate({ scale: opts.scale, seed: opts.seed ?? 42, crisUrl, crimintDir, rates: opts.rates, onProgress: opts.onProgress });
    if (opts.run !== false) await runPipelines(connections, ['cris', 'crimint'], { progress: false, batchSize: opts.batchSize });
  } catch (err) {
    await dispose();
    throw err;
  }
  return { connections, dispose };
}
