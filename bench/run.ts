// npm run bench: throughput and memory on the embedded default, at --scale 10000 and 100000.
// Each phase runs as its own `cutover` process, which reports its peak RSS. Ratios are taken
// against ceilings measured in the same run on the same database:
//   migrate   — raw COPY of the same final target rows into empty copies of the same tables
//               (columns, generated columns, indexes, checks and foreign keys);
//   reconcile — a plain read of both sides (same source rows, same target rows, no comparison),
//               each in a process of its own started the same way (bench/plain-read.ts), the two
//               run alternately CUTOVER_BENCH_ROUNDS times (3) and compared by median.
//   cutover run cris — pgloader (bench/pgloader.ts) copying the same CRIS tables into another
//               database on the same server, when pgloader is on the PATH; each into a fresh
//               database, alternately CUTOVER_BENCH_LOAD_ROUNDS times (1), compared by median.
//               Beside the wall clock, the CPU seconds of each tool and of the server (bench/cpu.ts),
//               and of the server writing the floor: over the cores, a time no loader of this
//               schema can beat on this machine, however it schedules its work.
// CUTOVER_BENCH_ONLY=load runs only generate, the pgloader comparison, `cutover run` and the
// raw-COPY ceiling, at every scale (e.g. CUTOVER_BENCH_ONLY=load CUTOVER_BENCH_SCALES=20000).
// Distributed runs (bench/distributed.ts): one process against `run --distributed` with 1 and 2
// `cutover worker` processes, and the queue's cost per empty job, at CUTOVER_BENCH_DIST_SCALE
// (10,000); CUTOVER_BENCH_ONLY=distributed runs only that.
// Delta cutover (bench/delta.ts): full run + reconcile against `run --delta` + `reconcile --delta`
// with 1% of the records changed, at the largest scale; CUTOVER_BENCH_ONLY=delta runs only that,
// at every scale of CUTOVER_BENCH_SCALES.
// CUTOVER_BENCH_ONLY=parity runs only generate, `cutover run` and `cutover parity`, at every scale.
// CUTOVER_BENCH_LARGE=1 adds scale 200,000 (after 10,000 and 100,000) and runs parity at every
// scale, then compares the peak RSS of migrate, reconcile and parity at the two largest scales
// (flat memory: within 10%). Parity whose oracle does not fit the CLI's 256 MB heap is run again
// with CUTOVER_HEAP_MB=1024, and says so.
// Results are printed and written to reports/bench.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import pg from 'pg';
import { ensureEmbedded, embeddedPaths, embeddedUrl, stopEmbedded } from '../src/db/embedded.ts';
import { recreateDatabase, withClient } from '../src/db/pool.ts';
import type { PlainReadResult } from '../src/reconcile/index.ts';
import { pgloaderVersion, runPgloader, type PgloaderResult } from './pgloader.ts';
import { benchDistributed } from './distributed.ts';
import { benchDelta } from './delta.ts';
import { measureCpu, serverCpuSeconds } from './cpu.ts';

const HOME = path.resolve(process.env.CUTOVER_BENCH_HOME ?? '.cutover/bench');
const PORT = Number(process.env.CUTOVER_BENCH_PORT ?? 54369);
/** The bench server's data folder: its postmaster.pid names the process whose CPU time is read. */
const DATA_DIR = embeddedPaths({ home: HOME, port: PORT }).dataDir;
const LARGE = process.env.CUTOVER_BENCH_LARGE === '1';
const SCALES = (process.env.CUTOVER_BENCH_SCALES ?? (LARGE ? '10000,100000,200000' : '10000,100000')).split(',').map(Number);
/** Reconcile and its plain read, run alternately this many times each (medians taken). */
const ROUNDS = Math.max(1, Number(process.env.CUTOVER_BENCH_ROUNDS ?? 3));
/** pgloader and `cutover run cris`, run alternately this many times each (medians taken). */
const LOAD_ROUNDS = Math.max(1, Number(process.env.CUTOVER_BENCH_LOAD_ROUNDS ?? 1));
/** `load`: only generate, the pgloader comparison, the migration and its ceiling, at every scale. */
const ONLY = process.env.CUTOVER_BENCH_ONLY ?? '';
const ONLY_CHOICES = ['load', 'startup', 'distributed', 'delta', 'parity'];
if (ONLY && !ONLY_CHOICES.includes(ONLY)) throw new Error(`CUTOVER_BENCH_ONLY=${ONLY}: the choices are ${ONLY_CHOICES.map((c) => `'${c}'`).join(', ')}`);
/** Scale of the distributed-run comparison (its own extract: three full runs of it). */
const DIST_SCALE = Number(process.env.CUTOVER_BENCH_DIST_SCALE ?? 10000);
const BIN = path.resolve('bin/cutover.js');
const PLAIN = path.resolve('bench/plain-read.ts');
/** The CLI's own Node flags (bin/cutover.js), given to every process the bench starts. */
const NODE_FLAGS = ['--max-old-space-size=256'];

