// Shared CLI plumbing: connection options, JSON output, exit codes (0 ok, 1 a check fell short,
// 2 usage or configuration error), and errors turned into advice.
import type { Command } from 'commander';
import { resolveConnections, type Connections, type Uses } from '../db/config.ts';
import { ConfigError, CutoverError } from '../core/problems.ts';
import { connectionCause, isConnectionFailure } from '../db/connection.ts';

export interface GlobalOpts {
  databaseUrl?: string;
  crisUrl?: string;
  crimintDir?: string;
  json?: boolean;
}

export function connectionOptions(cmd: Command): Command {
  return cmd
    .option('--database-url <url>', 'target PostgreSQL (default: $CUTOVER_DATABASE_URL, else the embedded server)')
    .option('--cris-url <url>', 'CRIS source, postgres://… or mssql://… (default: $CUTOVER_CRIS_URL, else the embedded cris_legacy database)')
    .option('--crimint-dir <dir>', 'CRIMINT export directory (default: $CUTOVER_CRIMINT_DIR, else .cutover/crimint)');
}

/** The command's connections; `uses` says which it reads or writes (only those start the embedded server or are tried). */
export function connections(opts: GlobalOpts, uses?: Uses): Promise<Connections> {
  return resolveConnections({ databaseUrl: opts.databaseUrl, crisUrl: opts.crisUrl, crimintDir: opts.crimintDir }, uses);
}

export const TARGET_ONLY: Uses = { target: true };
export const CRIS_ONLY: Uses = { cris: true };

/** Print one JSON document (for --json). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function parseIntOption(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number, got "${v}"`);
    return n;
  };
}

/** Run an action; its return value is the exit code. Errors become a message and exit 1 or 2. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void>) {
  return async (...args: A) => {
    try {
      process.exitCode = (await fn(...args)) ?? 0;
    } catch (err) {
      process.exitCode = reportError(err);
    }
  };
}

export function reportError(err: unknown): number {
  if (err instanceof ConfigError) {
    process.stderr.write(`cutover: ${err.message}\n`);
    return 2;
  }
  if (err instanceof CutoverError) {
    process.stderr.write(`cutover: ${err.message}\n`);
    if (process.env.CUTOVER_DEBUG && err.cause) process.stderr.write(`${(err.cause as Error).stack}\n`);
    return 1;
  }
  if (isConnectionFailure(err)) {
    // a connection lost or refused after the command's start (each connection is tried first)
    const { cause, todo } = connectionCause(err, '', 0);
    process.stderr.write(`cutover: a database connection failed: ${cause} — ${todo}\n`);
    return 2;
  }
  process.stderr.write(`cutover: unexpected error: ${(err as Error)?.stack ?? err}\n`);
  return 1;
}
