// Appending to the hash chain of audit.event (canonical form: ./canonical.ts).
//
// appendAudit runs inside the caller's transaction, so the audit rows commit or roll back with
// the batch that wrote them. It serialises writers with a transaction-level advisory lock held
// until that transaction ends: the tail read, the hashing and the insert of one writer can never
// interleave with another's, so the chain never forks. Rows are written with one COPY.
import { from as copyFrom } from 'pg-copy-streams';
import type pg from 'pg';
import type { AuditIn } from '../pipeline/types.ts';
import { CutoverError } from '../core/problems.ts';
import {
  ChainHasher, GENESIS_HASH, canonicalJson, stableJson, storableDetail, storableInstant, storableText, storableUuid,
  type CanonicalRow,
} from './canonical.ts';

/**
 * The pg_advisory_xact_lock key every writer of audit.event takes (first 8 bytes of
 * sha256('cutover:audit.event:chain') as a signed 64-bit integer). Anything else that appends to
 * audit.event must take the same lock, in the same transaction as its INSERT.
 */
export const AUDIT_CHAIN_LOCK_KEY = -6299300946672400888n;

export const AUDIT_COPY_COLUMNS =
  'occurred_at, actor, operation, justification, recipient, entity_type, entity_id, entity_ref, detail, origin, legacy_audit_id, prev_hash, hash';

const UNIQUE_VIOLATION = '23505';

/** Flush the COPY buffer when it reaches this many characters (about 3,000 rows). */
const COPY_FLUSH_CHARS = 1024 * 1024;

export interface AppendResult {
  appended: number;
  /** rows not written because their (origin, legacy_audit_id) is already in audit.event or earlier in the batch. */
  skipped: number;
}

type Queryable = pg.ClientBase;

/** A row as it will be stored and hashed (text cleaned, instant truncated to the millisecond). */
export function storableRow(r: AuditIn): CanonicalRow {
  const t = (s: string | null | undefined) => (s === null || s === undefined ? null : storableText(String(s)));
  return {
    occurred_at: storableInstant(r.occurred_at),
    actor: storableText(String(r.actor)),
    operation: r.operation,
    justification: t(r.justification),
    recipient: t(r.recipient),
    entity_type: r.entity_type ?? null,
    entity_id: storableUuid(r.entity_id ?? null),
    entity_ref: t(r.entity_ref),
    detail: storableDetail(r.detail),
    origin: r.origin,
    legacy_audit_id: t(r.legacy_audit_id),
  };
}

async function assertInTransaction(client: Queryable): Promise<void> {
  const status = (client as { getTransactionStatus?: () => string | null }).getTransactionStatus?.();
  if (status === 'T') return;
  if (status === 'E') throw new CutoverError('appendAudit: the transaction has already failed', 'roll it back and retry the batch');
  if (status === 'I') {
    throw new CutoverError('appendAudit must run inside an open transaction', 'call BEGIN first, and COMMIT after appendAudit returns: the chain lock is held until the transaction ends');
  }
  // driver without a transaction status: a savepoint is only accepted inside a transaction block
  try {
    await client.query('SAVEPOINT cutover_audit_check; RELEASE SAVEPOINT cutover_audit_check');
  } catch (err) {
    throw new CutoverError('appendAudit must run inside an open transaction', 'call BEGIN first, and COMMIT after appendAudit returns', { cause: err });
  }
}

