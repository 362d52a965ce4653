// Benchmark: erase one person from a migrated database and time the residual scan over it.
//
//   npx tsx test/privacy/bench-scan.ts <target-url> [--plant] [--concurrency n] [--dates p]
//
// Picks the person with the most links who has a PNC ID and a full DOB. With --plant, copies
// their PNC ID (2-digit-year form) into one other event's narrative, and their surname + DOB
// into another, before erasing: the scan must then report exactly those two rows. With
// --dates p, first appends a date (not the DOB) to a fraction p of all narratives, to measure
// the cost of date-heavy free text (every such row leaves the database for the DOB check).
// DESTRUCTIVE: it erases a real person from that database.
import pg from 'pg';
import { erase, residualScan } from '../../src/privacy/index.ts';

const url = process.argv[2];
if (!url) {
  console.error('usage: bench-scan.ts <target-url> [--plant] [--concurrency n] [--dates p]');
  process.exit(2);
}
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
const plant = process.argv.includes('--plant');
const concurrency = Number(arg('--concurrency') ?? 4);
const dates = Number(arg('--dates') ?? 0);

const c = new pg.Client(url);
await c.connect();
const sizes = await c.query(`
  SELECT schemaname || '.' || relname AS table, n_live_tup AS rows, pg_size_pretty(pg_total_relation_size(relid)) AS size
    FROM pg_stat_user_tables WHERE schemaname IN ('record', 'migration', 'audit') ORDER BY pg_total_relation_size(relid) DESC`);
console.table(sizes.rows);
const narr = await c.query(`SELECT count(*)::int AS events, avg(length(narrative))::int AS avg_chars, max(length(narrative)) AS max_chars,
                                   round(sum(length(narrative)) / 1e6, 1) AS total_mchars FROM record.event`);
console.table(narr.rows);
if (dates > 0) {
  const t0 = performance.now();
  const r = await c.query(`UPDATE record.event SET narrative = narrative || ' Seen again on 0' || (1 + (abs(hashtext(id::text)) % 9)) || '/11/2019.' WHERE random() < $1`, [dates]);
  console.log(`appended a date to ${r.rowCount} narratives in ${Math.round(performance.now() - t0)} ms`);
  await c.query('VACUUM ANALYZE record.event');
}
const { rows: [p] } = await c.query(`
  SELECT p.id::text, p.surname, p.pnc_id, to_char(p.date_of_birth, 'DD/MM/YYYY') AS dob FROM record.person p
   WHERE p.pnc_id IS NOT NULL AND p.dob_precision = 'day'
   ORDER BY (SELECT count(*) FROM record.event_person ep WHERE ep.person_id = p.id) DESC, p.id LIMIT 1`);
if (!p) throw new Error('no person with a PNC ID and a full DOB');
let planted: string[] = [];
if (plant) {
  const { rows } = await c.query(`SELECT id::text FROM record.event e WHERE NOT EXISTS (SELECT 1 FROM record.event_person ep WHERE ep.event_id = e.id AND ep.person_id = $1) ORDER BY id LIMIT 2`, [p.id]);
  const short = p.pnc_id.slice(2).replace(/\/0+/, '/');
  await c.query(`UPDATE record.event SET narrative = coalesce(narrative, '') || $2 WHERE id = $1`, [rows[0].id, ` Gave PNC ${short}.`]);
  await c.query(`UPDATE record.event SET narrative = coalesce(narrative, '') || $2 WHERE id = $1`, [rows[1].id, ` Subject ${p.surname.toUpperCase()} born ${p.dob} seen.`]);
  planted = rows.map((r) => r.id);
}
await c.end();

console.log(`person ${p.id}`);
let t0 = performance.now();
const er = await erase({ url, person: p.id, actor: 'BENCH', justification: 'benchmark erasure' });
console.log(`erase: ${Math.round(performance.now() - t0)} ms`, JSON.stringify(er.removed));
t0 = performance.now();
const scan = await residualScan({ url, person: p.id, concurrency });
const ms = Math.round(performance.now() - t0);
console.table(scan.coverage.perTable.filter((t) => t.ms > 50 || t.rowsExamined > 0).map((t) => ({ table: t.table, columns: t.columns.length, rowsExamined: t.rowsExamined, hits: t.hits, ms: t.ms })));
console.log(JSON.stringify({
  scanMs: ms, concurrency, ok: scan.ok, hits: scan.hits, retainedInAuditLog: scan.retainedCount,
  tables: scan.coverage.tables, columns: scan.coverage.columns, rowsExamined: scan.coverage.rowsExamined, planted,
}, null, 2));
