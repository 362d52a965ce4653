// The delta cutover's part of `npm run bench` (called from bench/run.ts; alone with
// CUTOVER_BENCH_ONLY=delta). On an extract of its own: the full run and the full reconcile, then
// 1% of the legacy records changed (`cutover generate --changes 0.01`, CUTOVER_BENCH_DELTA_FRACTION),
// then `cutover run --delta` and `cutover reconcile --delta` against the changed extract. Printed:
// the ratio (delta apply + delta verification) / (full run + full reconcile), each a `cutover`
// process timed end to end (target ≤ 0.2, universal change detection: the CRIS stand-in has no
// Change Tracking), and the delta's peak RSS (target < 400 MB).
import path from 'node:path';
import { rmSync } from 'node:fs';
import { embeddedUrl } from '../src/db/embedded.ts';
import { recreateDatabase } from '../src/db/pool.ts';

interface Proc { code: number | null; ms: number; rssMb: number; stdout: string; stderr: string }
type Run = (args: string[], env: Record<string, string>) => Promise<Proc>;

const FRACTION = Number(process.env.CUTOVER_BENCH_DELTA_FRACTION ?? 0.01);
const fmt = (n: number) => n.toLocaleString('en-GB');
const s = (p: Proc) => (p.ms / 1000).toFixed(1);

export async function benchDelta(o: { port: number; home: string; scale: number; cutover: Run }): Promise<Record<string, unknown>> {
  const must = async (args: string[], env: Record<string, string>, okCodes = [0]) => {
    const p = await o.cutover(args, env);
    if (!okCodes.includes(p.code ?? -1)) throw new Error(`cutover ${args.join(' ')} exited ${p.code}:\n${p.stderr.slice(-2000)}`);
    return p;
  };
  const target = embeddedUrl(o.port, `bench_delta_target_${o.scale}`);
  const cris = embeddedUrl(o.port, `bench_delta_cris_${o.scale}`);
  const old = path.join(o.home, `delta_crimint_${o.scale}`);
  const newer = path.join(o.home, `delta_crimint_${o.scale}_changed`);
  await recreateDatabase(target);
  await recreateDatabase(cris);
  rmSync(newer, { recursive: true, force: true });
  const env = { CUTOVER_DATABASE_URL: target, CUTOVER_CRIS_URL: cris, CUTOVER_CRIMINT_DIR: old, CUTOVER_RESULTS_DIR: path.join(o.home, `delta_results_${o.scale}`) };
  console.log(`\n== delta cutover at scale ${fmt(o.scale)}, ${FRACTION * 100}% of the records changed ==`);
  await must(['generate', '--scale', String(o.scale), '--seed', '1', '--json'], env);
  const run = await must(['run', '--json'], env);
  const rec = await must(['reconcile', '--json'], env, [0, 1]);
  const full = run.ms + rec.ms;
  console.log(`full       run ${s(run)} s (peak RSS ${run.rssMb} MB) + reconcile ${s(rec)} s (${JSON.parse(rec.stdout).ok ? 'clean' : 'DIFFERENCES'}, peak RSS ${rec.rssMb} MB) = ${(full / 1000).toFixed(1)} s`);
  const gen = await must(['generate', '--changes', String(FRACTION), '--seed', '2', '--crimint-out', newer, '--json'], env);
  const changed = { ...env, CUTOVER_CRIMINT_DIR: newer };
  const delta = await must(['run', '--delta', '--json'], changed);
  const deltas = JSON.parse(delta.stdout).deltas as Array<{ changes: Record<string, number>; removed: number; steps: Array<{ step: string; seconds: number }> }>;
  const steps = deltas.flatMap((d) => d.steps).sort((a, b) => b.seconds - a.seconds);
  const byKind: Record<string, number> = {};
  for (const d of deltas) for (const [k, v] of Object.entries(d.changes)) byKind[k] = (byKind[k] ?? 0) + v;
  const ver = await must(['reconcile', '--delta', '--json'], changed, [0, 1]);
  const vj = JSON.parse(ver.stdout) as { ok: boolean; keys: number; carried: boolean };
  const window = delta.ms + ver.ms;
  const ratio = window / full;
  const rss = Math.max(delta.rssMb, ver.rssMb);
  console.log(`changes    ${Object.entries(byKind).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')} (generated in ${s(gen)} s)`);
  console.log(`delta      run --delta ${s(delta)} s (peak RSS ${delta.rssMb} MB) + reconcile --delta ${s(ver)} s (${vj.ok ? 'clean' : 'DIFFERENCES'}, ${fmt(vj.keys)} keys, peak RSS ${ver.rssMb} MB) = ${(window / 1000).toFixed(1)} s`);
  console.log(`           slowest delta steps: ${steps.slice(0, 4).map((x) => `${x.step} ${x.seconds.toFixed(1)} s`).join(', ')}`);
  console.log(`           → ratio to the full run + reconcile ${ratio.toFixed(3)} (target ≤ 0.2); peak RSS of the delta ${rss} MB (target < 400)`);
  return {
    scale: o.scale, fraction: FRACTION, changes: byKind, deltaSteps: steps, ratio, peakRssMb: rss,
    full: { runSeconds: run.ms / 1000, reconcileSeconds: rec.ms / 1000, runPeakRssMb: run.rssMb, reconcilePeakRssMb: rec.rssMb },
    delta: { runSeconds: delta.ms / 1000, verifySeconds: ver.ms / 1000, runPeakRssMb: delta.rssMb, verifyPeakRssMb: ver.rssMb, verifyOk: vj.ok, keys: vj.keys, carried: vj.carried },
  };
}
