// The chain checks as the CLI, the demo and the report run them: with the anchors kept for this
// target (./anchors.ts), and keeping the head as a new anchor after a clean verify or a report.
import type pg from 'pg';
import { connect } from '../db/pool.ts';
import { verifyChain, type VerifyResult } from './verify.ts';
import { chainHead, keepAnchor, readAnchors, targetKey, type Anchor, type KeptAnchor } from './anchors.ts';

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await connect(url);
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The anchors kept for the target at url. */
export function keptAnchors(url: string): Promise<KeptAnchor[]> {
  return withClient(url, async (c) => readAnchors(await targetKey(c)));
}

/**
 * Verify the chain against every anchor kept for this target and those given by hand; when it
 * verifies, keep its head as an anchor (by `verify`).
 */
export async function verifyAnchored(url: string, byHand: Anchor[] = []): Promise<VerifyResult & { target: string; kept: KeptAnchor | null }> {
  return withClient(url, async (c) => {
    const target = await targetKey(c);
    const r = await verifyChain(c, { anchors: [...readAnchors(target), ...byHand] });
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
