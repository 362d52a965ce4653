// Comparing the chain with its anchors (./anchors.ts): the chain must still hold, at every
// anchor's seq, a row with the anchor's hash. One comparison serves both callers: `audit verify`
// feeds it the hashes it met while streaming the chain, `audit reconcile` looks them up by seq.
import type pg from 'pg';
import type { Anchor } from './anchors.ts';

export interface AnchorBreak {
  /** the anchor not met (with recordedAt/by when it was a kept one) */
  anchor: Anchor & { recordedAt?: string; by?: string };
  /** truncated: the chain ends before the anchor; rewritten: the row at its seq is gone or has another hash */
  kind: 'truncated' | 'rewritten';
  /** the hash the chain holds at that seq now (null: no row) */
  found: string | null;
  /** the seq range that was removed or changed, e.g. "13–20" */
  range: string;
  detail: string;
}

export interface AnchorCheck {
  /** anchors compared */
  checked: number;
  /** the anchor with the highest seq (the one the chain must still reach) */
  last: Anchor | null;
  /** the chain's head when compared */
  head: Anchor | null;
  /** the chain still reaches the last anchor, with the same hash */
  reached: boolean;
  /** every anchor not met, in seq order */
  broken: AnchorBreak[];
}

const short = (h: string) => `${h.slice(0, 12)}…`;
const bySeq = (a: Anchor, b: Anchor) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : 0);
const next = (seq: string | null) => (seq === null ? '1' : String(BigInt(seq) + 1n));

function named(a: AnchorBreak['anchor']): string {
  return `anchor ${a.seq}:${short(a.hash)}${a.recordedAt ? ` (recorded ${a.recordedAt}${a.by ? ` by ${a.by}` : ''})` : ' (given by hand)'}`;
}

/**
 * Compare the anchors with the chain: `at(seq)` = the hash of the row at seq now (null: no row),
 * `head` = the chain's last row. A break names the anchor and the range of seq that went.
 */
export function compareAnchors(anchors: AnchorBreak['anchor'][], at: (seq: string) => string | null, head: Anchor | null): AnchorCheck {
  const seen = new Set<string>();
  const sorted = anchors.filter((a) => !seen.has(`${a.seq}:${a.hash}`) && seen.add(`${a.seq}:${a.hash}`)).sort(bySeq);
  const broken: AnchorBreak[] = [];
  /** the last anchor (in seq order) the chain still meets: the change is after it */
  let lastGood: string | null = null;
  for (const a of sorted) {
    const found = at(a.seq);
    if (found === a.hash) {
      lastGood = a.seq;
      continue;
    }
    const from = next(lastGood);
    if (head === null || BigInt(head.seq) < BigInt(a.seq)) {
      const cut = head === null ? '1' : next(head.seq);
      broken.push({
        anchor: a, kind: 'truncated', found: null, range: `${cut}–${a.seq}`,
        detail: `${named(a)}: the chain ${head === null ? 'is empty' : `ends at seq ${head.seq}`}, short of the anchor: rows seq ${cut}–${a.seq} are missing (cut from the end of the log)`,
      });
    } else {
      broken.push({
        anchor: a, kind: 'rewritten', found, range: `${from}–${a.seq}`,
        detail: `${named(a)}: ${found === null ? `no row has seq ${a.seq} any more` : `the row at seq ${a.seq} has hash ${short(found)}`}: rows in seq ${from}–${a.seq} were removed, changed or inserted and the chain after them re-hashed`,
      });
    }
  }
  const last = sorted.length ? { seq: sorted[sorted.length - 1]!.seq, hash: sorted[sorted.length - 1]!.hash } : null;
  const reached = last === null || at(last.seq) === last.hash;
  return { checked: sorted.length, last, head, reached, broken };
}

/** compareAnchors by looking the anchors' rows up in audit.event (one indexed query). */
export async function checkAnchors(client: pg.ClientBase, anchors: AnchorBreak['anchor'][]): Promise<AnchorCheck> {
  const { rows } = await client.query<{ seq: string; hash: string; head: boolean }>(
    `SELECT seq::text, encode(hash, 'hex') AS hash, false AS head FROM audit.event WHERE seq = ANY($1::bigint[])
     UNION ALL (SELECT seq::text, encode(hash, 'hex'), true FROM audit.event e ORDER BY e.seq DESC LIMIT 1)`,
    [[...new Set(anchors.map((a) => a.seq))]],
  );
  const at = new Map(rows.filter((r) => !r.head).map((r) => [r.seq, r.hash]));
  const h = rows.find((r) => r.head);
  return compareAnchors(anchors, (s) => at.get(s) ?? null, h ? { seq: h.seq, hash: h.hash } : null);
}
