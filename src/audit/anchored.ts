// The chain checks as the CLI, the demo and the report run them: with every anchor known for this
// target — those kept in the anchor store (./anchors.ts) and the head each stored check result
// recorded when it was taken (src/report/store.ts) — keeping the head as a new anchor after a
// clean verify or a report.
import type pg from 'pg';
import { connect } from '../db/pool.ts';
import { verifyChain, type VerifyResult } from './verify.ts';
import { chainHead, keepAnchor, readAnchors, targetKey, type Anchor, type KeptAnchor } from './anchors.ts';
import type { AnchorBreak } from './anchor-check.ts';
import { readTarget } from '../report/target.ts';
import { loadStoredResults } from '../report/load.ts';
import { RESULT_KINDS } from '../report/kinds.ts';

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await connect(url);
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * The heads the stored results of the target at url recorded (results of this database's current
 * epoch only: a dropped and recreated database starts a new chain). An unreadable result gives
 * none; the gate fails it on its own (results-readable).
 */
export async function storedResultHeads(url: string): Promise<Array<AnchorBreak['anchor']>> {
  const now = await readTarget(url);
  const results = loadStoredResults(now.id);
  const out: Array<AnchorBreak['anchor']> = [];
  for (const kind of RESULT_KINDS) {
    const b = results[kind]?.binding;
    if (!b?.auditHead || !b.state || b.state.epoch !== now.state?.epoch) continue;
    out.push({ seq: b.auditHead.seq, hash: b.auditHead.hash, recordedAt: b.takenAt, by: `the stored ${kind} result` });
  }
  return out;
}

/** Every anchor known for the target at url: those kept in the anchor store, then the stored results' heads. */
export async function keptAnchors(url: string): Promise<Array<AnchorBreak['anchor']>> {
  const kept = await withClient(url, async (c) => readAnchors(await targetKey(c)));
  return [...kept, ...(await storedResultHeads(url))];
}

/**
 * Verify the chain against every anchor kept for this target and those given by hand; when it
 * verifies, keep its head as an anchor (by `verify`).
 */
export async function verifyAnchored(url: string, byHand: Anchor[] = []): Promise<VerifyResult & { target: string; kept: KeptAnchor | null }> {
  const heads = await storedResultHeads(url);
  return withClient(url, async (c) => {
    const target = await targetKey(c);
    const r = await verifyChain(c, { anchors: [...readAnchors(target), ...heads, ...byHand] });
    const kept = r.ok ? keepAnchor(target, r.tail, 'verify') : null;
    return { ...r, target, kept };
  });
}

/** Keep the chain's head now as an anchor of this target (by `by`): the report and `audit anchor` do. */
export async function recordHead(url: string, by: string): Promise<{ target: string; head: Anchor | null; kept: KeptAnchor | null }> {
  return withClient(url, async (c) => {
    const target = await targetKey(c);
    const head = await chainHead(c);
    return { target, head, kept: keepAnchor(target, head, by) };
  });
}
