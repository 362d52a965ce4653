import type { Command } from 'commander';
import { action, connectionOptions, connections, TARGET_ONLY, parseIntOption, printJson, type GlobalOpts } from './common.ts';
import { checkReconcile, checkParity, checkAuditVerify, checkAuditReconcile, checkAuditCompleteness, searchAdapter, withSources, type ParityCheckOptions } from '../checks/index.ts';
import { formatReconcile } from '../reconcile/index.ts';
import { parseAnchor, formatAnchor, recordHead, type Anchor, type AnchorCheck } from '../audit/index.ts';
import { checkReconcileDelta } from '../delta/verify.ts';
import { checkParityDelta } from '../delta/parity.ts';
import { printDeltaReconcile, printDeltaParity } from './delta-summary.ts';
import { searchOne, CAPABILITY_IDS, type CapabilityId, type ParityResult, type SearchOneResult } from '../parity/index.ts';
import { ConfigError } from '../core/problems.ts';
import { log } from '../core/log.ts';

function capability(id: string): CapabilityId {
  const up = id.toUpperCase();
  if (!(CAPABILITY_IDS as readonly string[]).includes(up)) throw new ConfigError(`unknown capability ${id}`, `choose one of ${CAPABILITY_IDS.join(', ')} (search-catalog.md)`);
  return up as CapabilityId;
}

export function printParity(r: ParityResult) {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`search parity (${r.adapter}): ${r.ok ? 'every capability at PARITY' : 'NOT at parity'} — ${r.capabilities.reduce((a, c) => a + c.queries, 0)} queries in ${r.seconds.toFixed(1)} s`);
  console.log(`  ${'cap'.padEnd(4)} ${'verdict'.padEnd(9)} ${'queries'.padStart(7)} ${'recall'.padStart(8)} ${'worst'.padStart(8)} ${'precis.'.padStart(8)} ${'volume'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)}  name`);
  for (const c of r.capabilities) {
    console.log(`  ${c.id.padEnd(4)} ${c.verdict.padEnd(9)} ${String(c.queries).padStart(7)} ${pct(c.recall.mean).padStart(8)} ${pct(c.recall.worst).padStart(8)} ${pct(c.precision).padStart(8)} ${(c.volumeRatio === null ? '-' : c.volumeRatio.toFixed(2)).padStart(7)} ${c.latencyMs.p50.toFixed(1).padStart(7)} ${c.latencyMs.p95.toFixed(1).padStart(7)}  ${c.name}`);
    for (const ex of c.examples.slice(0, 5)) console.log(`        e.g. ${JSON.stringify(ex)}`.slice(0, 240));
  }
}

function printSearch(r: SearchOneResult) {
  const side = (s: { count: number; ms: number; error?: string } | null) => (s ? (s.error ? `error: ${s.error}` : `${s.count} in ${s.ms.toFixed(1)} ms`) : 'not run');
  console.log(`${r.capability} ${JSON.stringify(r.params)}`);
  console.log(`  legacy: ${side(r.legacy)}    target: ${side(r.target)}`);
  const mark = { both: '  =  ', legacy: ' L-- ', target: ' --T ' } as const;
  for (const rec of r.records) console.log(`${mark[rec.side]} ${rec.identity.padEnd(44)} ${rec.targetId}  ${rec.description}${rec.notMigrated ? '  (not migrated)' : ''}`);
  const onlyL = r.records.filter((x) => x.side === 'legacy').length;
  const onlyT = r.records.filter((x) => x.side === 'target').length;
  console.log(`  = found by both; L-- legacy only (${onlyL}); --T target only (${onlyT})`);
}

function anchorLines(a: AnchorCheck): string[] {
  if (a.checked === 0) return ['  no anchor to compare with yet (each clean verify, report and `cutover audit anchor` keeps one)'];
  if (!a.broken.length) return [`  ${a.checked} anchor(s) met; the chain reaches the last, seq ${a.last!.seq}`];
  return a.broken.map((b) => `  ✗ ${b.detail}`);
}

function printAuditVerify(r: Awaited<ReturnType<typeof checkAuditVerify>>) {
  console.log(r.ok ? `audit chain verifies: ${r.rows.toLocaleString('en-GB')} rows in ${(r.ms / 1000).toFixed(1)} s` : `audit chain BROKEN at seq ${r.firstBroken!.seq}: ${r.firstBroken!.reason} — ${r.firstBroken!.detail}`);
  for (const l of anchorLines(r.anchors)) console.log(l);
  if (r.kept) console.log(`  head kept as an anchor: ${formatAnchor(r.kept)}`);
}

