// The synthetic legacy extract: CRIS tables (schema dbo, PostgreSQL stand-in) written with COPY,
// and a CRIMINT export directory (JSON arrays + manifest). Seeded and streaming: the same seed
// gives byte-identical output, and memory does not grow with the scale.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { connect } from '../db/pool.ts';
import { CRIS_TABLES, postgresDdl, type CrisTable } from '../sources/cris-tables.ts';
import { Ctx, PROPORTIONS } from './context.ts';
import { copyRows } from '../load/copy.ts';
import { address, crime, crimeMeta, nominal, nominalId, vehicle, type Row } from './cris.ts';
import { crimeNominals, crimeVehicles } from './cris-links.ts';
import { crisAuditRows } from './cris-audit.ts';
import { changedNominal, changedReport, crimintNominal, intelReport, reportHead, type Json } from './crimint.ts';
import { planted as plantedAt } from './planted.ts';
import { crimintAuditEntries } from './crimint-audit.ts';
import { JsonArrayWriter, type FileTotals } from './json-writer.ts';
import { gappedId, nominalRef } from './keys.ts';
import { resolveRates, type QuirkRates } from './rates.ts';
import { DAY, fmtSql, ts } from './time.ts';

export { DEFAULT_RATES, QuirkRatesSchema, type QuirkRates } from './rates.ts';
export { PROPORTIONS } from './context.ts';

export type CrisEntity = keyof typeof PROPORTIONS.cris;
export type CrimintFile = keyof typeof PROPORTIONS.crimint;
export const CRIMINT_FILES: readonly CrimintFile[] = ['nominals.json', 'intel_reports.json', 'audit.json'];

export interface GenerateOptions {
  /** Number of CRIS crime reports; every other table follows PROPORTIONS. */
  scale: number;
  seed: number | string;
  /** PostgreSQL database that receives schema `dbo` (dropped and recreated). */
  crisUrl: string;
  /** Directory of the CRIMINT export (created; our four files are overwritten). */
  crimintDir: string;
  rates?: Partial<QuirkRates>;
  onProgress?: (msg: string) => void;
}

/**
 * A bad-input record planted on purpose, with the outcome the pipeline must give it: quarantined
 * (on `field`, reason `code`), or loaded with the data-quality warning `code` on `field`.
 */
export interface PlantedRecord {
  system: 'CRIS' | 'CRIMINT';
  entity: string;
  key: string;
  field: string;
  problem: string;
  expect: 'quarantined' | 'warning';
  /** quarantine reason code or warning code, as the mappings name them */
  code: string;
}

export interface GenerateResult {
  seed: string;
  scale: number;
  exportedAt: string;
  rates: QuirkRates;
  /** Rows written per CRIS table (entity name). */
  cris: Record<CrisEntity, number>;
  /** Records written per CRIMINT file (repeated keys included), as in the manifest. */
  crimint: Record<CrimintFile, number>;
  total: number;
  planted: PlantedRecord[];
}

const OptionsSchema = z.object({
  scale: z.number().int().min(10).max(5_000_000),
  seed: z.union([z.number(), z.string().min(1)]),
  crisUrl: z.string().min(1),
  crimintDir: z.string().min(1),
});

const PROGRESS_EVERY = 100_000;

/**
 * Progress across all the concurrent writers: one line each time the total number of rows
 * and records written crosses a multiple of 100 000, naming the writer that crossed it.
 */
class Progress {
  private readonly perWriter = new Map<string, number>();
  private total = 0;
  private next = PROGRESS_EVERY;
  constructor(private readonly say: ((m: string) => void) | undefined) {}

  /** A callback for one writer, taking its running count. */
  writer(label: string): (n: number) => void {
    return (n: number) => {
      this.total += n - (this.perWriter.get(label) ?? 0);
      this.perWriter.set(label, n);
      if (this.total < this.next) return;
      while (this.next <= this.total) this.next += PROGRESS_EVERY;
      this.say?.(`${this.total.toLocaleString('en-GB')} rows and records written (${label}: ${n.toLocaleString('en-GB')})`);
    };
  }
}

/** Rows of one CRIS table, in key order, as arrays in the table's column order. */
function* tableRows(ctx: Ctx, t: CrisTable): Generator<Array<string | number | null>> {
  const cols = t.columns.map((c) => c.name);
  const out = (r: Row) => cols.map((c) => (r[c] === undefined ? null : r[c]!));
  const c = ctx.counts;
  switch (t.entity) {
    case 'ADDRESS': for (let i = 0; i < c.addresses; i++) yield out(address(ctx, i).row); break;
    case 'VEHICLE': for (let i = 0; i < c.vehicles; i++) yield out(vehicle(ctx, i).row); break;
    case 'NOMINAL': for (let i = 0; i < c.nominals; i++) yield out(nominal(ctx, i).row); break;
    case 'CRIME_REPORT': for (let i = 0; i < c.crimes; i++) yield out(crime(ctx, i).row); break;
    case 'CRIME_NOMINAL':
      for (let i = 0; i < c.crimes; i++) for (const l of crimeNominals(ctx, i)) yield [l.cris_no, l.id, l.role];
      break;
    case 'CRIME_VEHICLE':
      for (let i = 0; i < c.crimes; i++) for (const l of crimeVehicles(ctx, i)) yield [l.cris_no, l.id, l.role];
      break;
    case 'AUDIT_TRAIL': for (const r of crisAuditRows(ctx)) yield out(r); break;
    default: throw new Error(`no generator for CRIS table ${t.entity}`);
  }
}

