// Whether the target's answer to a query is the oracle's, checked a piece at a time.
//
// Most parity queries agree, and the widest (S14 for a common word: ~170,000 records at scale
// 200,000) agree too. Comparing them as two lists of identity strings held whole made one
// query's answer the part of the parity run that grew with the extract. Here the oracle's answer
// stays a set of slots; the target's ids are mapped through lineage a piece at a time, and each
// identity takes its slot out of the set. The check is exact: it says "the same" only when every
// target record is one of the oracle's and none of the oracle's is left over. Anything else,
// and every S20 answer (several kinds of record), goes to the full comparison of metrics.ts,
// which finds what differs.
import type { IdentityMapper } from './lineage.ts';
import type { Oracle, RunOptions, Single } from './oracle.ts';
import type { Query } from './types.ts';

/** Target ids mapped and checked per piece. */
export const AGREEMENT_PIECE = 10_000;

export interface AgreementContext {
  oracle: Oracle;
  mapper: IdentityMapper;
  /** Restricted records, excluded from the legacy answer as in the full comparison. */
  restricted: RunOptions['restricted'];
  /** A legacy record the target cannot have: when the answers hold one, the full comparison accounts for it. */
  isNotMigrated: (identity: string) => boolean;
  piece?: number;
}

/**
 * The number of records both sides found when the target returned exactly the oracle's answer
 * (each record once, none known as not migrated); null when they may differ or the query is S20.
 */
export async function sameAnswer(query: Query, targetIds: readonly string[], ctx: AgreementContext): Promise<number | null> {
  if (query.capability === 'S20') return null;
  const piece = ctx.piece ?? AGREEMENT_PIECE;
  // each piece's lineage lookup runs on the server while the oracle answers, or the piece before is checked
  let next = ctx.mapper.map(targetIds.slice(0, piece));
  next.catch(() => {});
  const { table, slots } = ctx.oracle.findSlots(query.capability as Single, query.params, { restricted: ctx.restricted });
  const records = slots.size;
  if (targetIds.length < records) return null; // fewer ids than records: some record is missing
  for (let at = 0; at < targetIds.length; at += piece) {
    const mapped = await next;
    if (at + piece < targetIds.length) {
      next = ctx.mapper.map(targetIds.slice(at + piece, at + 2 * piece));
      next.catch(() => {}); // awaited on the next turn, unless this piece already differs
    }
    for (const r of mapped) {
      const slot = ctx.oracle.slotOf(table, r.identity);
      // not the oracle's, or the same record twice (a repeated id in one piece is mapped once,
      // as the full comparison does; across pieces it shows here and is settled there)
      if (slot === undefined || !slots.delete(slot) || ctx.isNotMigrated(r.identity)) return null;
    }
  }
  return slots.size === 0 ? records : null;
}