/** COPY text format: backslash, tab, newline and carriage return escaped; NULL is \N. */
const COPY_SPECIAL = /[\\\t\n\r]/;
function copyText(s: string | null): string {
  if (s === null) return '\\N';
  if (!COPY_SPECIAL.test(s)) return s;
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

const OPERATIONS = new Set(['collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure']);
const ENTITY_TYPES = new Set(['person', 'event', 'location', 'object', 'search']);
const ORIGINS = new Set(['CRIS', 'CRIMINT', 'MIGRATION', 'RMS']);

function checkCodes(r: CanonicalRow): void {
  if (!OPERATIONS.has(r.operation)) throw new TypeError(`audit operation ${JSON.stringify(r.operation)} is not an s.62 operation`);
  if (!ORIGINS.has(r.origin)) throw new TypeError(`audit origin ${JSON.stringify(r.origin)} is not CRIS, CRIMINT, MIGRATION or RMS`);
  if (r.entity_type !== null && !ENTITY_TYPES.has(r.entity_type)) throw new TypeError(`audit entity_type ${JSON.stringify(r.entity_type)} is not person, event, location, object or search`);
}

/**
 * Append rows to the audit chain, in the order given. Must be called inside an open transaction
 * (READ COMMITTED, the default: under REPEATABLE READ the snapshot would predate the lock and
 * miss the tail another writer just committed). The lock is held until that transaction ends.
 *
 * Rows whose (origin, legacy_audit_id) is already stored, or appears earlier in `rows`, are
 * skipped (exactly once on re-runs). Rows without a legacy_audit_id are always appended.
 */
export async function appendAudit(client: Queryable, rows: AuditIn[]): Promise<AppendResult> {
  if (rows.length === 0) return { appended: 0, skipped: 0 };
  await assertInTransaction(client);

  // The lock is requested first and the rows are prepared while it is granted. Only then, in a
  // new statement (a READ COMMITTED snapshot taken after the lock), the tail is read.
  const lockP = client.query<{ i: string }>(`SELECT current_setting('transaction_isolation') AS i, pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`);
  let prepared: CanonicalRow[];
  try {
    prepared = rows.map(storableRow);
    for (const r of prepared) checkCodes(r);
  } catch (err) {
    await lockP.catch(() => {});
    throw err;
  }
  const lock = await lockP;
  if (lock.rows[0]?.i !== 'read committed') {
    throw new CutoverError(
      `appendAudit needs a READ COMMITTED transaction (this one is ${lock.rows[0]?.i})`,
      'start the transaction with plain BEGIN: under a snapshot taken before the chain lock, a concurrent writer\'s tail would be missed and the chain would fork',
    );
  }
  const origins: string[] = [];
  const ids: string[] = [];
  for (const r of prepared) {
    if (r.legacy_audit_id !== null) {
      origins.push(r.origin);
      ids.push(r.legacy_audit_id);
    }
  }
  const { rows: [tail] } = await client.query<{ hash: Buffer | null }>(`SELECT (SELECT hash FROM audit.event ORDER BY seq DESC LIMIT 1) AS hash`);
  const tailHash = tail?.hash ?? GENESIS_HASH;
  if (!ids.length) return writeChain(client, prepared, tailHash, new Set());
  // Nearly every batch holds no legacy entry already stored (a first load, a delta's new
  // entries): it is written straight away from a savepoint, and the unique key (origin,
  // legacy_audit_id) says otherwise. Only then are its ids looked up, and it is written again
  // without them (a resumed or repeated run). Looking them up every time, under the chain lock,
  // cost more than the COPY of most batches.
  await client.query('SAVEPOINT cutover_audit_append');
  try {
    const written = await writeChain(client, prepared, tailHash, new Set());
    await client.query('RELEASE SAVEPOINT cutover_audit_append');
    return written;
  } catch (err) {
    if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    await client.query('ROLLBACK TO SAVEPOINT cutover_audit_append');
  }
  const { rows: stored } = await client.query<{ origin: string; legacy_audit_id: string }>(
    `SELECT e.origin, e.legacy_audit_id FROM unnest($1::text[], $2::text[]) AS k(origin, id)
       JOIN audit.event e ON e.origin = k.origin AND e.legacy_audit_id = k.id`,
    [origins, ids],
  );
  return writeChain(client, prepared, tailHash, new Set(stored.map((f) => `${f.origin}\u0000${f.legacy_audit_id}`)));
}

/**
 * COPY `prepared` onto the chain after `tailHash`, skipping the legacy entries in `present` (keys
 * `origin\0legacy_audit_id`) and any repeated within the rows.
 */
async function writeChain(client: Queryable, prepared: CanonicalRow[], tailHash: Buffer, present: Set<string>): Promise<AppendResult> {
  let prev = tailHash.toString('hex');
  const hasher = new ChainHasher();

  const stream = client.query(copyFrom(`COPY audit.event (${AUDIT_COPY_COLUMNS}) FROM STDIN`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let buf = '';
  let appended = 0;
  let skipped = 0;
  try {
    for (const r of prepared) {
      if (r.legacy_audit_id !== null) {
        const k = `${r.origin}\u0000${r.legacy_audit_id}`;
        if (present.has(k)) {
          skipped++;
          continue;
        }
        present.add(k);
      }
      const detail = r.detail === null ? null : stableJson(r.detail);
      const hash = hasher.hex(prev, canonicalJson(r, detail));
      // operation, entity_type, origin (checked codes), entity_id (a UUID) and the timestamp need no escaping
      buf +=
        r.occurred_at.toISOString() + '\t' +
        copyText(r.actor) + '\t' +
        r.operation + '\t' +
        copyText(r.justification) + '\t' +
        copyText(r.recipient) + '\t' +
        (r.entity_type ?? '\\N') + '\t' +
        (r.entity_id ?? '\\N') + '\t' +
        copyText(r.entity_ref) + '\t' +
        copyText(detail) + '\t' +
        r.origin + '\t' +
        copyText(r.legacy_audit_id) + '\t' +
        '\\\\x' + prev + '\t' +
        '\\\\x' + hash + '\n';
      prev = hash;
      appended++;
      // buffered: one write per ~1 MiB (thousands of rows), so the server parses and indexes
      // one chunk while the next is hashed
      if (buf.length >= COPY_FLUSH_CHARS) {
        if (!stream.write(buf)) await new Promise((r) => stream.once('drain', r));
        buf = '';
      }
    }
    if (buf.length > 0) stream.write(buf);
    stream.end();
    await done;
  } catch (err) {
    stream.destroy(err as Error);
    await done.catch(() => {});
    throw err;
  }
  return { appended, skipped };
}
