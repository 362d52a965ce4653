// Shared helpers of the audit tests: fresh migrated databases, sample entries, transactions.
import pg from 'pg';
import { createTestDatabase } from '../helpers/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { appendAudit } from '../../src/audit/chain.ts';
import type { AuditIn } from '../../src/pipeline/types.ts';

export async function migratedDatabase(prefix: string): Promise<string> {
  const url = await createTestDatabase(prefix);
  await migrate(url);
  return url;
}

export async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

const OPS: AuditIn['operation'][] = ['collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure'];

/** n deterministic legacy-looking entries with ids from `first`. */
export function entries(n: number, first = 1, origin: AuditIn['origin'] = 'CRIS'): AuditIn[] {
  const out: AuditIn[] = [];
  for (let i = 0; i < n; i++) {
    const id = first + i;
    const op = OPS[id % OPS.length]!;
    out.push({
      occurred_at: new Date(Date.UTC(2019, 0, 1) + id * 61_123),
      actor: `U${String(id % 997).padStart(5, '0')}`,
      operation: op,
      justification: id % 5 === 0 ? null : `Op ${id % 13} briefing`,
      recipient: op === 'disclosure' ? 'CPS London' : null,
      entity_type: op === 'consultation' && id % 2 ? 'search' : 'person',
      entity_id: null,
      entity_ref: op === 'consultation' && id % 2 ? null : String(100000 + (id % 5000)),
      detail: op === 'consultation' && id % 2 ? { capability: 'S02', params: { surname: 'SMITH', forenameInitial: 'J' } } : op === 'alteration' ? { fields: ['surname'] } : null,
      origin,
      legacy_audit_id: String(id),
    });
  }
  return out;
}

/** appendAudit in its own transaction. */
export async function appendTx(c: pg.Client, rows: AuditIn[]) {
  await c.query('BEGIN');
  try {
    const r = await appendAudit(c, rows);
    await c.query('COMMIT');
    return r;
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  }
}

/** Run SQL with the append-only triggers off (as superuser: what an attacker with DBA rights could do). */
export async function tamper(c: pg.Client, sql: string, values: unknown[] = []): Promise<void> {
  await c.query('BEGIN');
  await c.query('SET LOCAL session_replication_role = replica');
  await c.query(sql, values);
  await c.query('COMMIT');
}
