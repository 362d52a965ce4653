// Argument checks and the transaction helper shared by the privacy commands.
import type pg from 'pg';
import { ConfigError } from '../core/problems.ts';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A non-blank string option, trimmed; ConfigError naming the option otherwise. */
export function requireText(v: unknown, option: string, why: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(`${option} is required: ${why}`, `pass --${option} <text>`);
  return v.trim();
}

/** A target id (UUID), lower-cased; ConfigError otherwise. */
export function requireUuid(v: unknown, option: string): string {
  if (typeof v !== 'string' || !UUID_RE.test(v.trim())) {
    throw new ConfigError(`--${option} must be a target id (UUID), got ${JSON.stringify(v)}`, 'find the id with `cutover search` (S01/S20) or in migration.lineage');
  }
  return v.trim().toLowerCase();
}

export function requireUrl(v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw new ConfigError('a target database URL is required', 'pass --target <postgres://…> or set it in the config');
  return v;
}

/** Run fn in a READ COMMITTED transaction (what appendAudit needs); roll back on any error. */
export async function inTransaction<T>(c: pg.Client, fn: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    const out = await fn();
    await c.query('COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/** The seq of the row just appended by this transaction (it holds the chain lock: ours is the last). */
export async function lastAuditSeq(c: pg.Client): Promise<string> {
  const { rows } = await c.query<{ seq: string }>('SELECT max(seq)::text AS seq FROM audit.event');
  return rows[0]!.seq;
}