function printAuditReconcile(r: Awaited<ReturnType<typeof checkAuditReconcile>>) {
  console.log(`audit reconciliation: ${r.ok ? 'every legacy entry found once with equal fields' : 'DIFFERENCES'}`);
  for (const t of r.totals) console.log(`  ${t.system.padEnd(8)} legacy ${t.legacy.toLocaleString('en-GB').padStart(9)}  target ${t.target.toLocaleString('en-GB').padStart(9)}  quarantined ${t.quarantined}  superseded ${t.superseded}`);
  for (const k of ['missing', 'duplicated', 'altered', 'extra'] as const) {
    console.log(`  ${k.padEnd(10)} ${r[k].count}`);
    for (const ex of r[k].examples.slice(0, 10)) console.log(`      ${JSON.stringify(ex)}`.slice(0, 240));
  }
  for (const l of anchorLines(r.anchors)) console.log(l);
}

function printAuditCompleteness(r: Awaited<ReturnType<typeof checkAuditCompleteness>>) {
  console.log(`audit completeness: ${r.ok ? 'nothing lost in migration' : 'ENTRIES LOST IN MIGRATION'}`);
  console.log(`  by operation: ${r.byOperation.map((x) => `${x.operation} ${x.count}`).join(', ')}`);
  console.log(`  by origin:    ${r.byOrigin.map((x) => `${x.origin} ${x.count}`).join(', ')}`);
  for (const g of r.gaps) console.log(`  ${JSON.stringify(g)}`.slice(0, 240));
}

/** The check commands: reconcile, parity, search and the audit ones. */
export function registerChecks(program: Command) {
  registerReconcile(program);
  registerParity(program);
  registerSearch(program);
  registerAudit(program);
}

function registerReconcile(program: Command) {
  connectionOptions(program.command('reconcile [pipeline...]'))
    .description('field-level reconciliation and control totals: every record, field and link of the source against the target (exit 1 on any difference)')
    .option('--concurrency <n>', 'steps compared at once (default 2)', parseIntOption('--concurrency'))
    .option('--workers <n>', 'worker threads for the comparison (default: 1 on 2 or 3 cores, beside this thread; from 4 cores, one per concurrent step; 0 = this thread only; fewer than the concurrency = this thread takes steps too)', parseIntOption('--workers'))
    .option('--differences <file>', 'write every difference to FILE (CSV, or JSON Lines when it ends in .jsonl): kind, source system, entity and key, target table and id, the fields that differ; no values')
    .option('--delta', 'inside the freeze window: compare only the keys the deltas changed since the last verified state (control totals still over everything)')
    .option('--distributed', 'run the merge-join steps as jobs on `cutover worker` processes (all steps queued at once)')
    .option('--json', 'print the result as one JSON document')
    .action(action(async (pipelines: string[], o: GlobalOpts & { concurrency?: number; workers?: number; differences?: string; delta?: boolean; distributed?: boolean }) => {
      const c = await connections(o);
      if (o.delta) {
        const { result: r, verify } = await checkReconcileDelta(c, pipelines.length ? pipelines : undefined);
        if (o.json) printJson({ ...r, carried: verify.carried, carryReason: verify.carryReason });
        else printDeltaReconcile(r, verify);
        return r.ok ? 0 : 1;
      }
      const r = await checkReconcile(c, pipelines.length ? pipelines : undefined, { concurrency: o.concurrency, workers: o.workers, differences: o.differences, distributed: o.distributed });
      if (o.json) printJson(r);
      else console.log(formatReconcile(r));
      if (r.differences) log.info(`reconcile: ${r.differences.rows.toLocaleString('en-GB')} difference(s) written to ${r.differences.file}`);
      return r.ok ? 0 : 1;
    }));
}

function registerParity(program: Command) {
  connectionOptions(program.command('parity'))
    .description('search parity: every legacy search S01–S20, legacy oracle against the target (exit 1 unless every capability is at PARITY)')
    .option('--capability <ids>', 'only these capabilities, comma-separated (e.g. S02,S07)')
    .option('--workload <file>', 'more queries as JSON lines {"capability":"S02","params":{…}}')
    .option('--adapter <name>', 'target search: sql (default), http, or degraded (a test profile of the old platform\'s complaints)', 'sql')
    .option('--http-config <file>', 'for --adapter http: {"templates": {"S01": "https://…{params}"}, "headers": {…}}')
    .option('--differences <file>', 'write every query with a difference to FILE (CSV, or JSON Lines when it ends in .jsonl): capability, kind of query, parameters as a keyed hash, records found by one side only')
    .option('--delta', 'inside the freeze window: replay only the searches whose answers the deltas since the latest full run can have changed (see the README)')
    .option('--json', 'print the result as one JSON document')
    .action(action(async (o: GlobalOpts & { capability?: string; workload?: string; adapter: string; httpConfig?: string; differences?: string; delta?: boolean }) => {
      if (!['sql', 'http', 'degraded'].includes(o.adapter)) throw new ConfigError(`unknown adapter ${o.adapter}`, 'choose sql, http or degraded');
      if (o.delta && o.differences) throw new ConfigError('--delta cannot be combined with --differences', 'run `cutover parity --differences FILE` for every difference of the whole workload');
      const c = await connections(o);
      const opts: ParityCheckOptions = {
        adapter: o.adapter as ParityCheckOptions['adapter'], httpConfig: o.httpConfig, workloadFile: o.workload, differences: o.differences,
        capabilities: o.capability ? o.capability.split(',').map((s) => capability(s.trim())) : undefined,
        onProgress: (p) => { if ('phase' in p && (p as { phase: string }).phase) log.info(`parity: ${JSON.stringify(p)}`.slice(0, 200)); },
      };
      if (o.delta) {
        const d = await checkParityDelta(c, opts);
        if (o.json) printJson({ ...d.parity, runs: d.runs, changedKeys: d.changedKeys, carried: d.carried, carryReason: d.carryReason });
        else printDeltaParity(d, printParity);
        return d.parity.ok ? 0 : 1;
      }
      const r = await checkParity(c, opts);
      if (o.json) printJson(r);
      else printParity(r);
      if (r.differences) log.info(`parity: ${r.differences.rows.toLocaleString('en-GB')} quer${r.differences.rows === 1 ? 'y' : 'ies'} with a difference written to ${r.differences.file}`);
      return r.ok ? 0 : 1;
    }));
}

