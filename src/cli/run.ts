import type { Command } from 'commander';
import { action, connectionOptions, connections, TARGET_ONLY, parseIntOption, printJson, type GlobalOpts } from './common.ts';
import { runPipelines, pipelineStatus } from '../pipeline/index.ts';
import { PIPELINES } from '../../pipelines/index.ts';
import { ConfigError } from '../core/problems.ts';
import { log } from '../core/log.ts';
import type { RunResult } from '../pipeline/runner.ts';
import type { failedBatchJobs } from '../distributed/index.ts';
import { deltaCutover } from '../delta/index.ts';
import { printDeltaSummary } from './delta-summary.ts';
import { keysPipelines, runKeysFile } from '../keys/index.ts';
import { readKeysFile } from '../keys/file.ts';
import { keysExitCode, printKeysSummary } from './keys-summary.ts';

import type { Connections } from '../db/config.ts';
import { rememberRuns } from '../checks/runs.ts';
import { createPool } from '../db/pool.ts';

export interface RunOpts extends GlobalOpts {
  resume?: boolean;
  restart?: boolean;
  concurrency?: number;
  batchSize?: number;
  limit?: number;
  dryRun?: boolean;
  delta?: boolean;
  distributed?: boolean;
  maxAttempts?: number;
  keys?: string;
}

/** Refuse pipelines that do not exist and options that cannot go together, before anything connects. */
export function checkRunOptions(names: string[], opts: RunOpts): void {
  const unknown = names.filter((n) => !PIPELINES[n]);
  if (unknown.length) throw new ConfigError(`unknown pipeline ${unknown.join(', ')}`, `choose from ${Object.keys(PIPELINES).join(', ')}`);
  if (opts.keys !== undefined) {
    const bad = (['delta', 'distributed', 'restart', 'resume', 'dryRun', 'limit', 'concurrency', 'maxAttempts'] as const).filter((k) => opts[k] !== undefined);
    if (bad.length) throw new ConfigError(`--keys cannot be combined with --${bad.map(flag).join(', --')}: it re-migrates the listed records in one process and continues an interrupted run of the same file by itself`);
  }
  if (opts.delta && (opts.restart || opts.dryRun || opts.limit !== undefined)) {
    throw new ConfigError('--delta cannot be combined with --restart, --dry-run or --limit', 'run `cutover run --delta` alone; an interrupted delta continues on the next `--delta`');
  }
  if (opts.delta && opts.distributed) throw new ConfigError('--delta cannot be combined with --distributed', 'run the delta in one process: `cutover run --delta`');
  if (opts.distributed) {
    const bad = (['concurrency', 'limit', 'dryRun'] as const).filter((k) => opts[k] !== undefined);
    if (bad.length) throw new ConfigError(`--${bad.map(flag).join(', --')} cannot be used with --distributed`, 'give workers their concurrency with `cutover worker --concurrency N`; run without --distributed for --limit or --dry-run');
  } else if (opts.maxAttempts !== undefined) throw new ConfigError('--max-attempts needs --distributed');
}

/** The migration commands: run, status. */
export function registerRun(program: Command) {
  registerRunCommand(program);
  registerStatus(program);
}

function registerRunCommand(program: Command) {
  connectionOptions(program.command('run [pipeline...]'))
    .description(`migrate: run pipelines (${Object.keys(PIPELINES).join(', ')}; default all) in resumable, exactly-once batches`)
    .option('--resume', 'continue an interrupted run from its checkpoints')
    .option('--restart', 'forget checkpoints and read everything again (unchanged rows are not rewritten)')
    .option('--concurrency <n>', 'key-range partitions per step run at once (default 2)', parseIntOption('--concurrency'))
    .option('--batch-size <n>', 'rows per batch, one transaction each (default 10000)', parseIntOption('--batch-size'))
    .option('--limit <n>', 'stop each step after n source records (resumable)', parseIntOption('--limit'))
    .option('--dry-run', 'read, map and validate; write nothing')
    .option('--delta', 'bring over only what changed in the legacy data since the last completed run (an interrupted delta continues)')
    .option('--keys <file>', 're-migrate exactly the records a `reconcile --differences` file (.csv/.jsonl) or a list of SYSTEM,ENTITY,KEY lines names; an interrupted one continues on the same file')
    .option('--distributed', 'queue each batch as a job for `cutover worker` processes (any number, any machine) and follow them until done')
    .option('--max-attempts <n>', 'with --distributed: attempts before a batch job fails for good (default 5)', parseIntOption('--max-attempts'))
    .option('--json', 'print the run summary as one JSON document')
    .action(action(async (names: string[], opts: RunOpts) => {
      checkRunOptions(names, opts);
      const requests = opts.keys !== undefined ? readKeysFile(opts.keys) : null;
      if (requests) names = keysPipelines(requests, names);
      const c = await connections(opts, { target: true, cris: !names.length || names.includes('cris') });
      const controller = new AbortController();
      const onSigint = () => { log.warn(`interrupt: finishing the current batch, then stopping (${opts.keys !== undefined ? 'continue with the same `run --keys FILE`' : 'resume with --resume'})`); controller.abort(); };
      process.once('SIGINT', onSigint);
      try {
        if (opts.keys !== undefined) {
          const r = await runKeysFile(c, opts.keys, names, { batchSize: opts.batchSize, signal: controller.signal });
          if (opts.json) printJson(r);
          else printKeysSummary(r);
          return keysExitCode(r);
        }
        if (opts.delta) return await runDeltaCommand(c, names.length ? names : Object.keys(PIPELINES), opts, controller.signal);
        // the job queue's modules load only when asked for (they are not every command's start-up cost)
        const results = opts.distributed ? await (await import('../distributed/index.ts')).runPipelinesDistributed(c, names.length ? names : Object.keys(PIPELINES), {
          resume: opts.resume, restart: opts.restart, batchSize: opts.batchSize, maxAttempts: opts.maxAttempts, signal: controller.signal,
        }) : await runPipelines(c, names.length ? names : Object.keys(PIPELINES), {
          resume: opts.resume, restart: opts.restart, concurrency: opts.concurrency, batchSize: opts.batchSize,
          limit: opts.limit, dryRun: opts.dryRun, signal: controller.signal,
        });
        if (!opts.dryRun) await rememberRuns(c.databaseUrl, c, results);
        if (opts.json) printJson({ runs: results });
        else printSummary(results);
        return results.some((r) => r.status === 'partial') ? 1 : 0;
      } finally {
        process.off('SIGINT', onSigint);
      }
    }));
}

