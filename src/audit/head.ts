// The audit chain's head: its last row's seq and hash. One query for every caller (the anchors,
// the target's state a result records): ordered by the bigint column, never by the text it is
// printed as (as text, seq 99 sorts after 916).
import type pg from 'pg';

export interface Anchor {
  seq: string;
  /** sha256 of the row at seq, lower-case hex */
  hash: string;
}

/** The chain's head now: the last row's seq and hash (null for an empty chain). */
export async function chainHead(client: pg.ClientBase): Promise<Anchor | null> {
  const { rows } = await client.query<Anchor>(`SELECT e.seq::text AS seq, encode(e.hash, 'hex') AS hash FROM audit.event e ORDER BY e.seq DESC LIMIT 1`);
  return rows[0] ?? null;
}