async function createSchema(url: string): Promise<void> {
  const c = await connect(url);
  try {
    await c.query('DROP SCHEMA IF EXISTS dbo CASCADE');
    await c.query('CREATE SCHEMA dbo');
    for (const t of CRIS_TABLES) {
      await c.query(postgresDdl(t));
      // The key is rebuilt after the COPY (one sort instead of a b-tree insert per row).
      const { rows } = await c.query(`SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`, [`dbo.${t.table}`]);
      for (const r of rows) await c.query(`ALTER TABLE dbo.${t.table} DROP CONSTRAINT "${r.conname as string}"`);
    }
  } finally {
    await c.end();
  }
}

async function writeCrisTable(ctx: Ctx, url: string, t: CrisTable, progress: Progress, onProgress?: (m: string) => void): Promise<number> {
  const c = await connect(url);
  try {
    await c.query('SET synchronous_commit = off');
    const n = await copyRows(c, `dbo.${t.table}`, t.columns.map((col) => col.name), tableRows(ctx, t), progress.writer(`CRIS ${t.entity}`));
    await c.query(`ALTER TABLE dbo.${t.table} ADD PRIMARY KEY (${t.key.join(', ')})`);
    await c.query(`ANALYZE dbo.${t.table}`);
    onProgress?.(`CRIS ${t.entity}: ${n.toLocaleString('en-GB')} rows written`);
    return n;
  } finally {
    await c.end();
  }
}

/**
 * Write n records, plus later copies of the re-exported ones: record i, when repeated, comes
 * again 1–40 records later, changed. Only the pending repeats are held (a handful).
 */
async function writeJsonFile(
  file: string,
  n: number,
  make: (i: number) => Json,
  repeat: { when: (i: number) => boolean; delay: (i: number) => number; changed: (i: number) => Json } | null,
  tick: (n: number) => void,
): Promise<FileTotals> {
  const w = new JsonArrayWriter(file);
  const pending: Array<{ at: number; i: number }> = [];
  const due = async (upTo: number) => {
    pending.sort((a, b) => a.at - b.at || a.i - b.i);
    while (pending.length > 0 && pending[0]!.at <= upTo) await w.add(repeat!.changed(pending.shift()!.i));
  };
  try {
    for (let i = 0; i < n; i++) {
      await w.add(make(i));
      if (repeat) {
        if (repeat.when(i)) pending.push({ at: i + repeat.delay(i), i });
        if (pending.length > 0) await due(i);
      }
      if ((i & 1023) === 1023) tick(w.count);
    }
    await due(Number.POSITIVE_INFINITY);
    const totals = await w.close();
    tick(totals.records);
    return totals;
  } catch (err) {
    w.destroy();
    throw err;
  }
}

async function writeCrimint(ctx: Ctx, dir: string, exportedAt: string, progress: Progress, onProgress?: (m: string) => void): Promise<Record<CrimintFile, number>> {
  await mkdir(dir, { recursive: true });
  const p = plantedAt(ctx);
  const planted = new Set([`n${p.cnNominalNoSurname}`, `n${p.cnNominalBadAliases}`, `r${p.cnReportBadDate}`, `r${p.cnReportBadMopi}`]);
  const c = ctx.counts;
  const delay = (name: string) => (i: number) => 1 + ctx.hash(name, i, 40);
  const say = (file: string, totals: FileTotals) => onProgress?.(`CRIMINT ${file}: ${totals.records.toLocaleString('en-GB')} records written`);
  const auditRows = crimintAuditEntries(ctx);
  const [nominals, reports, audit] = await Promise.all([
    writeJsonFile(path.join(dir, 'nominals.json'), c.cnNominals, (i) => crimintNominal(ctx, i).json, {
      when: (i) => ctx.coin('nominals.json-repeat', i, ctx.rates.duplicateKey) && !planted.has(`n${i}`),
      delay: delay('nominals.json-delay'),
      changed: (i) => changedNominal(ctx, i),
    }, progress.writer('CRIMINT nominals.json')).then((t) => (say('nominals.json', t), t)),
    writeJsonFile(path.join(dir, 'intel_reports.json'), c.cnReports, (i) => intelReport(ctx, i).json, {
      when: (i) => ctx.coin('intel_reports.json-repeat', i, ctx.rates.duplicateKey) && !planted.has(`r${i}`),
      delay: delay('intel_reports.json-delay'),
      changed: (i) => changedReport(ctx, i),
    }, progress.writer('CRIMINT intel_reports.json')).then((t) => (say('intel_reports.json', t), t)),
    writeJsonFile(path.join(dir, 'audit.json'), c.cnAudit, () => auditRows.next().value as Json, null, progress.writer('CRIMINT audit.json'))
      .then((t) => (say('audit.json', t), t)),
  ]);
  const manifest = {
    exportedAt,
    files: {
      'nominals.json': { records: nominals.records, sha256: nominals.sha256 },
      'intel_reports.json': { records: reports.records, sha256: reports.sha256 },
      'audit.json': { records: audit.records, sha256: audit.sha256 },
    },
  };
  await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { 'nominals.json': nominals.records, 'intel_reports.json': reports.records, 'audit.json': audit.records };
}

