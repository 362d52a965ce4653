// Audit completeness (compliance.md "Completeness report"): counts per operation and per origin;
// consultations and disclosures without a justification or an actor, and disclosures without a
// recipient, each gap split into
//   - legacyMissing:   the legacy entry already lacked it (a fact the board sees, not a defect);
//   - lostInMigration: the legacy entry had it, and the target row lacks it or is missing;
//   - notFromLegacy:   target rows with no legacy entry (origin MIGRATION / RMS) that lack it.
// `ok` = nothing lost in migration. Legacy entries the mapping rejects (quarantined) are not
// counted here: the reconciliation reports them.
import type pg from 'pg';
import { connect } from '../db/pool.ts';
import type { Source, SystemName } from '../sources/types.ts';
import { UNKNOWN_ACTOR, actorMissing, blank } from './legacy-rules.ts';
import { type Joined, legacyPass } from './legacy-pass.ts';

export type Gap = 'justification' | 'actor' | 'recipient';

export interface GapExample {
  system: SystemName;
  key: string;
  kind: 'legacyMissing' | 'lostInMigration';
  /** for lostInMigration: the target row lacks the value, or the entry is not in audit.event. */
  why?: 'blank in target' | 'entry missing in target';
}

export interface GapCount {
  gap: Gap;
  operation: 'consultation' | 'disclosure';
  legacyMissing: number;
  lostInMigration: number;
  notFromLegacy: number;
  /** Target rows (all origins) lacking it. */
  inTarget: number;
  examples: GapExample[];
}

export interface AuditCompletenessResult {
  ok: boolean;
  byOperation: Array<{ operation: string; count: number }>;
  byOrigin: Array<{ origin: string; count: number }>;
  byOriginOperation: Array<{ origin: string; operation: string; count: number }>;
  gaps: GapCount[];
  /** Legacy entries of these operations that are not in the target at all (counted as lost for what they had). */
  missingInTarget: number;
  /** Legacy entries the mapping rejects (not counted in the gaps). */
  quarantinedSkipped: number;
  ms: number;
}

export interface AuditCompletenessOptions {
  targetUrl: string;
  crisSource?: Source | null;
  crimintSource?: Source | null;
  /** Examples kept per gap and kind (default 20). */
  maxExamples?: number;
  chunkSize?: number;
}

const GAPS: Array<{ gap: Gap; operation: 'consultation' | 'disclosure' }> = [
  { gap: 'justification', operation: 'consultation' },
  { gap: 'justification', operation: 'disclosure' },
  { gap: 'actor', operation: 'consultation' },
  { gap: 'actor', operation: 'disclosure' },
  { gap: 'recipient', operation: 'disclosure' },
];

type AuditValues = { actor: string; justification: string | null; recipient: string | null };

const lacks = (gap: Gap, row: AuditValues): boolean => (gap === 'actor' ? actorMissing(row.actor) : blank(row[gap]));

/**
 * Where a gap of a legacy entry stands: the legacy entry already lacked the value, or the
 * migration lost it (the target row lacks it, or there is no target row); null when neither.
 */
function classifyGap(gap: Gap, legacy: AuditValues, target: AuditValues | undefined): Pick<GapExample, 'kind' | 'why'> | null {
  if (lacks(gap, legacy)) return { kind: 'legacyMissing' };
  if (!target) return { kind: 'lostInMigration', why: 'entry missing in target' };
  if (lacks(gap, target)) return { kind: 'lostInMigration', why: 'blank in target' };
  return null;
}

/**
 * The gaps counted over the legacy pass. A joined entry is counted with sign 1; an earlier
 * occurrence of a repeated legacy id is taken back with sign -1, its examples too (legacyPass).
 */
export class GapTally {
  readonly gaps: GapCount[] = GAPS.map((g) => ({ ...g, legacyMissing: 0, lostInMigration: 0, notFromLegacy: 0, inTarget: 0, examples: [] }));
  missingInTarget = 0;
  quarantinedSkipped = 0;
  constructor(private readonly maxExamples: number) {}

