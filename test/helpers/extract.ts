// A generated legacy extract (CRIS stand-in database + CRIMINT directory) and an empty target,
// on the suite's embedded PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, dropTestDatabase } from './db.ts';
import { generate, type GenerateResult } from '../../src/synth/generate.ts';
import { migrate } from '../../src/db/migrate.ts';
import { runPipelines } from '../../src/pipeline/index.ts';
import type { Connections } from '../../src/db/config.ts';
import type { RunOptions } from '../../src/pipeline/runner.ts';
import { openCrisSource, openCrimintSource } from '../../src/sources/index.ts';
import { buildOracle, type BuildOracleOptions, type Oracle } from '../../src/parity/oracle.ts';

export interface Extract extends Connections {
  generated: GenerateResult;
  dispose(): Promise<void>;
}

export async function createExtract(prefix: string, opts: { scale: number; seed: number; rates?: Record<string, number> }): Promise<Extract> {
  const crisUrl = await createTestDatabase(`${prefix}_cris`);
  const databaseUrl = await createTestDatabase(`${prefix}_target`);
  const crimintDir = mkdtempSync(path.join(os.tmpdir(), `cutover-${prefix}-`));
  const generated = await generate({ scale: opts.scale, seed: opts.seed, crisUrl, crimintDir, rates: opts.rates });
  await migrate(databaseUrl);
  return {
    databaseUrl, crisUrl, crimintDir, embedded: false, generated,
    async dispose() {
      await dropTestDatabase(databaseUrl);
      await dropTestDatabase(crisUrl);
      rmSync(crimintDir, { recursive: true, force: true });
    },
  };
}

/** A second empty target for the same extract. */
export async function freshTarget(e: Extract, prefix: string): Promise<Connections & { dispose(): Promise<void> }> {
  const databaseUrl = await createTestDatabase(`${prefix}_target`);
  await migrate(databaseUrl);
  return { ...e, databaseUrl, dispose: () => dropTestDatabase(databaseUrl) };
}

export function migrateAll(c: Connections, opts: RunOptions = {}) {
  return runPipelines(c, ['cris', 'crimint'], { progress: false, ...opts });
}

/** The parity oracle over an extract's legacy sources (opened for the build and closed after it). */
export async function oracleOf(e: Pick<Extract, 'crisUrl' | 'crimintDir'>, opts: Omit<BuildOracleOptions, 'crisSource' | 'crimintSource'> = {}): Promise<Oracle> {
  const crisSource = openCrisSource(e.crisUrl);
  const crimintSource = openCrimintSource(e.crimintDir);
  try {
    return await buildOracle({ ...opts, crisSource, crimintSource });
  } finally {
    await crisSource.close();
    await crimintSource.close();
  }
}

export async function query<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/**
 * A digest of everything a migration produces that must be identical between an interrupted
 * and an uninterrupted run: every record table, lineage, the control tables and summed counts
 * (run and batch ids and timestamps left out), and the legacy audit entries.
 */
export async function digest(url: string): Promise<Record<string, string>> {
  const parts: Record<string, string> = {
    person: 'SELECT * FROM record.person ORDER BY id',
    person_name: 'SELECT * FROM record.person_name ORDER BY id',
    location: 'SELECT * FROM record.location ORDER BY id',
    object: 'SELECT * FROM record.object ORDER BY id',
    event: 'SELECT * FROM record.event ORDER BY id',
    event_person: 'SELECT * FROM record.event_person ORDER BY 1, 2, 3',
    event_location: 'SELECT * FROM record.event_location ORDER BY 1, 2, 3',
    event_object: 'SELECT * FROM record.event_object ORDER BY 1, 2, 3',
    person_location: 'SELECT * FROM record.person_location ORDER BY 1, 2, 3',
    person_object: 'SELECT * FROM record.person_object ORDER BY 1, 2, 3',
    lineage: 'SELECT source_system, source_entity, source_key, target_table, target_id, parent_key, source_hash, source_ordinal FROM migration.lineage ORDER BY 1, 2, 3',
    quarantine: 'SELECT source_system, source_entity, source_key, reason_code, field, message, raw, problems, source_ordinal FROM migration.quarantine ORDER BY 1, 2, 3',
    exclusion: 'SELECT source_system, source_entity, source_key, reason, source_ordinal FROM migration.exclusion ORDER BY 1, 2, 3',
    superseded: 'SELECT source_system, source_entity, source_key, source_ordinal FROM migration.superseded ORDER BY 1, 2, 3, 4',
    orphan: 'SELECT source_system, source_entity, source_key, link_table, missing_entity, missing_key FROM migration.orphan ORDER BY 1, 2, 3, 4, 5',
    dq_warning: 'SELECT source_system, source_entity, source_key, code, field FROM migration.dq_warning ORDER BY 1, 2, 3, 4, 5',
    counts: `SELECT pipeline, step, sum(read) r, sum(loaded) l, sum(quarantined) q, sum(excluded) e, sum(superseded) s, sum(orphans) o FROM migration.batch GROUP BY 1, 2 ORDER BY 1, 2`,
    // the indexes are all there (none left deferred by a first load) and defined alike
    indexes: `SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes WHERE schemaname IN ('record', 'audit', 'migration') ORDER BY 1, 2, 3`,
    // and the foreign keys a first load deferred are back, as they were
    foreign_keys: `SELECT conrelid::regclass::text AS t, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'f' AND connamespace IN ('record'::regnamespace, 'audit'::regnamespace, 'migration'::regnamespace) ORDER BY 1, 2`,
    deferred_indexes: 'SELECT index_name FROM migration.deferred_index ORDER BY 1',
    legacy_audit: `SELECT occurred_at, actor, operation, justification, recipient, entity_type, entity_id, entity_ref, detail, origin, legacy_audit_id FROM audit.event WHERE origin <> 'MIGRATION' ORDER BY origin, legacy_audit_id`,
  };
  const out: Record<string, string> = {};
  for (const [name, sql] of Object.entries(parts)) {
    const [row] = await query<{ d: string; n: string }>(url, `SELECT md5(coalesce(string_agg(t::text, E'\\n'), '')) AS d, count(*)::text AS n FROM (${sql}) t`);
    out[name] = `${row!.n}:${row!.d}`;
  }
  return out;
}

/**
 * A scratch Cutover home for one test file: the results store and the engineers' reports under
 * it while entered (CUTOVER_HOME, CUTOVER_RESULTS_DIR), removed on leave.
 */
export function scratchHome(prefix: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const env = { CUTOVER_RESULTS_DIR: path.join(dir, 'results'), CUTOVER_HOME: dir };
  return {
    dir,
    env,
    enter() {
      Object.assign(process.env, env);
    },
    leave() {
      rmSync(dir, { recursive: true, force: true });
      delete process.env.CUTOVER_RESULTS_DIR;
      delete process.env.CUTOVER_HOME;
    },
  };
}
