// Throughput of auditReconcile and auditCompleteness (not a vitest suite):
//   npx tsx test/audit/bench-reconcile.ts [entries=200000]
// Own embedded PostgreSQL (stopped at the end): a CRIS stand-in dbo.audit_trail filled by SQL,
// the target loaded through the CRIS audit mapping and appendAudit, then both reports timed.
import pg from 'pg';
import { ensureEmbedded, embeddedUrl, stopEmbedded } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { crisTable, postgresDdl } from '../../src/sources/cris-tables.ts';
import { openCrisSource } from '../../src/sources/index.ts';
import { appendAudit } from '../../src/audit/chain.ts';
import { expectedOf } from '../../src/audit/legacy-pass.ts';
import { auditReconcile } from '../../src/audit/reconcile.ts';
import { auditCompleteness } from '../../src/audit/completeness.ts';
import type { AuditIn } from '../../src/pipeline/types.ts';

const N = Number(process.argv[2] ?? 200_000);
const home = process.env.BENCH_HOME ?? '/tmp/cutover-audit-bench';
const port = Number(process.env.BENCH_PORT ?? 54371);
const mb = () => Math.round(process.memoryUsage().rss / 1e6);
process.env.CUTOVER_QUIET = '1';
const { started } = await ensureEmbedded({ home, port });
try {
  const admin = new pg.Client(embeddedUrl(port, 'postgres'));
  await admin.connect();
  for (const db of ['audit_rb_legacy', 'audit_rb_target']) {
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${db}`);
  }
  await admin.end();
  const legacyUrl = embeddedUrl(port, 'audit_rb_legacy');
  const targetUrl = embeddedUrl(port, 'audit_rb_target');
  const l = new pg.Client(legacyUrl);
  await l.connect();
  await l.query('CREATE SCHEMA dbo');
  await l.query(postgresDdl(crisTable('AUDIT_TRAIL')));
  await l.query(`
    INSERT INTO dbo.audit_trail
    SELECT i, (ARRAY['CRIME_REPORT','NOMINAL','ADDRESS','VEHICLE','SEARCH'])[1 + i % 5],
           CASE WHEN i % 5 = 4 THEN NULL ELSE (100000 + i % 7919)::text END,
           CASE WHEN i % 5 = 4 THEN 'SEARCH' ELSE (ARRAY['CREATE','UPDATE','VIEW','PRINT','DISCLOSE','LINK','DELETE','VIEW'])[1 + i % 8] END,
           'U' || (i % 997), timestamp '2015-01-01' + i * interval '7 minutes 13 seconds',
           CASE WHEN i % 11 = 0 THEN NULL ELSE 'Op ' || (i % 31) END,
           CASE WHEN i % 8 IN (3, 4) THEN 'CPS London' END,
           CASE WHEN i % 5 = 4 THEN '{"capability": "S02", "params": {"surname": "SMITH"}}'
                WHEN i % 8 = 1 THEN '{"surname": ["A", "B"]}' END
      FROM generate_series(1, $1) i`, [N]);
  await l.end();
  await migrate(targetUrl);

  const cris = openCrisSource(legacyUrl);
  const t = new pg.Client(targetUrl);
  await t.connect();
  let t0 = performance.now();
  let batch: AuditIn[] = [];
  const flush = async () => {
    await t.query('BEGIN');
    await appendAudit(t, batch);
    await t.query('COMMIT');
    batch = [];
  };
  for await (const rec of cris.read('AUDIT_TRAIL')) {
    const e = expectedOf('CRIS', rec);
    if (e.row) batch.push({ ...e.row, operation: e.row.operation as AuditIn['operation'], entity_type: e.row.entity_type as AuditIn['entity_type'], origin: 'CRIS' });
    if (batch.length >= 10_000) await flush();
  }
  if (batch.length) await flush();
  console.log(`load (read + map + append): ${N} in ${Math.round(performance.now() - t0)} ms`);
  await t.end();

  t0 = performance.now();
  const r = await auditReconcile({ crisSource: cris, targetUrl });
  console.log(`reconcile: ok=${r.ok} ${N} entries in ${r.ms} ms → ${Math.round(N / (r.ms / 1000))} entries/s; cells ${r.perSystemActionMonth.length}; rss ${mb()} MB`);
  const c = await auditCompleteness({ targetUrl, crisSource: cris });
  console.log(`completeness: ok=${c.ok} in ${c.ms} ms → ${Math.round(N / (c.ms / 1000))} entries/s; rss ${mb()} MB`);
  await cris.close();
} finally {
  if (started) await stopEmbedded({ home, port });
}
