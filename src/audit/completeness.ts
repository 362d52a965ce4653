// Audit completeness (compliance.md "Completeness report"): counts per operation and per origin;
// consultations and disclosures without a justification or an actor, and disclosures without a
// recipient, each gap split into
//   - legacyMissing:   the legacy entry already lacked it (a fact the board sees, not a defect);
//   - lostInMigration: the legacy entry had it, and the target row lacks it or is missing;
//   - notFromLegacy:   target rows with no legacy entry (origin MIGRATION / RMS) that lack it.
// `ok` = nothing lost in migration. Legacy entries the mapping rejects (quarantined) are not
// counted here: the reconciliation reports them.
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

const lacks = (gap: Gap, row: { actor: string; justification: string | null; recipient: string | null }): boolean =>
  gap === 'actor' ? actorMissing(row.actor) : blank(row[gap]);

export async function auditCompleteness(options: AuditCompletenessOptions): Promise<AuditCompletenessResult> {
  const started = performance.now();
  const max = options.maxExamples ?? 20;
  const gaps: GapCount[] = GAPS.map((g) => ({ ...g, legacyMissing: 0, lostInMigration: 0, notFromLegacy: 0, inTarget: 0, examples: [] }));
  let missingInTarget = 0;
  let quarantinedSkipped = 0;

  const visit = ({ e, target }: Joined, sign: 1 | -1) => {
    if (!e.row) {
      quarantinedSkipped += sign;
      return;
    }
    const op = e.row.operation;
    if (op !== 'consultation' && op !== 'disclosure') return;
    const t = target[0];
    if (!t) missingInTarget += sign;
    for (const g of gaps) {
      if (g.operation !== op) continue;
      let kind: GapExample['kind'] | null = null;
      let why: GapExample['why'];
      if (lacks(g.gap, e.row)) kind = 'legacyMissing';
      else if (!t) [kind, why] = ['lostInMigration', 'entry missing in target'];
      else if (lacks(g.gap, t)) [kind, why] = ['lostInMigration', 'blank in target'];
      if (!kind) continue;
      g[kind] += sign;
      const perKind = g.examples.filter((x) => x.kind === kind);
      if (sign === 1 && perKind.length < max) g.examples.push({ system: e.system, key: e.id, kind, ...(why ? { why } : {}) });
      if (sign === -1) {
        const i = g.examples.findIndex((x) => x.system === e.system && x.key === e.id && x.kind === kind);
        if (i >= 0) g.examples.splice(i, 1);
      }
    }
  };

  const client = await connect(options.targetUrl);
  try {
    for (const source of [options.crisSource, options.crimintSource]) {
      if (source) await legacyPass(client, source, visit, { chunkSize: options.chunkSize, maxExamples: max });
    }
    const { rows: byOO } = await client.query<{ origin: string; operation: string; n: string }>(
      `SELECT origin, operation, count(*)::text AS n FROM audit.event GROUP BY origin, operation ORDER BY origin, operation`,
    );
    const { rows: gapRows } = await client.query<{ operation: string; legacy: boolean; j: string; a: string; r: string }>(
      `SELECT operation, (origin IN ('CRIS', 'CRIMINT') AND legacy_audit_id IS NOT NULL) AS legacy,
              count(*) FILTER (WHERE justification IS NULL OR btrim(justification) = '')::text AS j,
              count(*) FILTER (WHERE actor IS NULL OR btrim(actor) = '' OR actor = $1)::text AS a,
              count(*) FILTER (WHERE recipient IS NULL OR btrim(recipient) = '')::text AS r
         FROM audit.event WHERE operation IN ('consultation', 'disclosure') GROUP BY 1, 2`,
      [UNKNOWN_ACTOR],
    );
    for (const g of gaps) {
      for (const r of gapRows) {
        if (r.operation !== g.operation) continue;
        const n = Number(g.gap === 'justification' ? r.j : g.gap === 'actor' ? r.a : r.r);
        g.inTarget += n;
        if (!r.legacy) g.notFromLegacy += n;
      }
    }
    const byOperation = new Map<string, number>();
    const byOrigin = new Map<string, number>();
    for (const r of byOO) {
      byOperation.set(r.operation, (byOperation.get(r.operation) ?? 0) + Number(r.n));
      byOrigin.set(r.origin, (byOrigin.get(r.origin) ?? 0) + Number(r.n));
    }
    return {
      ok: gaps.every((g) => g.lostInMigration === 0),
      byOperation: [...byOperation].map(([operation, count]) => ({ operation, count })),
      byOrigin: [...byOrigin].map(([origin, count]) => ({ origin, count })),
      byOriginOperation: byOO.map((r) => ({ origin: r.origin, operation: r.operation, count: Number(r.n) })),
      gaps,
      missingInTarget,
      quarantinedSkipped,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await client.end();
  }
}