interface Proc { code: number | null; ms: number; rssMb: number; stdout: string; stderr: string }

function spawnNode(argv: string[], env: Record<string, string>): Promise<Proc> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...NODE_FLAGS, ...argv], { env: { ...process.env, ...env, CUTOVER_PRINT_MAXRSS: '1', CI: '1', CUTOVER_QUIET: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      const rss = Number(/cutover-maxrss-mb=([\d.]+)/.exec(stderr)?.[1] ?? NaN);
      resolve({ code, ms: performance.now() - t0, rssMb: rss, stdout, stderr });
    });
  });
}

const cutover = (args: string[], env: Record<string, string>) => spawnNode([BIN, ...args], env);
/** The plain read of both sides, started as `cutover reconcile` is (bench/plain-read.ts). */
const plainReadProcess = (env: Record<string, string>) => spawnNode(['--import', 'tsx', PLAIN], env);

function must(p: Proc, what: string, okCodes = [0]): Proc {
  if (!okCodes.includes(p.code ?? -1)) throw new Error(`${what} exited ${p.code}:\n${p.stderr.slice(-2000)}`);
  return p;
}

const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (n: number) => n.toLocaleString('en-GB');
/** A ratio against its target, judged unrounded: 0.795 is not "0.80 (target ≥ 0.8)". */
const against = (ratio: number, target: number) => `${ratio.toFixed(3)} (target ≥ ${target}: ${ratio >= target ? 'met' : 'NOT met'})`;

/** The target tables a run writes, parents first. */
const TARGET_TABLES = ['record.location', 'record.object', 'record.person', 'record.person_name', 'record.event', 'record.event_person', 'record.event_location', 'record.event_object', 'record.person_location', 'record.person_object', 'audit.event'];

interface Cpu { clientCpu: number; serverCpu: number }
interface CopyFloor { rows: number; ms: number; tables: Record<string, { rows: number; ms: number }>; buildMs?: number; vacuumMs?: number; serverCpu: number; serverCpuParts?: Record<'copy' | 'indexes' | 'foreignKeys' | 'vacuum', number> }

/**
 * Raw COPY of a target's final rows (COPYed out to files, server side) into empty copies of its
 * tables, timed. `ceiling`: the copies have every index, check and foreign key, maintained row by
 * row, one COPY after another (the migrate ceiling, ms = the COPYs). `floor`: the copies have only
 * their primary keys, unique indexes and checks; the other indexes are built after the data on
 * two connections, then the foreign keys added, then VACUUM (ANALYZE) on two: the fastest write
 * of those rows any loader of this schema can make, finished as `cutover run` finishes (ms =
 * COPYs + builds + keys + vacuum). `serverCpu`: the server's CPU seconds over the same timed parts.
 */
