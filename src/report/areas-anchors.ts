// The audit chain against its anchors (src/audit/anchors.ts), for the report and the gate: what
// the stored verify found, and whether the anchors kept since still fit the chain it verified.
// A head recorded after the verify can only be at or beyond the verified end: one beyond it
// means the verify does not cover it; one behind it means rows were cut after the verify.
import { z } from 'zod';
import type { Input } from './read.ts';
import type { KeptAnchor } from '../audit/anchors.ts';

export const ChainAnchorsSchema = z.strictObject({
  /** anchors the verify compared the chain with */
  checked: z.number().int().min(0),
  /** the verified chain's last seq */
  verifiedTo: z.string().nullable(),
  /** the highest anchor seq known (at the verify, or kept since) */
  lastSeq: z.string().nullable(),
  /** every known anchor fits the verified chain */
  reached: z.boolean(),
  problems: z.array(z.string()),
});
export type ChainAnchors = z.output<typeof ChainAnchorsSchema>;

/** An anchor as kept on file (the report passes the ones of the verified target). */
export type KeptAnchorLike = KeptAnchor;

/** The target the stored verify ran on (whose kept anchors the gate must compare), or null. */
export function verifiedTarget(verify: Input<'audit-verify'>): string | null {
  return verify.result?.target ?? null;
}

export function chainAnchors(verify: Input<'audit-verify'>, kept: KeptAnchorLike[] = []): ChainAnchors | null {
  if (!verify.present) return null;
  const v = verify.result;
  if (v === null) {
    return { checked: 0, verifiedTo: null, lastSeq: null, reached: false, problems: [`the verify result cannot be read (${verify.unreadable ?? 'unreadable'}): run \`cutover audit verify\` again`] };
  }
  const problems = v.anchors.broken.map((b) => b.detail);
  const tail = v.tail;
  const verifiedAt = verify.savedAt ? Date.parse(verify.savedAt) : Number.NaN;
  let last = v.anchors.last?.seq ?? null;
  for (const a of kept) {
    if (a.target !== v.target) continue;
    const seq = BigInt(a.seq);
    if (last === null || seq > BigInt(last)) last = a.seq;
    const end = tail ? BigInt(tail.seq) : 0n;
    const when = `recorded ${a.recordedAt} by ${a.by}`;
    if (seq > end) {
      problems.push(`the anchor at seq ${a.seq} (${when}) is beyond the verified chain, which ends at seq ${tail?.seq ?? '0'}: rows seq ${end + 1n}–${a.seq} are missing, or were written after the verify; run \`cutover audit verify\` again`);
    } else if (tail && seq === end && a.hash !== tail.hash) {
      problems.push(`the anchor at seq ${a.seq} (${when}) has another hash than the verified chain's last row: the chain was rewritten; run \`cutover audit verify\` again`);
    } else if (seq < end && Date.parse(a.recordedAt) > verifiedAt) {
      problems.push(`the chain's head went back to seq ${a.seq} (${when}) after the verify reached seq ${tail!.seq}: rows seq ${seq + 1n}–${tail!.seq} were cut; run \`cutover audit verify\` again`);
    }
  }
  return { checked: v.anchors.checked, verifiedTo: tail?.seq ?? null, lastSeq: last, reached: problems.length === 0, problems: [...new Set(problems)] };
}