  readonly visit = ({ e, target }: Joined, sign: 1 | -1): void => {
    if (!e.row) {
      this.quarantinedSkipped += sign;
      return;
    }
    const op = e.row.operation;
    if (op !== 'consultation' && op !== 'disclosure') return;
    const t = target[0];
    if (!t) this.missingInTarget += sign;
    for (const g of this.gaps) {
      if (g.operation !== op) continue;
      const found = classifyGap(g.gap, e.row, t);
      if (!found) continue;
      const { kind, why } = found;
      g[kind] += sign;
      if (sign === 1 && g.examples.filter((x) => x.kind === kind).length < this.maxExamples) g.examples.push({ system: e.system, key: e.id, kind, ...(why ? { why } : {}) });
      if (sign === -1) {
        const i = g.examples.findIndex((x) => x.system === e.system && x.key === e.id && x.kind === kind);
        if (i >= 0) g.examples.splice(i, 1);
      }
    }
  };

  /** The target's rows lacking each gap's value: all of them, and those with no legacy entry. */
  addTarget(rows: TargetGapRow[]): void {
    for (const g of this.gaps) {
      for (const r of rows) {
        if (r.operation !== g.operation) continue;
        const n = Number(g.gap === 'justification' ? r.j : g.gap === 'actor' ? r.a : r.r);
        g.inTarget += n;
        if (!r.legacy) g.notFromLegacy += n;
      }
    }
  }
}

/** Consultations and disclosures in the target lacking a justification (j), an actor (a), a recipient (r), per operation and legacy or not. */
interface TargetGapRow { operation: string; legacy: boolean; j: string; a: string; r: string }

async function targetGaps(client: pg.ClientBase): Promise<TargetGapRow[]> {
  const { rows } = await client.query<TargetGapRow>(
    `SELECT operation, (origin IN ('CRIS', 'CRIMINT') AND legacy_audit_id IS NOT NULL) AS legacy,
            count(*) FILTER (WHERE justification IS NULL OR btrim(justification) = '')::text AS j,
            count(*) FILTER (WHERE actor IS NULL OR btrim(actor) = '' OR actor = $1)::text AS a,
            count(*) FILTER (WHERE recipient IS NULL OR btrim(recipient) = '')::text AS r
       FROM audit.event WHERE operation IN ('consultation', 'disclosure') GROUP BY 1, 2`,
    [UNKNOWN_ACTOR],
  );
  return rows;
}

/** The target's audit entries per origin and operation. */
async function countsByOriginOperation(client: pg.ClientBase): Promise<Array<{ origin: string; operation: string; count: number }>> {
  const { rows } = await client.query<{ origin: string; operation: string; n: string }>(
    `SELECT origin, operation, count(*)::text AS n FROM audit.event GROUP BY origin, operation ORDER BY origin, operation`,
  );
  return rows.map((r) => ({ origin: r.origin, operation: r.operation, count: Number(r.n) }));
}

/** Sum counts by one field. */
function totals<K extends string>(rows: Array<Record<K, string> & { count: number }>, by: K): Array<Record<K, string> & { count: number }> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r[by], (m.get(r[by]) ?? 0) + r.count);
  return [...m].map(([k, count]) => ({ [by]: k, count }) as Record<K, string> & { count: number });
}

export async function auditCompleteness(options: AuditCompletenessOptions): Promise<AuditCompletenessResult> {
  const started = performance.now();
  const max = options.maxExamples ?? 20;
  const tally = new GapTally(max);
  const client = await connect(options.targetUrl);
  try {
    for (const source of [options.crisSource, options.crimintSource]) {
      if (source) await legacyPass(client, source, tally.visit, { chunkSize: options.chunkSize, maxExamples: max });
    }
    const byOriginOperation = await countsByOriginOperation(client);
    tally.addTarget(await targetGaps(client));
    return {
      ok: tally.gaps.every((g) => g.lostInMigration === 0),
      byOperation: totals(byOriginOperation, 'operation'),
      byOrigin: totals(byOriginOperation, 'origin'),
      byOriginOperation,
      gaps: tally.gaps,
      missingInTarget: tally.missingInTarget,
      quarantinedSkipped: tally.quarantinedSkipped,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await client.end();
  }
}
