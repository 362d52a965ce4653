// Rehearsal history (issue 14): each `cutover report` keeps that rehearsal's summary — numbers,
// lights and verdicts only, never a name, key or example, so nothing that an erasure must remove
// is kept — under .cutover/results/<target>/history/<rehearsal>.json. A rehearsal is one set of
// results: reporting the same results again replaces its entry instead of adding one.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AREA_IDS, type Summary } from './schema.ts';
import { RESULT_KINDS, targetResultsDir, type StoredResults } from './store.ts';
import { inputOf } from './read.ts';

const nCount = z.number().int().min(0).nullable();

export const RehearsalSchema = z.strictObject({
  /** the results this rehearsal reported (a hash of their kinds and times; the retention backlog, refreshed by every report, left out) */
  key: z.string(),
  at: z.string(),
  digest: z.string(),
  go: z.boolean().nullable(),
  lights: z.record(z.enum(AREA_IDS), z.enum(['green', 'amber', 'red', 'grey'])),
  quarantineShare: z.number().nullable(),
  parity: z.array(z.strictObject({ id: z.string(), verdict: z.enum(['PARITY', 'DEGRADED', 'LOST']), recall: z.number().nullable() })),
  /** records expected in the target and not there */
  missing: nCount,
  /** records with a differing field (values when the reconciliation does not count records) */
  mismatched: nCount,
  /** audit entries lost in migration: missing from the target, or a justification, actor or recipient lost */
  lost: nCount,
  /** seconds per phase: migrate <pipeline>, reconcile, parity, audit verify, residual scan */
  phases: z.array(z.strictObject({ phase: z.string(), seconds: z.number().nullable() })),
});
export type Rehearsal = z.output<typeof RehearsalSchema>;

/** Each check's own duration in seconds, from its parsed result (null: not run or unreadable). */
function phaseSeconds(results: StoredResults) {
  const ms = (n: number | undefined) => (n === undefined ? null : n / 1000);
  return {
    reconcile: inputOf('reconcile', results.reconcile).result?.seconds ?? null,
    parity: inputOf('parity', results.parity).result?.seconds ?? null,
    verify: ms(inputOf('audit-verify', results['audit-verify']).result?.ms),
    residual: ms(inputOf('residual-scan', results['residual-scan']).result?.ms),
  };
}

/** The rehearsal a summary describes. */
export function rehearsalOf(summary: Summary, results: StoredResults): Rehearsal {
  const a = summary.areas;
  const key = createHash('sha256').update(RESULT_KINDS.filter((k) => k !== 'retention' && results[k]).map((k) => `${k}@${results[k]!.savedAt}`).join('\n')).digest('hex').slice(0, 16);
  const sumKnown = (xs: Array<number | null>) => (xs.every((x) => x === null) ? null : xs.reduce<number>((s, x) => s + (x ?? 0), 0));
  const took = phaseSeconds(results);
  return {
    key,
    at: summary.generatedAt,
    digest: summary.digest,
    go: summary.gate?.go ?? null,
    lights: Object.fromEntries(AREA_IDS.map((id) => [id, a[id].light])) as Rehearsal['lights'],
    quarantineShare: a.dataQuality.quarantine.share,
    parity: a.searchParity.capabilities.map((c) => ({ id: c.id, verdict: c.verdict, recall: c.recallMean })),
    missing: a.completeness.missing.count,
    mismatched: a.fidelity.mismatchedRecords ?? a.fidelity.mismatchedValues,
    lost: a.auditHistory.reconcile.ran || a.auditHistory.completeness.ran ? sumKnown([a.auditHistory.reconcile.missing.count, a.auditHistory.completeness.lostInMigration]) : null,
    phases: [
      ...a.completeness.runs.map((r) => ({ phase: `migrate ${r.pipeline}`, seconds: r.seconds })),
      { phase: 'reconcile', seconds: took.reconcile },
      { phase: 'parity', seconds: took.parity },
      { phase: 'audit verify', seconds: took.verify },
      { phase: 'residual scan', seconds: took.residual },
    ],
  };
}

const historyDir = (targetId: string) => path.join(targetResultsDir(targetId), 'history');

/** Keep a rehearsal (the same results reported again replace their entry). */
export function recordRehearsal(targetId: string, r: Rehearsal): void {
  const dir = historyDir(targetId);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${r.key}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(RehearsalSchema.parse(r), null, 2));
  renameSync(`${file}.tmp`, file);
}

/** Every rehearsal kept for a target, first to latest. An entry that does not parse is skipped and named. */
export function loadHistory(targetId: string): { rehearsals: Rehearsal[]; unreadable: string[] } {
  const dir = historyDir(targetId);
  if (!existsSync(dir)) return { rehearsals: [], unreadable: [] };
  const rehearsals: Rehearsal[] = [];
  const unreadable: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    try {
      rehearsals.push(RehearsalSchema.parse(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))));
    } catch {
      unreadable.push(f);
    }
  }
  rehearsals.sort((x, y) => x.at.localeCompare(y.at));
  return { rehearsals, unreadable };
}

/** The trend as rows of a table: one row per measure, one column per rehearsal (for the CLI and the HTML report). */
export interface TrendRow { group: string; measure: string; values: Array<string | number | null>; better: 'lower' | 'higher' | 'light' | 'none' }

export function trendRows(rs: Rehearsal[]): TrendRow[] {
  const rows: TrendRow[] = [];
  rows.push({ group: 'Verdict', measure: 'gate', values: rs.map((r) => (r.go === null ? null : r.go ? 'GO' : 'NO-GO')), better: 'light' });
  for (const id of AREA_IDS) rows.push({ group: 'Areas', measure: id, values: rs.map((r) => r.lights[id] ?? null), better: 'light' });
  rows.push({ group: 'Records', measure: 'quarantine share', values: rs.map((r) => r.quarantineShare), better: 'lower' });
  rows.push({ group: 'Records', measure: 'missing', values: rs.map((r) => r.missing), better: 'lower' });
  rows.push({ group: 'Records', measure: 'mismatched', values: rs.map((r) => r.mismatched), better: 'lower' });
  rows.push({ group: 'Records', measure: 'lost (audit)', values: rs.map((r) => r.lost), better: 'lower' });
  const caps = [...new Set(rs.flatMap((r) => r.parity.map((c) => c.id)))].sort();
  for (const id of caps) rows.push({ group: 'Search parity', measure: id, values: rs.map((r) => r.parity.find((c) => c.id === id)?.verdict ?? null), better: 'light' });
  const phases = [...new Set(rs.flatMap((r) => r.phases.map((p) => p.phase)))];
  for (const p of phases) rows.push({ group: 'Phase seconds', measure: p, values: rs.map((r) => r.phases.find((x) => x.phase === p)?.seconds ?? null), better: 'none' });
  return rows;
}
