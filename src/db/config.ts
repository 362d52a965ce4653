// One place for connection defaults. Each option documents its default.
import path from 'node:path';
import { ensureEmbedded, embeddedUrl, embeddedPaths } from './embedded.ts';
import { probePostgres } from './pool.ts';
import { connectionError } from './connection.ts';
import { mssqlConfigFromUrl } from '../sources/mssql-sql.ts';
import { ConfigError } from '../core/problems.ts';
import { log, maskUrl } from '../core/log.ts';

export interface ConnectionOptions {
  /** Target PostgreSQL. Default: CUTOVER_DATABASE_URL, else the embedded server's `cutover` database. */
  databaseUrl?: string;
  /** CRIS source: postgres://… or mssql://…. Default: CUTOVER_CRIS_URL, else the embedded `cris_legacy` database. */
  crisUrl?: string;
  /** CRIMINT export directory. Default: CUTOVER_CRIMINT_DIR, else `.cutover/crimint`. */
  crimintDir?: string;
}

export interface Connections {
  databaseUrl: string;
  crisUrl: string;
  crimintDir: string;
  /** the target is the embedded server's (no target URL was given) */
  embedded: boolean;
}

export const TARGET_DB = 'cutover';
export const CRIS_DB = 'cris_legacy';

/** The connections a command reads or writes (both when not said). */
export interface Uses {
  target?: boolean;
  cris?: boolean;
}

let announced = false;

/**
 * Resolve URLs from options, then environment, then the embedded default. The embedded server
 * is started (once; later commands reuse it) only when a connection the command uses has no
 * URL; a default the command does not use is named but not started. Every connection the
 * command uses that was given by URL is tried first: a failure is one line (exit 2) naming the
 * connection, the cause and what to do.
 */
export async function resolveConnections(opts: ConnectionOptions = {}, uses: Uses = { target: true, cris: true }): Promise<Connections> {
  let databaseUrl = opts.databaseUrl ?? process.env.CUTOVER_DATABASE_URL;
  let crisUrl = opts.crisUrl ?? process.env.CUTOVER_CRIS_URL;
  const crimintDir = path.resolve(opts.crimintDir ?? process.env.CUTOVER_CRIMINT_DIR ?? path.join(process.env.CUTOVER_HOME ?? '.cutover', 'crimint'));
  for (const [name, url] of [['target database URL', databaseUrl], ['CRIS URL', crisUrl]] as const) {
    if (url && !/^(postgres|postgresql|mssql|sqlserver):\/\//.test(url)) {
      throw new ConfigError(`the ${name} "${maskUrl(url)}" is not a postgres:// or mssql:// URL`, 'give a URL such as postgres://user:pass@host:5432/db');
    }
  }
  if (databaseUrl && !/^postgres(ql)?:/.test(databaseUrl)) {
    throw new ConfigError('the target must be PostgreSQL', 'set CUTOVER_DATABASE_URL to a postgres:// URL');
  }
  const needEmbedded = [uses.target && !databaseUrl ? TARGET_DB : null, uses.cris && !crisUrl ? CRIS_DB : null].filter((d): d is string => d !== null);
  const given = { target: Boolean(databaseUrl), cris: Boolean(crisUrl) };
  let port = embeddedPaths().port;
  if (needEmbedded.length) {
    port = (await ensureEmbedded()).port;
    await ensureDatabases(embeddedUrl(port, 'postgres'), needEmbedded);
  }
  databaseUrl ??= embeddedUrl(port, TARGET_DB);
  crisUrl ??= embeddedUrl(port, CRIS_DB);
  if (uses.target && given.target) databaseUrl = await probePostgres(databaseUrl, 'target');
  if (uses.cris && given.cris) crisUrl = /^postgres(ql)?:/.test(crisUrl) ? await probePostgres(crisUrl, 'CRIS') : (await probeMssql(crisUrl), crisUrl);
  if (!announced) {
    announced = true;
    if (uses.target) log.info(`target database: ${maskUrl(databaseUrl)}`);
    if (uses.cris) log.info(`CRIS source:     ${maskUrl(crisUrl)}`);
    log.info(`CRIMINT export:  ${crimintDir}`);
  }
  return { databaseUrl, crisUrl, crimintDir, embedded: !given.target };
}

/** Connect to SQL Server once and close, to report an unreachable CRIS before any work. */
async function probeMssql(url: string): Promise<void> {
  const config = mssqlConfigFromUrl(url, { poolMax: 1 });
  const { default: sql } = await import('mssql');
  const pool = new sql.ConnectionPool(config);
  try {
    await pool.connect();
  } catch (err) {
    throw connectionError(err, url, 'CRIS');
  } finally {
    await pool.close().catch(() => {});
  }
}

async function ensureDatabases(adminUrl: string, names: string[]): Promise<void> {
  const { default: pg } = await import('pg');
  const c = new pg.Client(adminUrl);
  await c.connect();
  try {
    for (const name of names) {
      const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) {
        try {
          await c.query(`CREATE DATABASE ${name}`);
        } catch (err) {
          // another command created it at the same moment
          if ((err as { code?: string }).code !== '42P04' && (err as { code?: string }).code !== '23505') throw err;
        }
      }
    }
  } finally {
    await c.end();
  }
}
