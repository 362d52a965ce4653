// One place for connection defaults. Each option documents its default.
import path from 'node:path';
import { ensureEmbedded, embeddedUrl } from './embedded.ts';
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
  embedded: boolean;
}

export const TARGET_DB = 'cutover';
export const CRIS_DB = 'cris_legacy';

let announced = false;

/** Resolve URLs from options, then environment, then the embedded default (started on demand). */
export async function resolveConnections(opts: ConnectionOptions = {}): Promise<Connections> {
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
  const embedded = !databaseUrl || !crisUrl;
  if (embedded) {
    const { port } = await ensureEmbedded();
    databaseUrl ??= embeddedUrl(port, TARGET_DB);
    crisUrl ??= embeddedUrl(port, CRIS_DB);
    await ensureDatabases(embeddedUrl(port, 'postgres'), [TARGET_DB, CRIS_DB]);
  }
  if (!announced) {
    announced = true;
    log.info(`target database: ${maskUrl(databaseUrl!)}`);
    log.info(`CRIS source:     ${maskUrl(crisUrl!)}`);
    log.info(`CRIMINT export:  ${crimintDir}`);
  }
  return { databaseUrl: databaseUrl!, crisUrl: crisUrl!, crimintDir, embedded };
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
