// Audit reconciliation (compliance.md "Reconciliation"): every legacy audit entry must be found in
// audit.event, once, with the same fields. Counts per system, action and month, legacy vs target;
// missing, duplicated, altered and extra entries with example keys (counts exact, examples capped).
//
// Memory is flat: the legacy side streams through legacyPass (chunked indexed lookups); extra
// target rows are found, only when the counts say there are some, by streaming the target ids
// against a Bloom filter of the ids read. Month = the legacy wall-clock month (Europe/London);
// on the target side the month of occurred_at in Europe/London. The target side of a cell counts
// the target rows found for the cell's legacy entries (under the legacy action when the
// operation agrees, else under the action the stored operation implies), plus extra rows.
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import { connect } from '../db/pool.ts';
import type { Source, SystemName } from '../sources/types.ts';
import { stableJson } from './canonical.ts';
import { ACTION_OPERATION, actionOfOperation, blank } from './legacy-rules.ts';
import { type Expected, type Joined, type TargetRow, legacyPass, londonMonth } from './legacy-pass.ts';
import { checkAnchors, type AnchorBreak, type AnchorCheck } from './anchor-check.ts';

export interface AuditReconcileOptions {
  crisSource?: Source | null;
  crimintSource?: Source | null;
  targetUrl: string;
  /** Examples kept per kind (default 20); counts are always exact. */
  maxExamples?: number;
  chunkSize?: number;
  /** anchors of the chain (./anchors.ts): a chain cut short of one, or re-hashed under it, fails the reconciliation */
  anchors?: AnchorBreak['anchor'][];
}

export interface KeyExample {
  system: SystemName;
  key: string;
}

export interface Found<T> {
  count: number;
  examples: T[];
}

export interface AlteredExample extends KeyExample {
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface AuditReconcileResult {
  ok: boolean;
  perSystemActionMonth: Array<{ system: SystemName; action: string; month: string; legacy: number; target: number }>;
  totals: Array<{ system: SystemName; legacy: number; target: number; quarantined: number; superseded: number }>;
  missing: Found<KeyExample & { reason: string }>;
  duplicated: Found<KeyExample & { rows: number; seqs: string[] }>;
  altered: Found<AlteredExample> & { byField: Record<string, number> };
  extra: Found<KeyExample & { seq: string }>;
  /** Legacy entries the mapping rejects, recorded in migration.quarantine (not a loss: reported). */
  quarantined: Found<KeyExample & { code: string; field: string | null; message: string }>;
  /** Earlier occurrences of an id repeated in the source (the later one is compared). */
  superseded: Found<KeyExample & { ordinal: number }>;
  /** the chain compared with its anchors: entries that were never legacy ones (an erasure's) are lost only this way */
  anchors: AnchorCheck;
  ms: number;
}

/** The compared fields, in report order. */
export const COMPARED_FIELDS = ['occurred_at', 'actor', 'operation', 'justification', 'recipient', 'entity_type', 'entity_ref', 'detail'] as const;

const norm = (s: string | null | undefined): string | null => (blank(s) ? null : s!);

/** Field-by-field differences between the expected row and a stored row (blank = NULL). */
export function compareAudit(e: NonNullable<Expected['row']>, t: TargetRow): Array<{ field: string; expected: unknown; actual: unknown }> {
  const out: Array<{ field: string; expected: unknown; actual: unknown }> = [];
  const us = Number(t.us);
  if (us !== e.occurred_at.getTime() * 1000) {
    const ms = Math.floor(us / 1000);
    out.push({ field: 'occurred_at', expected: e.occurred_at.toISOString(), actual: new Date(ms).toISOString() + (us % 1000 ? ` (+${us % 1000} µs)` : '') });
  }
  const text = (field: 'actor' | 'operation' | 'justification' | 'recipient' | 'entity_type' | 'entity_ref') => {
    const x = norm(e[field]);
    const y = norm(t[field]);
    if (x !== y) out.push({ field, expected: x, actual: y });
  };
  text('actor');
  text('operation');
  text('justification');
  text('recipient');
  text('entity_type');
  text('entity_ref');
  const dx = stableJson(e.detail ?? null);
  const dy = stableJson(t.detail ?? null);
  if (dx !== dy) out.push({ field: 'detail', expected: e.detail ?? null, actual: t.detail ?? null });
  return out;
}

class Tally {
  readonly cells = new Map<string, { system: SystemName; action: string; month: string; legacy: number; target: number }>();
  readonly totals = new Map<SystemName, { system: SystemName; legacy: number; target: number; quarantined: number; superseded: number }>();
  readonly missing = { count: 0, examples: [] as Array<KeyExample & { reason: string; ordinal: number }> };
  readonly duplicated = { count: 0, examples: [] as Array<KeyExample & { rows: number; seqs: string[]; ordinal: number }> };
  readonly altered = { count: 0, byField: {} as Record<string, number>, examples: [] as Array<AlteredExample & { ordinal: number }> };
  readonly extra = { count: 0, examples: [] as Array<KeyExample & { seq: string }> };
  readonly quarantined = { count: 0, examples: [] as Array<KeyExample & { code: string; field: string | null; message: string; ordinal: number }> };
  readonly superseded = { count: 0, examples: [] as Array<KeyExample & { ordinal: number }> };
  /** Target rows matched by legacy entries, per system. */
  readonly matched = new Map<SystemName, number>();

