// Connecting by URL, as libpq reads one, and saying in one line why a connection failed.
//
// URLs: sslmode (disable, allow, prefer, require, verify-ca, verify-full) means what it means to
// libpq (node-postgres alone would treat require as verify-full); sslrootcert/sslcert/sslkey,
// application_name and options (`-c name=value`) are honoured; connect_timeout (seconds, libpq's
// name) bounds the connection attempt, 15 s when not given (node-postgres would wait forever).
import type pg from 'pg';
import { ConfigError } from '../core/problems.ts';

/** Which connection: the target, or the CRIS source. */
export type ConnectionRole = 'target' | 'CRIS';

export const DEFAULT_CONNECT_TIMEOUT_S = 15;

/** A connection that could not be made: one line, exit 2. */
export class ConnectionError extends ConfigError {
  override name = 'ConnectionError';
  constructor(
    readonly role: ConnectionRole | undefined,
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, undefined, options);
  }
}

/** Host, port, database and user of a URL, for messages (never the password). */
export function describeUrl(url: string): { host: string; port: string; database: string; user: string; password: boolean } {
  try {
    const u = new URL(url);
    const mssql = /^(mssql|sqlserver):$/.test(u.protocol);
    return {
      host: decodeURIComponent(u.hostname) || u.searchParams.get('host') || 'localhost',
      port: u.port || u.searchParams.get('port') || (mssql ? '1433' : '5432'),
      database: decodeURIComponent(u.pathname.slice(1)) || u.searchParams.get('dbname') || '(default)',
      user: decodeURIComponent(u.username) || u.searchParams.get('user') || '(default)',
      password: Boolean(u.password) || u.searchParams.has('password'),
    };
  } catch {
    return { host: '?', port: '?', database: '?', user: '?', password: false };
  }
}

/** The connect timeout of a URL in milliseconds (connect_timeout, libpq's name, in seconds). */
export function connectTimeoutMs(url: string): number {
  let v: string | null = null;
  try {
    v = new URL(url).searchParams.get('connect_timeout');
  } catch {
    // not a URL: the driver will say so
  }
  const s = v === null ? DEFAULT_CONNECT_TIMEOUT_S : Number(v);
  if (!Number.isFinite(s) || s < 0) throw new ConfigError(`connect_timeout=${v} is not a number of seconds`, 'give connect_timeout=10, for example');
  // libpq: 0 means wait forever; anything below 2 s is taken as 2 s
  return s === 0 ? 0 : Math.max(2, Math.floor(s)) * 1000;
}

/**
 * Client or pool settings for a postgres:// URL. `extra.options` (server settings the caller
 * needs) is added after the URL's own `options`; sslmode gets libpq's meaning.
 */
export function clientConfig(url: string, extra: { application_name?: string; options?: string } = {}): pg.ClientConfig {
  let connectionString = url;
  let urlOptions: string | null = null;
  try {
    const u = new URL(url);
    urlOptions = u.searchParams.get('options');
    if (u.searchParams.has('sslmode') && !u.searchParams.has('uselibpqcompat')) u.searchParams.set('uselibpqcompat', 'true');
    // prefer/allow: node-postgres cannot fall back, so the connection probe (probeConnection)
    // decides once and rewrites the URL; here they mean "TLS without verification".
    const mode = u.searchParams.get('sslmode');
    if (mode === 'allow') u.searchParams.set('sslmode', 'disable');
    u.searchParams.delete('connect_timeout');
    u.searchParams.delete('options');
    connectionString = u.toString();
  } catch {
    // not a URL: the driver will say so
  }
  const options = [urlOptions, extra.options].filter(Boolean).join(' ') || undefined;
  return {
    connectionString,
    connectionTimeoutMillis: connectTimeoutMs(url),
    application_name: extra.application_name ?? 'cutover',
    ...(options ? { options } : {}),
  };
}

interface Cause { cause: string; todo: string }

/** Messages and codes of an error and of what it wraps (cause, originalError, AggregateError.errors). */
function errorChain(err: unknown): { text: string; codes: string[] } {
  const texts: string[] = [];
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const walk = (e: unknown, depth: number) => {
    if (!e || typeof e !== 'object' || seen.has(e) || depth > 5) return;
    seen.add(e);
    const x = e as { message?: string; code?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown[] };
    if (x.message) texts.push(x.message);
    if (typeof x.code === 'string') codes.push(x.code);
    walk(x.originalError, depth + 1);
    walk(x.cause, depth + 1);
    if (Array.isArray(x.errors)) for (const y of x.errors) walk(y, depth + 1);
  };
  walk(err, 0);
  if (!texts.length) texts.push(String(err));
  return { text: texts.join(' '), codes };
}