function registerSearch(program: Command) {
  connectionOptions(program.command('search <capability>'))
    .description('run one search on the legacy oracle and/or the target and show which records each side found')
    .requiredOption('--params <json>', 'the search parameters as JSON, e.g. \'{"surname":"Smith"}\'')
    .option('--side <side>', 'legacy, target or both', 'both')
    .option('--adapter <name>', 'target search: sql (default), http or degraded', 'sql')
    .option('--http-config <file>', 'for --adapter http')
    .option('--json', 'print one JSON document')
    .action(action(async (cap: string, o: GlobalOpts & { params: string; side: string; adapter: string; httpConfig?: string }) => {
      let params: Record<string, unknown>;
      try {
        params = JSON.parse(o.params);
      } catch (err) {
        throw new ConfigError(`--params is not valid JSON: ${(err as Error).message}`, 'quote it for your shell: --params \'{"surname":"Smith"}\'');
      }
      if (!['legacy', 'target', 'both'].includes(o.side)) throw new ConfigError('--side must be legacy, target or both');
      const c = await connections(o);
      const adapter = searchAdapter(c, { adapter: o.adapter as ParityCheckOptions['adapter'], httpConfig: o.httpConfig });
      try {
        const r = await withSources(c, (s) => searchOne({ capability: capability(cap), params, side: o.side as 'both', ...s, targetUrl: c.databaseUrl, adapter }));
        if (o.json) printJson(r);
        else printSearch(r);
      } finally {
        await adapter.close();
      }
    }));
}

function registerAudit(program: Command) {
  const audit = program.command('audit').description('the audit history (DPA 2018 s.62): chain, legacy reconciliation, completeness');
  connectionOptions(audit.command('verify'))
    .description('recompute the hash chain from seq 1; name the first changed, missing or inserted row; compare it with every anchor kept for this target (exit 1 if broken or short of an anchor)')
    .option('--anchor <seq:hash>', 'also check against this head, kept outside the database (repeatable)', (v: string, acc: Anchor[]) => [...acc, parseAnchor(v)], [] as Anchor[])
    .option('--json', 'print one JSON document')
    .action(action(async (o: GlobalOpts & { anchor: Anchor[] }) => {
      const r = await checkAuditVerify(await connections(o, TARGET_ONLY), o.anchor);
      if (o.json) printJson(r);
      else printAuditVerify(r);
      return r.ok ? 0 : 1;
    }));
  connectionOptions(audit.command('anchor'))
    .description('print the chain\'s head as SEQ:HASH, to keep outside the database (a ticket, the board\'s minutes); `audit verify --anchor SEQ:HASH` checks the chain still reaches it')
    .option('--json', 'print one JSON document')
    .action(action(async (o: GlobalOpts) => {
      const r = await recordHead((await connections(o, TARGET_ONLY)).databaseUrl, 'anchor');
      if (o.json) printJson(r);
      else if (!r.head) console.log('the audit chain is empty: no head to anchor yet');
      else console.log(formatAnchor(r.head));
    }));
  connectionOptions(audit.command('reconcile'))
    .description('every legacy audit entry present once with equal fields; counts per system, action and month (exit 1 on any missing, duplicated or altered entry)')
    .option('--json', 'print one JSON document')
    .action(action(async (o: GlobalOpts) => {
      const r = await checkAuditReconcile(await connections(o));
      if (o.json) printJson(r);
      else printAuditReconcile(r);
      return r.ok ? 0 : 1;
    }));
  connectionOptions(audit.command('completeness'))
    .description('counts per operation and origin; consultations and disclosures lacking justification, actor or recipient, split into legacy gaps and migration losses (exit 1 on any migration loss)')
    .option('--json', 'print one JSON document')
    .action(action(async (o: GlobalOpts) => {
      const r = await checkAuditCompleteness(await connections(o));
      if (o.json) printJson(r);
      else printAuditCompleteness(r);
      return r.ok ? 0 : 1;
    }));
}