  constructor(readonly max: number) {}

  cell(system: SystemName, action: string, month: string, legacy: number, target: number): void {
    const k = `${system}\u0000${action}\u0000${month}`;
    let c = this.cells.get(k);
    if (!c) this.cells.set(k, (c = { system, action, month, legacy: 0, target: 0 }));
    c.legacy += legacy;
    c.target += target;
  }

  total(system: SystemName) {
    let t = this.totals.get(system);
    if (!t) this.totals.set(system, (t = { system, legacy: 0, target: 0, quarantined: 0, superseded: 0 }));
    return t;
  }

  visit({ e, target, quarantineRecorded }: Joined, sign: 1 | -1): void {
    const ex = { system: e.system, key: e.id, ordinal: e.ordinal };
    const add = <T extends { key: string; ordinal: number; system: SystemName }>(list: T[], item: T) => {
      if (sign === 1) {
        if (list.length < this.max) list.push(item);
      } else {
        const i = list.findIndex((x) => x.system === item.system && x.key === item.key && x.ordinal === item.ordinal);
        if (i >= 0) list.splice(i, 1);
      }
    };
    const tot = this.total(e.system);
    tot.legacy += sign;
    this.cell(e.system, e.action, e.month, sign, 0);
    this.matched.set(e.system, (this.matched.get(e.system) ?? 0) + sign * target.length);
    for (const t of target) {
      const expectedOp = ACTION_OPERATION[e.action];
      const action = expectedOp === t.operation ? e.action : actionOfOperation(t.operation, t.entity_type);
      this.cell(e.system, action, londonMonth(Math.floor(Number(t.us) / 1000)), 0, sign);
    }
    if (target.length > 1) {
      this.duplicated.count += sign;
      add(this.duplicated.examples, { ...ex, rows: target.length, seqs: target.map((t) => t.seq) });
    }
    if (!e.row) {
      if (target.length > 0) return; // rejected by the mapping yet present: compared by nothing, counted as found
      if (quarantineRecorded) {
        this.quarantined.count += sign;
        tot.quarantined += sign;
        add(this.quarantined.examples, { ...ex, key: e.key, code: e.problem!.code, field: e.problem!.field, message: e.problem!.message });
      } else {
        this.missing.count += sign;
        add(this.missing.examples, { ...ex, reason: `rejected by the mapping (${e.problem!.code}) and not in migration.quarantine` });
      }
      return;
    }
    if (target.length === 0) {
      this.missing.count += sign;
      add(this.missing.examples, { ...ex, reason: 'not in audit.event' });
      return;
    }
    const diffs = compareAudit(e.row, target[0]!);
    if (diffs.length === 0) return;
    this.altered.count += sign;
    for (const d of diffs) {
      this.altered.byField[d.field] = (this.altered.byField[d.field] ?? 0) + sign;
      add(this.altered.examples, { ...ex, ...d });
    }
  }
}

const strip = <T extends { ordinal?: number }>(list: T[]): Array<Omit<T, 'ordinal'>> => list.map(({ ordinal: _o, ...x }) => x);

/** Reconcile the legacy audit entries of the given sources with audit.event. */
export async function auditReconcile(options: AuditReconcileOptions): Promise<AuditReconcileResult> {
  const started = performance.now();
  const tally = new Tally(options.maxExamples ?? 20);
  const client = await connect(options.targetUrl);
  let anchors: AnchorCheck;
  try {
    anchors = await checkAnchors(client, options.anchors ?? []);
    for (const source of [options.crisSource, options.crimintSource]) {
      if (!source) continue;
      const system = source.system;
      const pass = await legacyPass(client, source, (j, sign) => tally.visit(j, sign), { chunkSize: options.chunkSize, maxExamples: tally.max });
      tally.superseded.count += pass.supersededCount;
      tally.total(system).superseded += pass.supersededCount;
      for (const s of pass.superseded) if (tally.superseded.examples.length < tally.max) tally.superseded.examples.push({ system, ...s });

      // extra target rows: the target holds more rows of this origin than the entries matched
      const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit.event WHERE origin = $1 AND legacy_audit_id IS NOT NULL`, [system]);
      const targetTotal = Number(rows[0]!.n);
      tally.total(system).target = targetTotal;
      const extra = targetTotal - (tally.matched.get(system) ?? 0);
      if (extra > 0) {
        tally.extra.count += extra;
        await streamExtras(client, system, (key, seq, us, operation, entityType) => {
          if (pass.seen.has(key)) return; // in the source (or a rare Bloom false positive)
          tally.cell(system, actionOfOperation(operation, entityType), londonMonth(Math.floor(Number(us) / 1000)), 0, 1);
          if (tally.extra.examples.length < tally.max) tally.extra.examples.push({ system, key, seq });
        });
      }
    }
  } finally {
    await client.end();
  }

  const cells = [...tally.cells.values()]
    .filter((c) => c.legacy !== 0 || c.target !== 0)
    .sort((a, b) => (a.system < b.system ? -1 : a.system > b.system ? 1 : a.action < b.action ? -1 : a.action > b.action ? 1 : a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  for (const f of Object.keys(tally.altered.byField)) if (tally.altered.byField[f] === 0) delete tally.altered.byField[f];
  const ok = tally.missing.count === 0 && tally.altered.count === 0 && tally.extra.count === 0 && tally.duplicated.count === 0 && anchors.broken.length === 0;
  return {
    ok,
    anchors,
    perSystemActionMonth: cells,
    totals: [...tally.totals.values()],
    missing: { count: tally.missing.count, examples: strip(tally.missing.examples) },
    duplicated: { count: tally.duplicated.count, examples: strip(tally.duplicated.examples) },
    altered: { count: tally.altered.count, byField: tally.altered.byField, examples: strip(tally.altered.examples) },
    extra: tally.extra,
    quarantined: { count: tally.quarantined.count, examples: strip(tally.quarantined.examples) },
    superseded: tally.superseded,
    ms: Math.round(performance.now() - started),
  };
}

/** Stream every legacy-keyed target row of one origin (flat memory). */
async function streamExtras(
  client: pg.Client,
  system: SystemName,
  onRow: (key: string, seq: string, us: string, operation: string, entityType: string | null) => void,
): Promise<void> {
  const stream = client.query(new QueryStream(
    `SELECT legacy_audit_id AS k, seq::text AS s, (extract(epoch FROM occurred_at) * 1000000)::bigint::text AS us, operation AS o, entity_type AS t
       FROM audit.event WHERE origin = $1 AND legacy_audit_id IS NOT NULL`,
    [system], { batchSize: 5000 },
  ));
  for await (const r of stream as AsyncIterable<{ k: string; s: string; us: string; o: string; t: string | null }>) onRow(r.k, r.s, r.us, r.o, r.t);
}
