// `cutover demo` (npm start): the main job end to end on the embedded default — generate a legacy
// extract, migrate, run all pipelines, reconcile, search parity, audit checks, a sample erasure
// with its residual scan, a sample subject-access request, the report and the gate.
import path from 'node:path';
import { generate } from '../synth/generate.ts';
import { migrate } from '../db/migrate.ts';
import { recreateDatabase, withClient } from '../db/pool.ts';
import { runPipelines } from '../pipeline/index.ts';
import { checkReconcile, checkParity, checkAuditVerify, checkAuditReconcile, checkAuditCompleteness, withSources } from './index.ts';
import { erase, residualScan, subjectAccess } from '../privacy/index.ts';
import { retentionBacklog } from '../report/retention.ts';
import { writeReport, loadTargetResults } from '../report/index.ts';
import { clearResults } from '../report/store.ts';
import { readTarget } from '../report/target.ts';
import { beginCheck } from './record.ts';
import { rememberRuns } from './runs.ts';
import { log } from '../core/log.ts';
import { recordHead } from '../audit/anchored.ts';
import type { Connections } from '../db/config.ts';
import type { RunResult } from '../pipeline/runner.ts';
import type { GateResult, Summary } from '../report/index.ts';

export interface DemoOptions {
  scale: number;
  seed: string;
  degraded?: boolean;
  outDir: string;
}

export interface DemoResult {
  seconds: number;
  generated: Record<string, unknown>;
  runs: RunResult[];
  checks: Record<string, { ok: boolean; seconds: number; note: string }>;
  report: string;
  gate: GateResult;
  summary: Summary;
}

async function timed<T>(checks: DemoResult['checks'], name: string, fn: () => Promise<T>, note: (r: T) => [boolean, string]): Promise<T> {
  const t0 = Date.now();
  log.info(`demo: ${name}…`);
  const r = await fn();
  const [ok, text] = note(r);
  checks[name] = { ok, seconds: (Date.now() - t0) / 1000, note: text };
  log.info(`demo: ${name}: ${ok ? 'ok' : 'FELL SHORT'} — ${text} (${checks[name]!.seconds.toFixed(1)} s)`);
  return r;
}

/** A person with aliases, linked events and objects of their own: the sample erasure. */
async function pickErasure(url: string): Promise<string | null> {
  return withClient(url, async (c) => (await c.query<{ id: string }>(`
    SELECT p.id::text FROM record.person p
    WHERE EXISTS (SELECT 1 FROM record.person_name n WHERE n.person_id = p.id)
      AND EXISTS (SELECT 1 FROM record.event_person ep WHERE ep.person_id = p.id)
      AND EXISTS (SELECT 1 FROM record.person_object po WHERE po.person_id = p.id)
    ORDER BY p.id LIMIT 1`)).rows[0]?.id ?? null);
}

/** A person with a full name, a full date of birth, events and disclosures: the sample SAR. */
async function pickSar(url: string, not: string | null): Promise<{ surname: string; forenames: string; dob: string } | null> {
  return withClient(url, async (c) => (await c.query<{ surname: string; forenames: string; dob: string }>(`
    SELECT p.surname, p.forenames, to_char(p.date_of_birth, 'DD/MM/YYYY') AS dob FROM record.person p
    WHERE p.dob_precision = 'day' AND p.forenames IS NOT NULL AND p.id::text <> coalesce($1, '')
      AND EXISTS (SELECT 1 FROM record.event_person ep WHERE ep.person_id = p.id)
    ORDER BY (SELECT count(*) FROM record.event_person ep WHERE ep.person_id = p.id) DESC, p.id LIMIT 1`, [not])).rows[0] ?? null);
}