/** The export time, derived from the seed: in the first quarter of 2025, after all the data. */
export function exportedAtFor(ctx: Ctx): string {
  const t = ts(2025, 1, 2) + ctx.hash('exportedAt', 0, 88 * DAY);
  return `${fmtSql(t).replace(' ', 'T')}Z`;
}

export function plantedRecords(ctx: Ctx): PlantedRecord[] {
  const p = plantedAt(ctx);
  const q = 'quarantined' as const;
  const w = 'warning' as const;
  return [
    { system: 'CRIS', entity: 'NOMINAL', key: String(nominalId(p.crisNominalBlank)), field: 'surname', problem: "blank surname ('')", expect: q, code: 'missing_required' },
    { system: 'CRIMINT', entity: 'nominals.json', key: nominalRef(p.cnNominalNoSurname), field: 'surname', problem: 'no surname (key absent)', expect: q, code: 'missing_required' },
    { system: 'CRIMINT', entity: 'nominals.json', key: nominalRef(p.cnNominalBadAliases), field: 'aliases', problem: 'wrong type: "aliases": "none" (a string, not an array)', expect: q, code: 'malformed_record' },
    { system: 'CRIMINT', entity: 'intel_reports.json', key: reportHead(ctx, p.cnReportBadDate).urn, field: 'created', problem: 'impossible date "31/02/2019 10:00:00"', expect: q, code: 'invalid_required' },
    { system: 'CRIMINT', entity: 'intel_reports.json', key: reportHead(ctx, p.cnReportBadMopi).urn, field: 'mopiGroup', problem: 'wrong type: "mopiGroup": "three" (optional: stored as NULL)', expect: w, code: 'invalid_mopi_group' },
    { system: 'CRIS', entity: 'NOMINAL', key: String(nominalId(p.crisNominalBadPnc)), field: 'pnc_id', problem: 'PNC id with a wrong check letter', expect: w, code: 'invalid_pnc' },
    { system: 'CRIS', entity: 'ADDRESS', key: String(gappedId(p.crisAddressBadPostcode)), field: 'postcode', problem: 'invalid postcode (inward code cut short)', expect: w, code: 'invalid_postcode' },
    { system: 'CRIS', entity: 'CRIME_REPORT', key: crimeMeta(ctx, p.crisCrimeAmbiguous).crisNo, field: 'reported_dt', problem: 'REPORTED_DT in the repeated October hour', expect: w, code: 'ambiguous_local_time' },
    { system: 'CRIS', entity: 'CRIME_REPORT', key: crimeMeta(ctx, p.crisCrimeNonexistent).crisNo, field: 'reported_dt', problem: 'REPORTED_DT in the skipped March hour', expect: w, code: 'nonexistent_local_time' },
  ];
}

export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const o = OptionsSchema.parse(opts);
  const rates = resolveRates(opts.rates);
  const ctx = new Ctx(o.seed, o.scale, rates);
  const say = opts.onProgress;
  const exportedAt = exportedAtFor(ctx);
  say?.(`generating seed ${String(o.seed)} at scale ${o.scale.toLocaleString('en-GB')}`);
  await createSchema(o.crisUrl);
  const progress = new Progress(say);
  const tasks: Array<Promise<unknown>> = [
    ...CRIS_TABLES.map((t) => writeCrisTable(ctx, o.crisUrl, t, progress, say)),
    writeCrimint(ctx, o.crimintDir, exportedAt, progress, say),
  ];
  const settled = await Promise.allSettled(tasks);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  const values = settled.map((s) => (s as PromiseFulfilledResult<unknown>).value);
  const cris = Object.fromEntries(CRIS_TABLES.map((t, k) => [t.entity, values[k] as number])) as Record<CrisEntity, number>;
  const crimint = values[CRIS_TABLES.length] as Record<CrimintFile, number>;
  const total = Object.values(cris).reduce((a, b) => a + b, 0) + Object.values(crimint).reduce((a, b) => a + b, 0);
  say?.(`done: ${total.toLocaleString('en-GB')} source records`);
  return { seed: String(o.seed), scale: o.scale, exportedAt, rates, cris, crimint, total, planted: plantedRecords(ctx) };
}