function registerStatus(program: Command) {
  connectionOptions(program.command('status'))
    .description('show runs, batches and checkpoints')
    .option('--json', 'print one JSON document')
    .action(action(async (opts: GlobalOpts) => {
      const c = await connections(opts, TARGET_ONLY);
      const s = { ...(await pipelineStatus(c.databaseUrl)), failedJobs: await withPool(c.databaseUrl, async (pool) => (await import('../distributed/index.ts')).failedBatchJobs(pool)) };
      if (opts.json) printJson(s);
      else printStatus(s);
    }));
}

type Status = Awaited<ReturnType<typeof pipelineStatus>> & { failedJobs: Awaited<ReturnType<typeof failedBatchJobs>> };

function printStatus(s: Status) {
  console.log('Runs:');
  const iso = (d: Date | null) => (d ? new Date(d).toISOString().replace('T', ' ').slice(0, 19) : '');
  for (const r of s.runs) console.log(`  #${r.run_id} ${r.pipeline.padEnd(8)} ${r.status.padEnd(11)} ${iso(r.started_at)}${r.ended_at ? ` → ${iso(r.ended_at)}` : ''}${r.error ? `  error: ${r.error}` : ''}`);
  console.log('Checkpoints:');
  for (const cp of s.checkpoints) console.log(`  ${cp.pipeline.padEnd(8)} ${cp.step.padEnd(28)} p${cp.partition} ${cp.done ? 'done   ' : 'pending'} last key ${cp.last_key ?? '-'} (${cp.batches} batches, ${cp.read} read)`);
  if (s.failedJobs.length) {
    console.log('Failed jobs (distributed runs; `cutover run --distributed --resume` queues them again):');
    for (const j of s.failedJobs) console.log(`  job ${j.id} after ${j.attempts} attempts: ${j.lastError.split('\n')[0]}`);
  }
}

/** `dryRun` → `dry-run` */
const flag = (k: string) => k.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);

async function runDeltaCommand(c: Connections, names: string[], opts: RunOpts, signal: AbortSignal): Promise<number> {
  const results = await deltaCutover(c, names, { batchSize: opts.batchSize, signal });
  if (opts.json) printJson({ deltas: results });
  else printDeltaSummary(results);
  return results.some((r) => r.status === 'partial') ? 1 : 0;
}

async function withPool<T>(url: string, fn: (pool: import('pg').Pool) => Promise<T>): Promise<T> {
  const pool = createPool(url, 1);
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

export function printSummary(results: RunResult[]) {
  for (const r of results) {
    console.log(`${r.pipeline}: ${r.status}${r.runId ? ` (run #${r.runId})` : ''} in ${r.seconds.toFixed(1)} s`);
    if (!r.steps.length) continue;
    console.log(`  ${'step'.padEnd(28)} ${['read', 'loaded', 'quarant.', 'excluded', 'supersed.', 'orphans', 'secs'].map((h) => h.padStart(10)).join('')}`);
    for (const s of r.steps) {
      console.log(`  ${s.step.padEnd(28)} ${[s.read, s.loaded, s.quarantined, s.excluded, s.superseded, s.orphans].map((n) => n.toLocaleString('en-GB').padStart(10)).join('')}${s.seconds.toFixed(1).padStart(10)}`);
      const w = Object.entries(s.warnings);
      if (w.length) console.log(`  ${''.padEnd(28)} warnings: ${w.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
  }
}