export async function runDemo(c: Connections, opts: DemoOptions): Promise<DemoResult> {
  const t0 = Date.now();
  const checks: DemoResult['checks'] = {};
  log.info(`demo: a fresh target database (${path.basename(new URL(c.databaseUrl).pathname)})`);
  await recreateDatabase(c.databaseUrl);
  await migrate(c.databaseUrl);
  clearResults((await readTarget(c.databaseUrl)).id); // this target's earlier results; its rehearsal history stays

  const generated = await timed(checks, 'generate', () => generate({ scale: opts.scale, seed: opts.seed, crisUrl: c.crisUrl, crimintDir: c.crimintDir, onProgress: (m) => log.info(`generate: ${m}`) }),
    (g) => [true, `${g.total.toLocaleString('en-GB')} legacy records at scale ${opts.scale}`]);
  const runs = await timed(checks, 'migrate', () => runPipelines(c, ['cris', 'crimint'], {}), (rs) => {
    const steps = rs.flatMap((r) => r.steps);
    const read = steps.reduce((a, s) => a + s.read, 0);
    const secs = rs.reduce((a, r) => a + r.seconds, 0);
    return [rs.every((r) => r.status === 'completed'), `${read.toLocaleString('en-GB')} records, ${Math.round(read / secs).toLocaleString('en-GB')}/s`];
  });
  await rememberRuns(c.databaseUrl, c, runs);

  // What writes to the target comes first (the erasure, the subject-access answer logged as a
  // disclosure), then the read-only checks: a check taken before a write would be stale.
  const victim = await pickErasure(c.databaseUrl);
  if (victim) {
    await timed(checks, 'erasure', async () => {
      const rec = await beginCheck(c.databaseUrl);
      const r = await erase({ url: c.databaseUrl, person: victim, actor: 'demo', justification: 'demonstration erasure request' });
      await rec.saveAfterWrite('erasure', true, r);
      return r;
    }, (r) => [true, `removed ${Object.values(r.removed).reduce((a, n) => a + Number(n), 0)} rows`]);
  }
  const sarPerson = await pickSar(c.databaseUrl, victim);
  if (sarPerson) {
    await timed(checks, 'subject access', async () => {
      const rec = await beginCheck(c.databaseUrl, c);
      // the answer names the person: beside the board's report, never inside it
      const r = await withSources(c, (s) => subjectAccess({ url: c.databaseUrl, ...sarPerson, outDir: path.join(path.dirname(path.resolve(opts.outDir)), 'sar'), actor: 'demo', parity: s }));
      await rec.saveAfterWrite('sar', r.parity?.ok ?? true, r);
      return r;
    }, (r) => [r.parity?.ok ?? true, `${JSON.stringify(r.counts)}; legacy S20 parity ${r.parity?.ok ? 'ok' : 'DIFFERS'}`]);
  }

  await timed(checks, 'reconcile', () => checkReconcile(c), (r) => [r.ok, r.ok ? 'every record, field and link accounted for' : 'differences found']);
  await timed(checks, opts.degraded ? 'parity (degraded profile)' : 'parity', () => checkParity(c, { adapter: opts.degraded ? 'degraded' : 'sql' }),
    (r) => [r.ok, r.capabilities.map((x) => `${x.id} ${x.verdict}`).filter((s) => !s.endsWith('PARITY')).join(', ') || `all ${r.capabilities.length} capabilities at PARITY`]);
  await timed(checks, 'audit verify', () => checkAuditVerify(c), (r) => [r.ok, `${r.rows.toLocaleString('en-GB')} chained rows`]);
  await timed(checks, 'audit reconcile', () => checkAuditReconcile(c), (r) => [r.ok, `missing ${r.missing.count}, altered ${r.altered.count}, duplicated ${r.duplicated.count}`]);
  await timed(checks, 'audit completeness', () => checkAuditCompleteness(c), (r) => [r.ok, r.gaps.map((g) => `${g.gap}/${g.operation}: legacy ${g.legacyMissing}, lost ${g.lostInMigration}`).join('; ')]);

  if (victim) {
    await timed(checks, 'residual scan', async () => {
      const rec = await beginCheck(c.databaseUrl);
      const r = await residualScan({ url: c.databaseUrl, person: victim });
      rec.save('residual-scan', r.ok, r);
      return r;
    }, (r) => [r.ok, `${r.hitCount} hits over ${r.coverage.tables} tables / ${r.coverage.columns} columns`]);
  }
  // the subject access and the erasure wrote to the log: verify it again, up to its new head
  if (sarPerson || victim) await timed(checks, victim ? 'audit verify after erasure' : 'audit verify after subject access', () => checkAuditVerify(c), (r) => [r.ok, `${r.rows.toLocaleString('en-GB')} chained rows`]);
  const retention = await beginCheck(c.databaseUrl);
  retention.save('retention', true, await retentionBacklog(c.databaseUrl));
  await recordHead(c.databaseUrl, 'report'); // the head, kept outside the target: a later cut from the log is caught

  const target = await loadTargetResults(c.databaseUrl);
  const report = writeReport({
    target,
    outDir: opts.outDir,
    provenance: { options: { scale: opts.scale, seed: opts.seed, degraded: Boolean(opts.degraded) }, sources: { target: c.databaseUrl, CRIS: c.crisUrl, CRIMINT: c.crimintDir }, startedAt: new Date(t0), endedAt: new Date() },
  });
  return { seconds: (Date.now() - t0) / 1000, generated: { ...generated.cris, ...generated.crimint, total: generated.total }, runs, checks, report: report.files.html, gate: report.gate, summary: report.summary };
}
