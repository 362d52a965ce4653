// Which target a result was taken on, and the state it was in (issue 14). One round trip of cheap
// catalog queries: the server's identity, the database, the change-tracking state
// (migrations/…_change-tracking.ts) and the audit chain's head.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { withClient } from '../db/pool.ts';
import { maskUrl } from '../core/log.ts';
import { chainHead } from '../audit/head.ts';

export const TargetIdentitySchema = z.strictObject({
  /** pg_control_system().system_identifier: one per cluster (initdb), kept across restarts */
  systemIdentifier: z.string(),
  database: z.string(),
});
export type TargetIdentity = z.output<typeof TargetIdentitySchema>;

export const TargetStateSchema = z.strictObject({
  /** tracking.target.epoch: a dropped and recreated database gets a new one */
  epoch: z.string(),
  /** rows of tracking.change: one per committed (transaction, table) that wrote record, migration or audit */
  changes: z.number().int().min(0),
  /** the latest change noted, for messages */
  lastChangeAt: z.string().nullable(),
});
export type TargetState = z.output<typeof TargetStateSchema>;

export const AuditHeadSchema = z.strictObject({ seq: z.string(), hash: z.string() });
/** The audit chain's head: the last row of audit.event (its seq and hash in hex). */
export type AuditHead = z.output<typeof AuditHeadSchema>;

export const SourceIdentitySchema = z.strictObject({
  name: z.string(),
  /** a URL with the password masked, or a path */
  identity: z.string(),
  /** SHA-256 of the CRIMINT manifest.json (which holds every data file's SHA-256) */
  digest: z.string().nullable(),
});
export type SourceIdentity = z.output<typeof SourceIdentitySchema>;

/** The target as it is now. `state` is null when the target has no change tracking. */
export interface TargetNow {
  identity: TargetIdentity;
  id: string;
  state: TargetState | null;
  /** tables of record, migration and audit without an enabled tracking trigger */
  untracked: string[];
  auditHead: AuditHead | null;
}

/** A folder name for a target: `<system identifier>-<database>`, unsafe characters replaced. */
export function targetId(t: TargetIdentity): string {
  const db = t.database.replace(/[^A-Za-z0-9_.-]/g, '_');
  const clash = db === t.database ? '' : `-${createHash('sha256').update(t.database).digest('hex').slice(0, 8)}`;
  return `${t.systemIdentifier}-${db}${clash}`;
}

const sameIdentity = (a: TargetIdentity, b: TargetIdentity) => a.systemIdentifier === b.systemIdentifier && a.database === b.database;
export { sameIdentity };

/** Identity, change-tracking state and audit head of the target at `url`. */
export async function readTarget(url: string): Promise<TargetNow> {
  return withClient(url, async (c) => {
    const base = (await c.query<{ db: string; tracked: boolean; audited: boolean }>(
      `SELECT current_database() AS db, to_regclass('tracking.change') IS NOT NULL AS tracked, to_regclass('audit.event') IS NOT NULL AS audited`)).rows[0]!;
    let sysid: string;
    try {
      sysid = (await c.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()')).rows[0]!.id;
    } catch {
      // pg_control_system() may be refused to an unprivileged role: the server's address stands in
      const u = new URL(url);
      sysid = `host_${u.hostname}_${u.port || '5432'}`;
    }
    const identity = { systemIdentifier: sysid, database: base.db };
    let state: TargetState | null = null;
    let untracked: string[] = [];
    if (base.tracked) {
      // the last change's time to the microsecond, so that "after it" excludes it exactly
      const r = (await c.query<{ epoch: string; changes: string; last: string | null; untracked: string[] }>(`
        SELECT t.epoch::text AS epoch, (SELECT count(*) FROM tracking.change) AS changes,
               to_char((SELECT max(at) FROM tracking.change) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last,
               array(SELECT ns.nspname || '.' || cl.relname FROM pg_class cl JOIN pg_namespace ns ON ns.oid = cl.relnamespace
                      WHERE ns.nspname IN ('record', 'migration', 'audit') AND cl.relkind IN ('r', 'p')
                        AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = cl.oid AND g.tgname = 'cutover_track' AND g.tgenabled = 'A')
                      ORDER BY 1) AS untracked
          FROM tracking.target t`)).rows[0];
      if (r) {
        state = { epoch: r.epoch, changes: Number(r.changes), lastChangeAt: r.last };
        untracked = r.untracked;
      }
    }
    const auditHead = base.audited ? await chainHead(c) : null;
    return { identity, id: targetId(identity), state, untracked, auditHead };
  });
}

/** One committed transaction that wrote to record, migration or audit. */
export interface ChangeNote { app: string | null; user: string | null; at: string; tables: string[] }

/** The latest transactions that wrote after `since` (from the change log; for messages, not for the verdict). */
export async function changesAfter(url: string, since: string | null, limit = 3): Promise<{ transactions: number; latest: ChangeNote[] }> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ app: string | null; by_user: string | null; at: Date; tables: string[]; total: string }>(
      `SELECT app, by_user, max(at) AS at, array_agg(tbl ORDER BY tbl) AS tables, count(*) OVER () AS total FROM tracking.change
        WHERE $1::timestamptz IS NULL OR at > $1::timestamptz
        GROUP BY xid, app, by_user ORDER BY max(at) DESC LIMIT $2`, [since, limit]);
    return { transactions: Number(rows[0]?.total ?? 0), latest: rows.map((r) => ({ app: r.app, user: r.by_user, at: r.at.toISOString(), tables: r.tables })) };
  });
}

/** SHA-256 of a CRIMINT export's manifest.json, or null when there is none. */
export function manifestDigest(dir: string): string | null {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) return null;
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The sources a check read, as a result records them: URLs with the password masked, the manifest's digest. */
export function sourceIdentities(s: { crisUrl?: string; crimintDir?: string }): SourceIdentity[] {
  const out: SourceIdentity[] = [];
  if (s.crisUrl) out.push({ name: 'CRIS', identity: maskUrl(s.crisUrl), digest: null });
  if (s.crimintDir) out.push({ name: 'CRIMINT', identity: path.resolve(s.crimintDir), digest: manifestDigest(s.crimintDir) });
  return out;
}
