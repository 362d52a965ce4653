// Erasure and loading never interleave. A batch reads the erased-record exclusions, then merges
// its rows; an erasure that committed in between would let the erased person be written back.
// So every batch transaction holds this advisory lock SHARED (batches still run side by side),
// and an erasure holds it EXCLUSIVE: an erasure waits for the batches in flight to commit, and a
// batch that starts while an erasure runs waits for it, then sees its exclusions (READ COMMITTED:
// the exclusion read is a statement after the lock is granted). Both are transaction-level
// locks, released at COMMIT or ROLLBACK. Anything else that writes record rows from legacy data
// must take the shared lock in its transaction before it reads the exclusions.
import type pg from 'pg';

/** First 8 bytes of sha256('cutover:erasure-vs-load') as a signed 64-bit integer. */
export const ERASURE_LOAD_LOCK_KEY = 5509032004418985568n;

/** In a batch's transaction, before it reads the exclusions: wait for any erasure running. */
export async function lockOutErasure(client: pg.ClientBase): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock_shared(${ERASURE_LOAD_LOCK_KEY})`);
}

/** In an erasure's transaction, first: wait for the batches in flight, keep new ones out until COMMIT. */
export async function lockOutLoading(client: pg.ClientBase): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(${ERASURE_LOAD_LOCK_KEY})`);
}
