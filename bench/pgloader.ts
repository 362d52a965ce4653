// pgloader as a peer: what a migration engineer would reach for instead of Cutover. It copies the
// same CRIS tables (the PostgreSQL stand-in) into another database on the same server, tables,
// keys and indexes included, and is timed from its start to its exit as `cutover run cris` is.
// pgloader only copies; Cutover maps, validates, quarantines and writes lineage and the audit
// chain. Install it with `apt-get install pgloader` (Debian's 3.6.7); without it this is skipped.
import { spawn, spawnSync } from 'node:child_process';
import { recreateDatabase, withClient } from '../src/db/pool.ts';

export interface PgloaderResult {
  version: string;
  /** rows in the copied tables afterwards (counted in the target database) */
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

/** pgloader's version line when it is on the PATH, else null. */
export function pgloaderVersion(): string | null {
  const r = spawnSync('pgloader', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return r.stdout.split('\n')[0]!.trim();
}

/**
 * pgloader's Lisp heap (MB). Debian's default is too small for scale 100,000: it aborts with "Heap
 * exhausted during garbage collection" in the middle of the copy. 4 GB is its own documented
 * remedy; it is address space, reserved, not used.
 */
const HEAP = ['--dynamic-space-size', process.env.CUTOVER_BENCH_PGLOADER_HEAP_MB ?? '4096'];

/** pgloader's connection string for a postgres:// URL (it wants `pgsql://`). */
const pgsqlUrl = (url: string) => url.replace(/^postgres(ql)?:\/\//, 'pgsql://');

/**
 * Copy every table of the CRIS database's `dbo` schema into `intoUrl` (recreated first) with
 * pgloader's defaults: create tables, copy, then create indexes and keys, reset sequences.
 */
export async function runPgloader(crisUrl: string, intoUrl: string, version: string): Promise<PgloaderResult> {
  await recreateDatabase(intoUrl);
  const t0 = performance.now();
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn('pgloader', [...HEAP, '--no-ssl-cert-verification', pgsqlUrl(crisUrl), pgsqlUrl(intoUrl)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (c) => resolve({ code: c, output }));
  });
  const ms = performance.now() - t0;
  if (code !== 0 || /\bFATAL\b|ERROR\b/.test(output)) throw new Error(`pgloader exited ${code}:\n${output.slice(-3000)}`);
  const rows = await withClient(intoUrl, async (c) => {
    const { rows: tables } = await c.query<{ t: string }>(`SELECT format('%I.%I', schemaname, relname) AS t FROM pg_stat_user_tables`);
    if (!tables.length) throw new Error(`pgloader copied no tables:\n${output.slice(-3000)}`);
    const { rows: [{ n }] } = await c.query<{ n: string }>(tables.map((x) => `SELECT count(*) AS n FROM ${x.t}`).join(' UNION ALL ').replace(/^/, 'SELECT sum(n)::text AS n FROM (') + ') s');
    return Number(n);
  });
  return { version, rows, seconds: ms / 1000, rowsPerSecond: Math.round(rows / (ms / 1000)) };
}
