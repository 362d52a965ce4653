// A legacy extract, its full load, the legacy changes after it, and the digests that compare
// a target loaded in full then by a delta with a fresh full load of the changed extract.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createExtract, digest, freshTarget, migrateAll, query, type Extract } from '../helpers/extract.ts';
import { adminUrl, dropTestDatabase, urlFor } from '../helpers/db.ts';
import { randomBytes } from 'node:crypto';
import { generateChanges, type ChangesResult } from '../../src/synth/changes.ts';
import type { Connections } from '../../src/db/config.ts';

export interface ChangedExtract {
  e: Extract;
  /** target after the full load of the original extract */
  loaded: Connections & { dispose(): Promise<void> };
  /** the connections of the changed extract (CRIS changed in place, the newer CRIMINT export) */
  changed: Connections;
  changes: ChangesResult;
  dispose(): Promise<void>;
}

export async function loadThenChange(
  prefix: string,
  opts: { scale: number; seed: number; fraction: number; batchSize?: number; beforeChanges?: (loadedUrl: string, loaded: Connections) => Promise<void> },
): Promise<ChangedExtract> {
  const e = await createExtract(prefix, { scale: opts.scale, seed: opts.seed });
  const loaded = await freshTarget(e, `${prefix}_full`);
  await migrateAll(loaded, { batchSize: opts.batchSize ?? 200 });
  await opts.beforeChanges?.(loaded.databaseUrl, loaded);
  const newer = mkdtempSync(path.join(os.tmpdir(), `cutover-${prefix}-newer-`));
  const changes = await generateChanges({ fraction: opts.fraction, seed: opts.seed, crisUrl: e.crisUrl, crimintDir: e.crimintDir, crimintOut: newer });
  const changed = { ...e, crimintDir: newer };
  return {
    e, loaded, changed, changes,
    async dispose() {
      await loaded.dispose();
      await e.dispose();
      rmSync(newer, { recursive: true, force: true });
    },
  };
}

/**
 * Everything the equivalence covers: every record and link table, lineage, the control tables
 * and the legacy audit entries. Left out: run and batch ids (digest() never had them), the batch
 * counters (a delta's batches count what it changed), the migration's own events, and the
 * entity_id a legacy entry resolved when it was appended (audit.event is append-only: an entry
 * chained at the full load keeps the id its record had then).
 */
export async function deltaDigest(url: string): Promise<Record<string, string>> {
  const d = await digest(url);
  delete d.counts;
  const [row] = await query<{ d: string; n: string }>(url, `SELECT md5(coalesce(string_agg(t::text, E'\\n'), '')) AS d, count(*)::text AS n FROM (
    SELECT occurred_at, actor, operation, justification, recipient, entity_type, entity_ref, detail, origin, legacy_audit_id
    FROM audit.event WHERE origin <> 'MIGRATION' ORDER BY origin, legacy_audit_id) t`);
  d.legacy_audit = `${row!.n}:${row!.d}`;
  return d;
}

/** A copy of a target database (CREATE DATABASE … TEMPLATE): the same full load, twice, at the cost of a file copy. */
export async function cloneTarget(url: string, prefix: string): Promise<{ databaseUrl: string; dispose(): Promise<void> }> {
  const from = new URL(url).pathname.slice(1);
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await query(adminUrl(), `CREATE DATABASE ${name} TEMPLATE ${from}`);
  const databaseUrl = urlFor(name);
  return { databaseUrl, dispose: () => dropTestDatabase(databaseUrl) };
}

/** The migration's own removal events: which records the delta removed, each logged once. */
export async function removals(url: string): Promise<string[]> {
  const rows = await query<{ r: string }>(url, `SELECT entity_id || ' ' || entity_ref || ' ' || (detail->>'change') AS r FROM audit.event
    WHERE origin = 'MIGRATION' AND operation = 'erasure' ORDER BY 1`);
  return rows.map((x) => x.r);
}