async function copyInto(url: string, dir: string, tables: readonly string[], mode: 'ceiling' | 'floor'): Promise<CopyFloor> {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  const secondary: string[] = [];
  const foreignKeys: string[] = [];
  const result = await withClient(url, async (c) => {
    await c.query('DROP SCHEMA IF EXISTS ceiling CASCADE; CREATE SCHEMA ceiling');
    const out: Record<string, { rows: number; ms: number }> = {};
    let rows = 0;
    let ms = 0;
    let serverCpu = 0;
    for (const t of tables) {
      const name = t.replace('.', '_');
      const file = path.join(dir, `${name}.copy`);
      // the columns a writer supplies: not generated, not identity (audit.event.seq)
      const [schema, table] = t.split('.');
      const { rows: colRows } = await c.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND is_generated = 'NEVER' AND is_identity = 'NO' ORDER BY ordinal_position`, [schema, table]);
      const cols = colRows.map((r) => r.column_name).join(', ');
      await c.query(`COPY (SELECT ${cols} FROM ${t}) TO '${file}'`);
      await c.query(`CREATE TABLE ceiling.${name} (LIKE ${t} INCLUDING DEFAULTS INCLUDING CONSTRAINTS ${mode === 'ceiling' ? 'INCLUDING INDEXES ' : ''}INCLUDING GENERATED INCLUDING IDENTITY)`);
      if (mode === 'floor') {
        // keys now (the foreign keys below need them), every other index after the data
        const { rows: idx } = await c.query<{ def: string; key: boolean }>(`SELECT pg_get_indexdef(indexrelid) AS def, indisprimary OR indisunique AS key FROM pg_index WHERE indrelid = $1::regclass ORDER BY indexrelid`, [t]);
        for (const [i, x] of idx.entries()) {
          const def = x.def.replace(/^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ /, `CREATE $1INDEX ${name}_${i} ON ceiling.${name} `);
          if (x.key) await c.query(def);
          else secondary.push(def);
        }
      }
      // LIKE leaves foreign keys behind; the real tables have theirs, so the copies get the same
      // ones, pointing at the copies (loaded first: `tables` is in dependency order): checked on
      // every row for the ceiling, added after the data for the floor (as a first load does)
      const { rows: fks } = await c.query(`SELECT conname, pg_get_constraintdef(oid) AS def, confrelid::regclass::text AS ref FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname`, [t]);
      for (const fk of fks) {
        const ref = `ceiling.${fk.ref.replace('.', '_')}`;
        const def = fk.def.replace(`REFERENCES ${fk.ref}(`, `REFERENCES ${ref}(`);
        if (def === fk.def) throw new Error(`cannot re-point foreign key ${fk.conname} (${fk.def}) at the ceiling copy`);
        const add = `ALTER TABLE ceiling.${name} ADD CONSTRAINT ${fk.conname} ${def}`;
        if (mode === 'floor') foreignKeys.push(add);
        else await c.query(add);
      }
      const cpu0 = serverCpuSeconds(DATA_DIR);
      const t0 = performance.now();
      const r = await c.query(`COPY ceiling.${name} (${cols}) FROM '${file}'`);
      const dt = performance.now() - t0;
      serverCpu += serverCpuSeconds(DATA_DIR) - cpu0;
      out[t] = { rows: r.rowCount ?? 0, ms: dt };
      rows += r.rowCount ?? 0;
      ms += dt;
    }
    return { rows, ms, tables: out, serverCpu };
  });
  let res: CopyFloor = result;
  if (mode === 'floor') {
    // two connections, as `cutover run` builds its deferred indexes (src/load/indexes.ts)
    const lanes = async (statements: string[], setup: string) => {
      const queue = [...statements];
      const t0 = performance.now();
      await Promise.all([0, 1].map(() => withClient(url, async (c) => {
        await c.query(setup);
        for (let s = queue.shift(); s; s = queue.shift()) await c.query(s);
      })));
      return performance.now() - t0;
    };
    const build = await measureCpu(DATA_DIR, () => lanes(secondary, `SET maintenance_work_mem = '256MB'; SET max_parallel_maintenance_workers = 1`));
    const keys = await measureCpu(DATA_DIR, () => lanes(foreignKeys, 'SELECT 1'));
    const vacuum = await measureCpu(DATA_DIR, () => lanes(tables.map((t) => `VACUUM (ANALYZE) ceiling.${t.replace('.', '_')}`), 'SELECT 1'));
    const buildMs = build.value + keys.value;
    const vacuumMs = vacuum.value;
    const cpu = { copy: result.serverCpu, indexes: build.serverCpu, foreignKeys: keys.serverCpu, vacuum: vacuum.serverCpu };
    res = { ...result, ms: result.ms + buildMs + vacuumMs, buildMs, vacuumMs, serverCpu: cpu.copy + cpu.indexes + cpu.foreignKeys + cpu.vacuum, serverCpuParts: cpu };
  }
  await withClient(url, (c) => c.query('DROP SCHEMA ceiling CASCADE'));
  rmSync(dir, { recursive: true, force: true });
  return res;
}

/**
 * Run `fn` with the server's autovacuum off (and no worker left running), then on again. The
 * floor is the work this schema needs, and its server CPU is read for the whole server: a worker
 * analysing pgloader's fresh tables meanwhile would be counted as the floor's.
 */
async function withoutAutovacuum<T>(adminUrl: string, fn: () => Promise<T>): Promise<T> {
  try {
    await withClient(adminUrl, async (c) => {
      await c.query(`ALTER SYSTEM SET autovacuum = off`);
      await c.query(`SELECT pg_reload_conf()`);
      for (let i = 0; i < 600; i++) {
        const { rows: [{ n }] } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`);
        if (n === 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('autovacuum workers still running 60 s after autovacuum was turned off');
    });
    return await fn();
  } finally {
    // on again however it ended: the setting outlives the bench in postgresql.auto.conf
    await withClient(adminUrl, async (c) => {
      await c.query(`ALTER SYSTEM RESET autovacuum`);
      await c.query(`SELECT pg_reload_conf()`);
    });
  }
}

/**
 * `cutover run cris` against pgloader on the same CRIS tables: each into a fresh database of the
 * same server (a first load, as pgloader's is), alternately, timed from process start to exit.
 */
async function againstPgloader(port: number, scale: number, env: Record<string, string>): Promise<Record<string, unknown>> {
  const version = pgloaderVersion();
  if (!version) {
    console.log('pgloader   skipped: not on the PATH (apt-get install pgloader)');
    return { skipped: 'pgloader is not on the PATH' };
  }
  // CPU seconds beside the wall clock: the tool's own process (its children waited for) and the server
  const peers: Array<PgloaderResult & Cpu> = [];
  const ours: Array<{ read: number; seconds: number; rowsPerSecond: number; peakRssMb: number; pipelineSeconds: number } & Cpu> = [];
  for (let i = 0; i < LOAD_ROUNDS; i++) {
    const peer = await measureCpu(DATA_DIR, () => runPgloader(env.CUTOVER_CRIS_URL!, embeddedUrl(port, `bench_pgloader_${scale}`), version));
    peers.push({ ...peer.value, clientCpu: peer.clientCpu, serverCpu: peer.serverCpu });
    const target = embeddedUrl(port, `bench_cris_only_${scale}`);
    await recreateDatabase(target);
    const measured = await measureCpu(DATA_DIR, () => cutover(['run', 'cris', '--json'], { ...env, CUTOVER_DATABASE_URL: target }));
    const run = must(measured.value, 'run cris');
    const [cris] = JSON.parse(run.stdout).runs as Array<{ seconds: number; steps: Array<{ read: number }> }>;
    const read = cris!.steps.reduce((a, s) => a + s.read, 0);
    ours.push({ read, seconds: run.ms / 1000, rowsPerSecond: rate(read, run.ms), peakRssMb: run.rssMb, pipelineSeconds: cris!.seconds, clientCpu: measured.clientCpu, serverCpu: measured.serverCpu });
  }
  // What writing this schema costs by itself: the rows `run cris` wrote (target rows, lineage,
  // the audit chain), COPYed the fastest way the schema allows, against pgloader's whole copy
  const floor = await withoutAutovacuum(embeddedUrl(port, 'postgres'), () => copyInto(embeddedUrl(port, `bench_cris_only_${scale}`), path.join('/tmp', `cutover-floor-${process.pid}`), [...TARGET_TABLES, 'migration.lineage'], 'floor'));
  const peerSeconds = median(peers.map((p) => p.seconds));
  const floorRatio = peerSeconds / (floor.ms / 1000);
  const peerRate = median(peers.map((p) => p.rowsPerSecond));
  const ourRate = median(ours.map((o) => o.rowsPerSecond));
  const ratio = ourRate / peerRate;
  console.log(`pgloader   ${version}: ${fmt(peers[0]!.rows)} CRIS rows in ${peers.map((p) => p.seconds.toFixed(1)).join(', ')} s = ${fmt(peerRate)} rows/s${LOAD_ROUNDS > 1 ? ' (median)' : ''}`);
  console.log(`run cris   ${fmt(ours[0]!.read)} CRIS records in ${ours.map((o) => o.seconds.toFixed(1)).join(', ')} s = ${fmt(ourRate)} records/s end to end (pipeline ${ours.map((o) => o.pipelineSeconds.toFixed(1)).join(', ')} s), peak RSS ${Math.max(...ours.map((o) => o.peakRssMb))} MB → ratio to pgloader ${against(ratio, 1.0)}`);
  console.log(`floor      the ${fmt(floor.rows)} rows run cris wrote (target rows, lineage, audit chain), COPYed into empty copies with only their keys and checks, then the other indexes built and the foreign keys added on 2 connections, and VACUUM (ANALYZE): ${(floor.ms / 1000).toFixed(1)} s (COPY ${((floor.ms - floor.buildMs! - floor.vacuumMs!) / 1000).toFixed(1)}, indexes and keys ${(floor.buildMs! / 1000).toFixed(1)}, vacuum ${(floor.vacuumMs! / 1000).toFixed(1)}) → pgloader's time / this floor ${floorRatio.toFixed(2)}: the most any loader writing this schema could reach on this ratio here`);
  // On N cores, work that needs C CPU-seconds cannot take under C / N seconds, however it is
  // scheduled: the server's CPU for the floor alone, over the cores, against pgloader's wall clock
  const cores = availableParallelism();
  const cpu = (x: Cpu) => `${x.clientCpu.toFixed(1)} + server ${x.serverCpu.toFixed(1)}`;
  const floorWallBound = floor.serverCpu / cores;
  const cpuBound = peerSeconds / floorWallBound;
  // the rows and the indexes search needs, without the foreign keys and the vacuum
  const bareCpu = floor.serverCpuParts!.copy + floor.serverCpuParts!.indexes;
  const bareBound = peerSeconds / (bareCpu / cores);
  console.log(`cpu        CPU-seconds (the tool's process + the server): pgloader ${peers.map(cpu).join(', ')}; run cris ${ours.map(cpu).join(', ')}; the floor, server ${floor.serverCpu.toFixed(1)} (${Object.entries(floor.serverCpuParts!).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}) → on ${cores} cores the floor cannot take under ${floorWallBound.toFixed(1)} s however it is scheduled, and pgloader's ${peerSeconds.toFixed(1)} s / that = ${cpuBound.toFixed(2)}: the most any loader writing this schema could reach here, even with every core busy (the rows and indexes alone, no foreign keys or vacuum: ${bareCpu.toFixed(1)} CPU-s → ${bareBound.toFixed(2)})`);
  return { pgloader: peers, cutover: ours, pgloaderRowsPerSecond: peerRate, cutoverRecordsPerSecond: ourRate, ratio, floor: { ...floor, seconds: floor.ms / 1000, ratioCeiling: floorRatio, cpuWallBoundSeconds: floorWallBound, ratioCpuBound: cpuBound, ratioCpuBoundRowsAndIndexes: bareBound } };
}

/** Start-up of the compiled CLI: `cutover --version` (target ≤ 0.3 s) and `--help` (every command loaded), medians of 7. */
async function startup(): Promise<Record<string, unknown>> {
  const times = async (args: string[]) => {
    const ms: number[] = [];
    for (let i = 0; i < 7; i++) ms.push(must(await cutover(args, {}), `cutover ${args.join(' ')}`).ms);
    return { medianSeconds: median(ms) / 1000, minSeconds: Math.min(...ms) / 1000 };
  };
  const version = await times(['--version']);
  const help = await times(['--help']);
  console.log(`startup    cutover --version ${version.medianSeconds.toFixed(2)} s (median of 7, min ${version.minSeconds.toFixed(2)}; target ≤ 0.3 s); --help, every command loaded, ${help.medianSeconds.toFixed(2)} s; load average ${loadavg()[0]!.toFixed(1)}`);
  return { version, help };
}

/**
 * The gate's own cost (issue 14: under 1 s at scale 100,000): reading the target's identity,
 * change-tracking state and audit head, loading and judging the stored results, building the
 * summary and evaluating the criteria, in process (median of 5); and `cutover gate` as a process,
 * beside `cutover --version` for the start-up every command pays.
 */
async function gateCost(target: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  const { loadTargetResults, runGate } = await import('../src/report/index.ts');
  process.env.CUTOVER_RESULTS_DIR = env.CUTOVER_RESULTS_DIR;
  const times: number[] = [];
  let go = false;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    go = runGate({ target: await loadTargetResults(target) }).gate.go;
    times.push(performance.now() - t0);
  }
  const cli = await cutover(['gate', '--json'], env);
  const start = await cutover(['--version'], env);
  const [{ n: changes }] = await withClient(target, async (c) => (await c.query(`SELECT count(*)::int AS n FROM tracking.change`)).rows);
  const ms = median(times);
  console.log(`gate       ${go ? 'GO' : 'NO-GO (the bench runs only some of the checks)'} in ${ms.toFixed(0)} ms in process (median of 5; ${fmt(changes)} change-log rows) (target < 1 s); \`cutover gate\` ${(cli.ms / 1000).toFixed(2)} s as a process, of which start-up ≈ ${(start.ms / 1000).toFixed(2)} s (\`cutover --version\`)`);
  return { go, ms, runs: times, changeLogRows: changes, processSeconds: cli.ms / 1000, startupSeconds: start.ms / 1000 };
}

/** `cutover parity` at this scale: queries per second, oracle build, peak RSS (target ≤ 400 MB), p95 per capability (target < 100 ms). */
async function parity(env: Record<string, string>): Promise<Record<string, unknown>> {
  let par = await cutover(['parity', '--json'], env);
  let heapMb: number | undefined;
  if (par.code !== 0 && /does not fit in the JavaScript heap/.test(par.stderr)) {
    // the oracle grows with the extract: say so, and measure it with the heap it asks for
    console.log(`parity     ${/cutover: (.*does not fit in the JavaScript heap[^\n]*)/.exec(par.stderr)?.[1] ?? 'the oracle does not fit in the heap'}; again with CUTOVER_HEAP_MB=1024`);
    heapMb = 1024;
    par = await cutover(['parity', '--json'], { ...env, CUTOVER_HEAP_MB: String(heapMb) });
  }
  must(par, 'parity', [0, 1]);
  const pj = JSON.parse(par.stdout);
  const queries = pj.capabilities.reduce((a: number, c: { queries: number }) => a + c.queries, 0);
  const worstP95 = Math.max(...pj.capabilities.map((c: { latencyMs: { p95: number } }) => c.latencyMs.p95));
  const result = { ok: pj.ok, heapMb, queries, seconds: par.ms / 1000, queriesPerSecond: Math.round(queries / pj.seconds), oracleBuildSeconds: pj.oracle?.buildSeconds, peakRssMb: par.rssMb, p95ByCapability: Object.fromEntries(pj.capabilities.map((c: { id: string; latencyMs: { p95: number } }) => [c.id, c.latencyMs.p95])), verdicts: Object.fromEntries(pj.capabilities.map((c: { id: string; verdict: string }) => [c.id, c.verdict])) };
  console.log(`parity     ${pj.ok ? 'all PARITY' : 'NOT all PARITY'}: ${fmt(queries)} queries, ${fmt(Math.round(queries / pj.seconds))} queries/s (both sides); oracle build ${Number(pj.oracle?.buildSeconds ?? NaN).toFixed(1)} s; peak RSS ${par.rssMb} MB${heapMb ? ` (heap ${heapMb} MB)` : ''}`);
  console.log(`           target p95 per capability (ms): ${pj.capabilities.map((c: { id: string; latencyMs: { p95: number } }) => `${c.id} ${c.latencyMs.p95.toFixed(1)}`).join(', ')}; worst ${worstP95.toFixed(1)} (target < 100)`);
  return result;
}

/** Peak RSS of migrate, reconcile and parity at the largest scale against the one before it (target: within 10%). */
function flatMemory(results: Record<string, unknown>): void {
  const [smaller, larger] = [...SCALES].sort((a, b) => a - b).slice(-2) as [number, number];
  const at = (scale: number) => results[scale] as Record<string, { peakRssMb?: number } | undefined> | undefined;
  const rows = (['migrate', 'reconcile', 'parity'] as const).map((phase) => {
    const a = at(smaller)?.[phase]?.peakRssMb;
    const b = at(larger)?.[phase]?.peakRssMb;
    const growth = a && b ? b / a - 1 : NaN;
    return { phase, [smaller]: a, [larger]: b, growth, flat: Math.abs(growth) <= 0.1 };
  });
  results.flatMemory = rows;
  console.log(`\nflat memory, peak RSS at scale ${fmt(larger)} against ${fmt(smaller)} (target within 10%): ${rows.map((r) => `${r.phase} ${r[larger] ?? '?'} / ${r[smaller] ?? '?'} MB = ${Number.isNaN(r.growth) ? '?' : `${r.growth >= 0 ? '+' : ''}${(r.growth * 100).toFixed(0)}%`}${r.flat ? '' : ' (not flat)'}`).join(', ')}`);
}

async function main() {
  const results: Record<string, unknown> = { startup: await startup() };
  if (ONLY === 'startup') return;
  const { port, started } = await ensureEmbedded({ home: HOME, port: PORT });
  try {
    await benchAll(results, port);
  } finally {
    // a server the bench started is not left running (one it found running is left as it was)
    if (started) await stopEmbedded({ home: HOME, port });
  }
}

async function benchAll(results: Record<string, unknown>, port: number) {
  const smallerReconciles: Array<{ scale: number; peakRssMb: number }> = [];
  if (ONLY === 'delta') {
    for (const scale of SCALES) results[`delta_${scale}`] = await benchDelta({ port, home: HOME, scale, cutover });
  }
  for (const scale of ONLY === 'distributed' || ONLY === 'delta' ? [] : SCALES) {
    const target = embeddedUrl(port, `bench_target_${scale}`);
    const cris = embeddedUrl(port, `bench_cris_${scale}`);
    const crimint = path.join(HOME, `crimint_${scale}`);
    await recreateDatabase(target);
    await recreateDatabase(cris);
    const env = { CUTOVER_DATABASE_URL: target, CUTOVER_CRIS_URL: cris, CUTOVER_CRIMINT_DIR: crimint, CUTOVER_RESULTS_DIR: path.join(HOME, `results_${scale}`) };
    const r: Record<string, unknown> = {};
    results[scale] = r;
    console.log(`\n== scale ${fmt(scale)} ==`);

    const gen = must(await cutover(['generate', '--scale', String(scale), '--seed', '1', '--json'], env), 'generate');
    const total = JSON.parse(gen.stdout).total as number;
    r.generate = { records: total, seconds: gen.ms / 1000, peakRssMb: gen.rssMb };
    console.log(`generate   ${fmt(total)} legacy records in ${(gen.ms / 1000).toFixed(1)} s (${fmt(rate(total, gen.ms))}/s), peak RSS ${gen.rssMb} MB`);
    console.log(`machine    load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
    r.machine = { loadAverage: loadavg(), cores: availableParallelism() };

    if (ONLY !== 'parity') r.againstPgloader = await againstPgloader(port, scale, env);

    const run = must(await cutover(['run', '--json'], env), 'run');
    const runs = JSON.parse(run.stdout).runs as Array<{ steps: Array<{ step: string; read: number; seconds: number }> }>;
    const read = runs.flatMap((x) => x.steps).reduce((a, s) => a + s.read, 0);
    const auditSteps = runs.flatMap((x) => x.steps).filter((s) => /AUDIT_TRAIL|audit\.json/.test(s.step));
    const auditRows = auditSteps.reduce((a, s) => a + s.read, 0);
    const auditSecs = auditSteps.reduce((a, s) => a + s.seconds, 0);
    const steps = runs.flatMap((x) => x.steps).map((s) => ({ step: s.step, read: s.read, seconds: s.seconds }));
    r.migrate = { sourceRecords: read, seconds: run.ms / 1000, recordsPerSecond: rate(read, run.ms), peakRssMb: run.rssMb, auditRowsPerSecond: Math.round(auditRows / auditSecs), steps };
    console.log(`migrate    ${fmt(read)} source records in ${(run.ms / 1000).toFixed(1)} s = ${fmt(rate(read, run.ms))} records/s end to end, peak RSS ${run.rssMb} MB`);
    console.log(`audit load ${fmt(auditRows)} legacy audit entries at ${fmt(Math.round(auditRows / auditSecs))}/s (hash-chained, COPY)`);
    if (ONLY === 'parity') {
      r.parity = await parity(env);
      continue;
    }
    if (scale !== Math.max(...SCALES) && !ONLY) {
      // one reconcile here too: its peak RSS beside the largest scale's shows whether memory is flat
      const rec = must(await cutover(['reconcile', '--json'], env), 'reconcile', [0, 1]);
      const j = JSON.parse(rec.stdout);
      r.reconcile = { ok: j.ok, seconds: Number(j.seconds), peakRssMb: rec.rssMb };
      smallerReconciles.push({ scale, peakRssMb: rec.rssMb });
      console.log(`reconcile  ${j.ok ? 'clean' : 'DIFFERENCES'} in ${Number(j.seconds).toFixed(1)} s, peak RSS ${rec.rssMb} MB`);
      if (LARGE) r.parity = await parity(env);
      continue;
    }

    const ceiling = await copyInto(target, path.join('/tmp', `cutover-ceiling-${process.pid}`), TARGET_TABLES, 'ceiling');
    const [{ n: targetRows }] = await withClient(target, async (c) => (await c.query(`SELECT (SELECT count(*) FROM record.location) + (SELECT count(*) FROM record.object) + (SELECT count(*) FROM record.person)
      + (SELECT count(*) FROM record.person_name) + (SELECT count(*) FROM record.event) + (SELECT count(*) FROM record.event_person) + (SELECT count(*) FROM record.event_location)
      + (SELECT count(*) FROM record.event_object) + (SELECT count(*) FROM record.person_location) + (SELECT count(*) FROM record.person_object) + (SELECT count(*) FROM audit.event) AS n`)).rows);
    const ours = Number(targetRows) / (run.ms / 1000);
    const ceil = ceiling.rows / (ceiling.ms / 1000);
    r.copyCeiling = { targetRows: ceiling.rows, seconds: ceiling.ms / 1000, rowsPerSecond: Math.round(ceil), oursRowsPerSecond: Math.round(ours), ratio: ours / ceil, tables: ceiling.tables };
    console.log(`ceiling    raw COPY of the same ${fmt(ceiling.rows)} final target rows into empty copies: ${(ceiling.ms / 1000).toFixed(1)} s = ${fmt(Math.round(ceil))} rows/s`);
    console.log(`           ours: ${fmt(Math.round(ours))} target rows/s → ratio ${against(ours / ceil, 0.8)}`);
    if (ONLY) continue;

    // Reconcile against the plain read, alternately, ROUNDS times each: this machine's speed drifts
    // by 10–20% from minute to minute, so one pair can land on either side of the target. The
    // ratio is taken on the medians; every run is kept in the results.
    const recRuns: Array<{ ms: number; processMs: number; rssMb: number; ok: boolean; sourceRecords: number }> = [];
    const plainRuns: Array<{ ms: number; rssMb: number; result: PlainReadResult }> = [];
    for (let i = 0; i < ROUNDS; i++) {
      // each on its own clock, from its first query to its result, in a process of its own
      // started the same way (same Node flags, same cold start); process times are kept beside
      const plain = must(await plainReadProcess(env), 'plain read');
      const result = JSON.parse(plain.stdout) as PlainReadResult;
      plainRuns.push({ ms: result.seconds * 1000, rssMb: plain.rssMb, result });
      const rec = must(await cutover(['reconcile', '--json'], env), 'reconcile', [0, 1]);
      const recJson = JSON.parse(rec.stdout);
      recRuns.push({ ms: Number(recJson.seconds) * 1000, processMs: rec.ms, rssMb: rec.rssMb, ok: recJson.ok, sourceRecords: (recJson.summary?.sourceRecords ?? recJson.summary?.compared ?? read) as number });
    }
    const recMs = median(recRuns.map((x) => x.ms));
    const plainMs = median(plainRuns.map((x) => x.ms));
    const recOk = recRuns.every((x) => x.ok);
    const recRss = Math.max(...recRuns.map((x) => x.rssMb));
    const recSourceRecords = recRuns[0]!.sourceRecords;
    r.reconcile = {
      ok: recOk, rounds: ROUNDS, seconds: recMs / 1000, sourceRecordsPerSecond: rate(recSourceRecords, recMs), plainReadSeconds: plainMs / 1000, ratio: plainMs / recMs, peakRssMb: recRss,
      runs: recRuns.map((x, i) => ({ seconds: x.ms / 1000, processSeconds: x.processMs / 1000, peakRssMb: x.rssMb, plainReadSeconds: plainRuns[i]!.ms / 1000, plainReadPeakRssMb: plainRuns[i]!.rssMb, ratio: plainRuns[i]!.ms / x.ms })),
      plain: plainRuns[plainRuns.length - 1]!.result,
    };
    console.log(`reconcile  ${recOk ? 'clean' : 'DIFFERENCES'} in ${(recMs / 1000).toFixed(1)} s (median of ${ROUNDS}) = ${fmt(rate(recSourceRecords, recMs))} source records/s; plain read of both sides ${(plainMs / 1000).toFixed(1)} s (median) → ratio ${against(plainMs / recMs, 0.5)}; peak RSS ${recRss} MB${smallerReconciles.map((x) => ` (${x.peakRssMb} MB at scale ${fmt(x.scale)})`).join('')}`);
    console.log(`           runs, alternating: ${recRuns.map((x, i) => `${(plainRuns[i]!.ms / 1000).toFixed(1)} / ${(x.ms / 1000).toFixed(1)} s`).join(', ')} (plain / reconcile)`);

    // the same on two worker threads, this thread only coordinating (the default from 4 cores; on 2
    // and 3 cores the default is one worker beside this thread)
    const recW = must(await cutover(['reconcile', '--workers', '2', '--json'], env), 'reconcile --workers 2', [0, 1]);
    const recWMs = Number(JSON.parse(recW.stdout).seconds) * 1000;
    r.reconcileWorkers2 = { seconds: recWMs / 1000, ratio: plainMs / recWMs, peakRssMb: recW.rssMb };
    console.log(`           with --workers 2: ${(recWMs / 1000).toFixed(1)} s → ratio ${(plainMs / recWMs).toFixed(2)}; peak RSS ${recW.rssMb} MB`);

    r.parity = await parity(env);

    const ver = must(await cutover(['audit', 'verify', '--json'], env), 'audit verify');
    const vj = JSON.parse(ver.stdout);
    r.auditVerify = { ok: vj.ok, rows: vj.rows, seconds: vj.ms / 1000, rowsPerSecond: rate(vj.rows, vj.ms), peakRssMb: ver.rssMb };
    console.log(`verify     ${fmt(vj.rows)} chained rows in ${(vj.ms / 1000).toFixed(2)} s = ${fmt(rate(vj.rows, vj.ms))} rows/s (target ≥ 200,000); peak RSS ${ver.rssMb} MB`);

    const [{ id: person }] = await withClient(target, async (c) => (await c.query(`SELECT p.id::text FROM record.person p WHERE EXISTS (SELECT 1 FROM record.person_name n WHERE n.person_id = p.id) ORDER BY p.id LIMIT 1`)).rows);
    must(await cutover(['erase', '--person', person, '--actor', 'bench', '--justification', 'benchmark erasure', '--json'], env), 'erase');
    const scan = must(await cutover(['residual-scan', '--person', person, '--json'], env), 'residual-scan', [0, 1]);
    const sj = JSON.parse(scan.stdout);
    r.residualScan = { ok: sj.ok, seconds: sj.ms / 1000, rowsExamined: sj.coverage?.rowsExamined, tables: sj.coverage?.tables, peakRssMb: scan.rssMb };
    console.log(`scan       residual scan ${sj.ok ? 'clean' : 'HITS'} over ${sj.coverage?.tables} tables, ${fmt(sj.coverage?.rowsExamined ?? 0)} rows in ${(sj.ms / 1000).toFixed(1)} s; peak RSS ${scan.rssMb} MB`);

    r.gate = await gateCost(target, env);
  }
  if (LARGE && !ONLY) flatMemory(results);
  if (!ONLY) results.delta = await benchDelta({ port, home: HOME, scale: Math.max(...SCALES), cutover });
  if (!ONLY || ONLY === 'distributed') results.distributed = await benchDistributed({ port, home: HOME, scale: DIST_SCALE });
  mkdirSync('reports', { recursive: true });
  writeFileSync('reports/bench.json', JSON.stringify(results, null, 2));
  console.log('\nwritten: reports/bench.json');
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
