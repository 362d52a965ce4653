// Reconcile throughput against its ceiling (not a vitest suite):
//   npx tsx test/reconcile/bench-reconcile.ts '<connections JSON>' [plain|reconcile|both] [concurrency] [workers]
// connections: {"databaseUrl","crisUrl","crimintDir"} of a migrated target (see fixture.ts).
// Prints seconds, records/s and peak RSS; run each mode in its own process for a clean RSS.
import { reconcile, plainRead, formatReconcile } from '../../src/reconcile/index.ts';

const c = JSON.parse(process.argv[2]!);
const mode = process.argv[3] ?? 'both';
const concurrency = process.argv[4] ? Number(process.argv[4]) : undefined;
const workers = process.argv[5] ? Number(process.argv[5]) : undefined;
let peak = 0;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
try {
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  if (mode === 'plain' || mode === 'both') {
    const c0 = cpu();
    const p = await plainRead({ ...c, concurrency });
    console.log(`plainRead: ${p.seconds.toFixed(1)} s (cpu ${(cpu() - c0).toFixed(1)} s), ${p.sourceRecords} source records, ${p.targetRows} target rows, ${Math.round(p.sourceRecords / p.seconds)} records/s, peak RSS ${mb(peak)}`);
    for (const s of p.steps) console.log(`  ${s.step.padEnd(28)} ${s.seconds.toFixed(1)} s`);
  }
  if (mode === 'reconcile' || mode === 'both') {
    peak = 0;
    const c0 = cpu();
    const r = await reconcile({ ...c, concurrency, workers });
    console.log(`reconcile: ${r.seconds.toFixed(1)} s (cpu ${(cpu() - c0).toFixed(1)} s), ${r.summary.sourceRecords} source records, ${Math.round(r.summary.sourceRecords / r.seconds)} records/s, ok ${r.ok}, peak RSS ${mb(peak)}`);
    for (const e of r.entities) console.log(`  ${e.step.padEnd(28)} ${e.seconds.toFixed(1)} s`);
    if (!r.ok) console.log(formatReconcile(r, 30));
  }
} finally {
  clearInterval(timer);
}
