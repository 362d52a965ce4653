// Throughput of appendAudit and verifyChain (not a vitest suite):
//   npx tsx test/audit/bench-chain.ts [rows=500000] [batch=10000]
// Starts its own embedded PostgreSQL (separate home and port, stopped at the end), appends
// `rows` legacy-like entries in transactions of `batch` rows, then verifies the chain 3 times.
import pg from 'pg';
import { loadavg } from 'node:os';
import { ensureEmbedded, embeddedUrl, stopEmbedded } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { appendAudit } from '../../src/audit/chain.ts';
import { verifyChain } from '../../src/audit/verify.ts';
import { entries } from './helpers.ts';

const N = Number(process.argv[2] ?? 500_000);
const BATCH = Number(process.argv[3] ?? 10_000);
const home = process.env.BENCH_HOME ?? '/tmp/cutover-audit-bench';
const port = Number(process.env.BENCH_PORT ?? 54371);
const mb = () => Math.round(process.memoryUsage().rss / 1e6);

process.env.CUTOVER_QUIET = '1';
const { started } = await ensureEmbedded({ home, port });
try {
  const admin = new pg.Client(embeddedUrl(port, 'postgres'));
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS audit_bench WITH (FORCE)');
  await admin.query('CREATE DATABASE audit_bench');
  await admin.end();
  const url = embeddedUrl(port, 'audit_bench');
  await migrate(url);

  const c = new pg.Client(url);
  await c.connect();
  let t = performance.now();
  let made = 0;
  const cpuA = process.cpuUsage();
  for (let first = 1; first <= N; first += BATCH) {
    const rows = entries(Math.min(BATCH, N - first + 1), first, first % 2 ? 'CRIS' : 'CRIMINT');
    const t0 = performance.now();
    await c.query('BEGIN');
    await appendAudit(c, rows);
    await c.query('COMMIT');
    made += performance.now() - t0;
  }
  const appendS = (performance.now() - t) / 1000;
  const cpuAppend = process.cpuUsage(cpuA);
  console.log(`append: ${N} rows in ${appendS.toFixed(2)} s (${Math.round(N / (made / 1000))} rows/s inside appendAudit+commit, batches of ${BATCH}; node cpu ${Math.round((cpuAppend.user + cpuAppend.system) / 1000)} ms incl. making the rows); rss ${mb()} MB; load ${loadavg()[0]!.toFixed(1)}`);

  // re-append the last batch: all skipped
  t = performance.now();
  await c.query('BEGIN');
  const again = await appendAudit(c, entries(BATCH, N - BATCH + 1, (N - BATCH + 1) % 2 ? 'CRIS' : 'CRIMINT'));
  await c.query('COMMIT');
  console.log(`re-append of ${BATCH}: ${JSON.stringify(again)} in ${Math.round(performance.now() - t)} ms`);
  const { rows: [size] } = await c.query(`SELECT pg_size_pretty(pg_total_relation_size('audit.event')) AS s`);
  console.log(`audit.event size: ${size.s}`);

  for (let i = 0; i < 3; i++) {
    const before = mb();
    const cpu0 = process.cpuUsage();
    const v = await verifyChain(url);
    const cpu = process.cpuUsage(cpu0);
    console.log(`verify #${i + 1}: ok=${v.ok} rows=${v.rows} in ${v.ms} ms → ${Math.round(v.rows / (v.ms / 1000))} rows/s (node cpu ${Math.round((cpu.user + cpu.system) / 1000)} ms); rss ${before} → ${mb()} MB; load ${loadavg()[0]!.toFixed(1)}`);
  }
  await c.end();
  const admin2 = new pg.Client(embeddedUrl(port, 'postgres'));
  await admin2.connect();
  await admin2.query('DROP DATABASE IF EXISTS audit_bench WITH (FORCE)');
  await admin2.end();
} finally {
  if (started) await stopEmbedded({ home, port });
}