/** The cause of a failed PostgreSQL or SQL Server connection, and what to do. */
export function connectionCause(err: unknown, url: string, timeoutMs: number): Cause {
  const { text, codes } = errorChain(err);
  const has = (...c: string[]) => c.some((x) => codes.includes(x));
  const code = codes.find((c) => /^[0-9A-Z]{5}$/.test(c)) ?? '';
  const d = describeUrl(url);
  if (has('ECONNREFUSED') || /ECONNREFUSED/.test(text)) {
    return { cause: 'connection refused', todo: `start the server, or correct the host and port in the URL (nothing listens on ${d.host}:${d.port})` };
  }
  if (has('ETIMEDOUT', 'ETIMEOUT') || /timeout|timed out/i.test(text)) {
    return { cause: timeoutMs ? `timed out after ${Math.round(timeoutMs / 1000)} s` : 'timed out', todo: 'check the host, the port and any firewall between; raise connect_timeout=SECONDS in the URL for a slow network' };
  }
  if (has('ENOTFOUND', 'EAI_AGAIN') || /ENOTFOUND|EAI_AGAIN/.test(text)) {
    return { cause: `host ${d.host} not found`, todo: 'correct the host name in the URL' };
  }
  if (code === '28P01' || has('ELOGIN') || /password authentication failed|Login failed/i.test(text)) {
    return { cause: 'authentication failed', todo: 'check the user name and password in the URL' };
  }
  if (code === '28000' && /no encryption|SSL off/i.test(text)) {
    return { cause: 'TLS required by the server', todo: 'add sslmode=require to the URL (verify-full with sslrootcert=FILE to check the certificate)' };
  }
  if (code === '28000') return { cause: 'not allowed by the server (pg_hba.conf)', todo: "ask the server's administrator to allow this user, database and address" };
  if (code === '3D000') return { cause: `database "${d.database}" does not exist`, todo: `create it (CREATE DATABASE ${d.database}) or correct the database name in the URL` };
  if (/does not support SSL/i.test(text)) {
    return { cause: 'the server does not offer TLS', todo: 'use sslmode=prefer or sslmode=disable in the URL, or enable ssl on the server' };
  }
  if (/certificate|self[- ]signed|CERT_|altnames/i.test(text) || codes.some((c) => /CERT|SELF_SIGNED/.test(c))) {
    return { cause: `the server's TLS certificate was not accepted (${text})`, todo: 'give the CA with sslrootcert=FILE, or use sslmode=require to encrypt without checking it' };
  }
  if (code === '53300') return { cause: 'too many connections', todo: 'close other sessions or raise max_connections' };
  if (code === '57P03') return { cause: 'the server is starting up or shutting down', todo: 'try again in a moment' };
  if (has('ECONNRESET') || /terminated unexpectedly|ECONNRESET|socket hang up/i.test(text)) {
    return { cause: 'the server closed the connection', todo: 'check that host:port is a PostgreSQL server and the sslmode it needs' };
  }
  return { cause: text.replace(/\s+/g, ' ').trim(), todo: 'check the URL, that the server is running, and the credentials' };
}

const ROLE_OPTION: Record<ConnectionRole, string> = {
  target: '--database-url / CUTOVER_DATABASE_URL',
  CRIS: '--cris-url / CUTOVER_CRIS_URL',
};

/** The one-line error for a connection that failed. */
export function connectionError(err: unknown, url: string, role?: ConnectionRole): ConnectionError {
  const d = describeUrl(url);
  let timeout = DEFAULT_CONNECT_TIMEOUT_S * 1000;
  try {
    timeout = connectTimeoutMs(url);
  } catch {
    // reported elsewhere
  }
  const { cause, todo } = connectionCause(err, url, timeout);
  const which = role === 'target' ? 'the target database' : role === 'CRIS' ? 'the CRIS source' : 'the database';
  const kind = /^(mssql|sqlserver):/.test(url) ? 'SQL Server' : 'PostgreSQL';
  const where = `${kind} ${d.host}:${d.port}, database ${d.database}, user ${d.user}${d.password ? ', password ****' : ''}`;
  const set = role ? ` (${ROLE_OPTION[role]})` : '';
  return new ConnectionError(role, cause, `cannot connect to ${which} (${where}): ${cause} — ${todo}${set}`, { cause: err });
}

/** Whether an error is a failure to reach or log in to a server (not an error of a query). */
export function isConnectionFailure(err: unknown): boolean {
  const { text, codes } = errorChain(err);
  return codes.some((c) => ['ECONNREFUSED', 'ETIMEDOUT', 'ETIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ESOCKET', 'ELOGIN', '28P01', '28000', '3D000', 'ECONNRESET'].includes(c))
    || /ECONNREFUSED|connection timeout|does not support SSL|self[- ]signed certificate|Connection terminated unexpectedly/i.test(text);
}
